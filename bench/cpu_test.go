package bench

import (
	"testing"
	"time"
)

// cpuMeter measures the client CPU of a benchmark's timed loop and reports
// it as the metric cpu-ns/op. It follows the benchmark's timer: start
// resets the timer, pause and resume stop and restart it.
type cpuMeter struct {
	b     *testing.B
	since time.Duration
	total time.Duration
}

// startCPU resets b's timer and starts measuring CPU; call it right before
// the timed loop.
func startCPU(b *testing.B) *cpuMeter {
	b.ResetTimer()
	return &cpuMeter{b: b, since: cpuNow()}
}

// pause stops the timer and the CPU measure (for work outside the
// measurement, such as emptying a table).
func (c *cpuMeter) pause() {
	c.b.StopTimer()
	c.total += cpuNow() - c.since
}

// resume restarts them.
func (c *cpuMeter) resume() {
	c.since = cpuNow()
	c.b.StartTimer()
}

// report stops the measure and reports cpu-ns/op; call it right after the
// timed loop.
func (c *cpuMeter) report() {
	c.total += cpuNow() - c.since
	c.b.ReportMetric(float64(c.total.Nanoseconds())/float64(c.b.N), "cpu-ns/op")
}
