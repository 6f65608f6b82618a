package load

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progressBar draws a one-line bar on w, redrawn in place with a carriage return.
type progressBar struct {
	w     io.Writer
	start time.Time
	last  time.Time
}

const barWidth = 30

func newProgressBar(w io.Writer) *progressBar {
	return &progressBar{w: w, start: time.Now()}
}

// draw shows done out of total (a fraction of the run) and the rate so far; it
// redraws at most ten times a second unless final.
func (p *progressBar) draw(fraction float64, done, invalid, failed int, final bool) {
	if p == nil || p.w == nil {
		return
	}
	now := time.Now()
	if !final && now.Sub(p.last) < 100*time.Millisecond {
		return
	}
	p.last = now
	fraction = min(max(fraction, 0), 1)
	filled := int(fraction * barWidth)
	elapsed := now.Sub(p.start).Seconds()
	rate := 0.0
	if elapsed > 0 {
		rate = float64(done) / elapsed
	}
	fmt.Fprintf(p.w, "\r[%s%s] %3.0f%% %d valid, %d invalid, %d failed, %.0f tx/s",
		strings.Repeat("#", filled), strings.Repeat(".", barWidth-filled), fraction*100, done, invalid, failed, rate)
	if final {
		fmt.Fprintln(p.w)
	}
}
