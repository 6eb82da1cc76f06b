package main

import (
	"context"
	"fmt"
)

func runParse(ctx context.Context, args []string, io stdio) int {
	fmt.Fprintln(io.err, "portspec parse: not implemented yet")
	return exitUsage
}
