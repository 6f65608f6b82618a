//go:build linux

package chaincode

import "syscall"

// dieWithParent has the kernel send SIGKILL to the launched command when the
// thread that launched it exits, which is when the process that supervises
// it dies: a supervisor killed with SIGKILL, which cannot stop anything,
// leaves no chaincode behind. (The Go runtime keeps its threads for the
// life of the process, unless a goroutine exits while locked to its thread,
// which the dev network never does.)
func dieWithParent(attr *syscall.SysProcAttr) {
	attr.Pdeathsig = syscall.SIGKILL
}
