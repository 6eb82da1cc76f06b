// Command baseline is the yardstick of the parser's performance target: it
// parses a file with goldmark's default parsers and the table extension
// (what a straightforward markdown-table reader would do) and nothing else.
// With -gen N it writes a generated N-row document to standard output
// instead, the input for `portspec parse` and for itself. See
// docs/performance.md.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/portspec/portspec/parser/internal/benchdoc"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

func main() {
	gen := flag.Int("gen", 0, "write a generated document of this many rows to stdout")
	flag.Parse()
	if *gen > 0 {
		os.Stdout.Write(benchdoc.Generate(*gen))
		return
	}
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: baseline FILE | baseline -gen N")
		os.Exit(2)
	}
	src, err := os.ReadFile(flag.Arg(0))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	md := goldmark.New(goldmark.WithExtensions(extension.Table))
	root := md.Parser().Parse(text.NewReader(src))
	fmt.Println(root.ChildCount(), "blocks")
}
