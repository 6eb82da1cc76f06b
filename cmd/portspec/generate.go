package main

import (
	"context"
	"fmt"
)

func runGenerate(ctx context.Context, args []string, io stdio) int {
	fmt.Fprintln(io.err, "portspec generate: not implemented yet")
	return exitUsage
}
