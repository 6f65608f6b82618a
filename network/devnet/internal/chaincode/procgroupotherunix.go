//go:build unix && !linux

package chaincode

import "syscall"

// dieWithParent does nothing where the kernel offers no parent-death
// signal: a launched chaincode outlives a supervisor killed with SIGKILL.
func dieWithParent(*syscall.SysProcAttr) {}
