//go:build !race

package wren

// raceEnabled: the race detector is off.
const raceEnabled = false
