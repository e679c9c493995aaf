//go:build unix

package bench

import (
	"syscall"
	"time"
)

// cpuNow is the CPU time this process has used so far, user and system,
// over all its threads (getrusage RUSAGE_SELF): the client's cost,
// including the garbage collector and, for SQLite, the database engine,
// which runs in the process.
func cpuNow() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
