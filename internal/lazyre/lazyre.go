// Package lazyre holds regular expressions compiled on first use. A
// package-level regexp.MustCompile runs in every portspec process that
// links the package, whether or not it matches anything (issue 16: one
// case-folding pattern took 0.4 ms of every start).
package lazyre

import (
	"regexp"
	"sync"
)

// New returns a function that compiles pattern the first time it is
// called (panicking, as regexp.MustCompile does, if it does not compile)
// and returns the same *regexp.Regexp every time.
func New(pattern string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(pattern) })
}
