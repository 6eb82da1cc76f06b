//go:build !unix

package driver

import "os"

// lock does nothing where flock does not exist: runs into one root are
// not serialised there.
func lock(*os.Root, Mode) (func(), error) { return func() {}, nil }

// alive cannot tell: every temporary file is taken to be in use.
func alive(int) bool { return true }
