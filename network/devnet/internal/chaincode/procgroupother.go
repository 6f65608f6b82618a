//go:build !unix

package chaincode

import "os/exec"

// setProcessGroup does nothing where process groups are not available.
func setProcessGroup(*exec.Cmd) {}

// terminateGroup kills the command: there is no gentler portable signal.
func terminateGroup(cmd *exec.Cmd) {
	_ = cmd.Process.Kill()
}

// killGroup kills the command.
func killGroup(cmd *exec.Cmd) {
	_ = cmd.Process.Kill()
}
