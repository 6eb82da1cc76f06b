//go:build tools

// Package tools is the index of the tools this project runs. The pins
// themselves are the `tool` lines of go.mod, which is what `go tool NAME`
// reads (Go 1.24 and later); this file says what each is for, and
// internal/layout's TestToolsIndex keeps the two lists equal. To add one:
// `go get -tool MODULE/cmd/NAME@VERSION`, then a line here.
//
//   - stringer (golang.org/x/tools/cmd/stringer): the String methods of
//     spec's enums, from the go:generate line in spec/model.go.
//
// staticcheck is run by `make vet` at a fixed version with `go run
// PACKAGE@VERSION`, so that it never enters this module's requirements (nor
// the module graph of everyone who imports generated/ports). actionlint and
// goreleaser are pinned the same way (the Makefile's ACTIONLINT and
// GORELEASER, which the tests read): goreleaser alone would add hundreds of
// modules to that graph. `make tools` downloads and builds both.
package tools
