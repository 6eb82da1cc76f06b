//go:build unix

package driver

import (
	"errors"
	"os"
	"syscall"
)

// lock takes an advisory lock (flock) on the output root's folder itself,
// exclusive to write and shared to check, so that two runs into one root
// take turns: one never sees the other's half-written set, nor takes its
// temporary files for anything. Locking the folder needs no lock file (one
// would show in git status). A file system without flock (some network
// ones) is not worth refusing the run for: it runs unlocked, as before.
func lock(r *os.Root, mode Mode) (unlock func(), err error) {
	d, err := r.Open(".")
	if err != nil {
		return nil, err
	}
	how := syscall.LOCK_EX
	if mode == Check {
		how = syscall.LOCK_SH
	}
	for {
		err = syscall.Flock(int(d.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if errors.Is(err, syscall.ENOLCK) || errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, syscall.ENOSYS) {
		err = nil
	}
	if err != nil {
		d.Close()
		return nil, err
	}
	return func() { d.Close() }, nil // closing the last descriptor releases the lock
}

// alive reports whether a process with this id exists (a temporary file's
// writer may still be writing it).
func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}
