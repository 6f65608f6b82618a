package devnet

import (
	"os"
	"runtime/debug"
)

// GCPercent is the garbage collector target TuneGC sets: a dev network's heap is
// small next to a machine's memory, and collecting four times less often than
// Go's default leaves more CPU for endorsing and validating (5–15% more
// committed transactions per second under load, in paired runs of warrantctl bench).
const GCPercent = 400

// TuneGC sets GCPercent for the whole process unless the user chose GOGC. It is
// for programs that run a network (the devnet command, load tools), not for
// libraries.
func TuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(GCPercent)
	}
}
