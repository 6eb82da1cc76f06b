package main

import (
	"context"
	"fmt"
)

func runChanges(ctx context.Context, args []string, io stdio) int {
	fmt.Fprintln(io.err, "portspec changes: not implemented yet")
	return exitUsage
}
