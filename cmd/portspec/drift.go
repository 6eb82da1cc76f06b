package main

import (
	"context"
	"fmt"
)

func runDrift(ctx context.Context, args []string, io stdio) int {
	fmt.Fprintln(io.err, "portspec drift: not implemented yet")
	return exitUsage
}
