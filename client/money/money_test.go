package money

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestYuan(t *testing.T) {
	tests := []struct {
		name string
		fen  int64
		want string
	}{
		{"Formats zero", 0, "0.00"},
		{"Formats one fen", 1, "0.01"},
		{"Formats ten fen", 10, "0.10"},
		{"Formats one yuan", 100, "1.00"},
		{"Formats below a thousand yuan without separators", 99_999, "999.99"},
		{"Separates thousands", 100_000, "1,000.00"},
		{"Separates millions", 123_456_789, "1,234,567.89"},
		{"Formats the default amount cap", 100_000_000_000, "1,000,000,000.00"},
		{"Formats negative amounts", -5, "-0.05"},
		{"Formats the largest amount", math.MaxInt64, "92,233,720,368,547,758.07"},
		{"Formats the smallest amount without overflow", math.MinInt64, "-92,233,720,368,547,758.08"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			require.Equal(t, tt.want, Yuan(tt.fen))
		})
	}
}
