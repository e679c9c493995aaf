//go:build !unix

package bench

import "time"

// cpuNow is not measured on this system: cpu-ns/op reads 0.
func cpuNow() time.Duration { return 0 }
