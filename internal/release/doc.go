// Package release holds the test of the CLI's release build
// (.goreleaser.yaml): goreleaser check and a snapshot build, offline. A
// package of its own, so that the first build on a fresh machine (four
// cross-compilations, minutes on two cores) has its own go test time
// budget.
package release
