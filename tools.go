//go:build tools

// Package tools pins the versions of the tools that the Makefile and the
// go:generate lines run, so that `go tool` and `go run` use the module's own.
package tools

import (
	_ "golang.org/x/tools/cmd/stringer"
)
