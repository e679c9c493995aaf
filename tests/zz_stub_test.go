// Package tests: this file is intentionally empty (a marker asked for by the lead while
// TxOptions.MaxAttempts and IsRetryable are stubbed on this branch; see the STUB commit).
package tests
