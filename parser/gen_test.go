package parser_test

import "github.com/portspec/portspec/parser/internal/benchdoc"

func generateDoc(n int) []byte { return benchdoc.Generate(n) }
