package main

import (
	"path/filepath"
	"testing"

	"github.com/portspec/portspec/gen/config"
	"github.com/portspec/portspec/gen/drifttest"
	"github.com/portspec/portspec/gen/golang"
)

// TestResolveDriftFollowsJobs: drift finds the snapshot in the drift-test
// target's folder as generate resolves it (the Go target's folder unless
// its own dir is set), enabled or not, and the acknowledge file against
// the config's folder.
func TestResolveDriftFollowsJobs(t *testing.T) {
	dir := filepath.Join("repo", "sub")
	for name, tc := range map[string]struct{ yaml, snapshot, ack string }{
		"defaults": {"version: 1\n", filepath.Join(dir, config.DefaultOut, golang.DefaultDir, drifttest.FileName), ""},
		"go dir, disabled drift test": {
			"version: 1\nout: build\ntargets:\n  go: {dir: pkg/netports}\n  drifttest: {enabled: false, acknowledge: ack.yaml}\n",
			filepath.Join(dir, "build", "pkg", "netports", drifttest.FileName), filepath.Join(dir, "ack.yaml")},
		"own dir": {
			"version: 1\ntargets:\n  go: {dir: pkg/netports}\n  drifttest: {dir: other}\n",
			filepath.Join(dir, config.DefaultOut, "other", drifttest.FileName), ""},
	} {
		cfg, err := config.ParseConfig("portspec.yaml", []byte(tc.yaml))
		if err != nil {
			t.Fatal(err)
		}
		cfg.Dir = dir
		p, err := resolveDrift(cfg)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p.snapshot != tc.snapshot || p.ack != tc.ack {
			t.Errorf("%s: snapshot %q, ack %q; want %q, %q", name, p.snapshot, p.ack, tc.snapshot, tc.ack)
		}
	}
}
