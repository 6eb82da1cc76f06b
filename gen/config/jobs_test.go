package config

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/drifttest"
	"github.com/portspec/portspec/internal/gentest"
)

func TestJobsUnknownTarget(t *testing.T) {
	cfg := &Config{Version: 1, Targets: map[string]json.RawMessage{"nosuch": json.RawMessage("{}")}}
	all := []Target{{Gen: &gentest.Fake{Key: "a", Dir: "a", Got: &gen.Request{}}}}
	_, err := cfg.Jobs(all)
	if err == nil || !strings.Contains(err.Error(), `unknown target "nosuch"`) {
		t.Errorf("err %v", err)
	}
	// A config that was not read from a file names the default file.
	if err == nil || !strings.HasPrefix(err.Error(), ConfigFile+":1:1: ") {
		t.Errorf("err %v, want it at %s:1:1", err, ConfigFile)
	}
}

// TestJobsErrorPositions: an error Jobs finds after the schema (a dir that
// is not a clean path, a target that does not exist) is at the key's
// position, found the same way as the schema's errors.
func TestJobsErrorPositions(t *testing.T) {
	cfg, err := ParseConfig("c.yaml", []byte("version: 1\ntargets:\n  drifttest:\n    enabled: true\n    dir: pkg/\n"))
	if err != nil {
		t.Fatal(err)
	}
	all := []Target{{Gen: &gentest.Fake{Key: drifttest.Name, Dir: "d", Got: &gen.Request{}}}}
	_, err = cfg.Jobs(all)
	if want := `c.yaml:5:5: targets.drifttest.dir: pkg/: output path is not clean (want pkg)`; err == nil || err.Error() != want {
		t.Errorf("err %v, want %s", err, want)
	}
	_, err = cfg.Jobs(nil)
	if want := `c.yaml:3:3: unknown target "` + drifttest.Name + `" (known: [])`; err == nil || err.Error() != want {
		t.Errorf("err %v, want %s", err, want)
	}
}

// TestJobsDirOf: a target that shares another's folder follows that
// target's configured dir, else its default; its own dir wins.
func TestJobsDirOf(t *testing.T) {
	lead := &gentest.Fake{Key: "lead", Dir: "lead-default", Got: &gen.Request{}}
	follower := &gentest.Fake{Key: "follower", Got: &gen.Request{}}
	all := []Target{{Gen: lead}, {Gen: follower, DirOf: "lead"}}
	for raw, want := range map[string]string{
		``:                           "lead-default",
		`"lead": {"dir": "x/y"}`:     "x/y",
		`"follower": {"dir": "own"}`: "own",
		`"lead": {"dir": "x"}, "follower": {"enabled": false}`: "x",
	} {
		cfg := &Config{Version: 1}
		if err := json.Unmarshal([]byte("{"+raw+"}"), &cfg.Targets); err != nil {
			t.Fatal(err)
		}
		jobs, err := cfg.Jobs(all)
		if err != nil {
			t.Errorf("%s: %v", raw, err)
			continue
		}
		if got := jobs[1].Dir; got != want {
			t.Errorf("targets {%s}: follower dir %q, want %q", raw, got, want)
		}
	}
}

// TestJobsNestedFolders: two enabled targets whose folders nest are an
// error at the dir that puts one inside the other; a disabled target, or
// one folder for two (the drift test's), is not.
func TestJobsNestedFolders(t *testing.T) {
	all := []Target{
		{Gen: &gentest.Fake{Key: "cilium", Dir: "a", Got: &gen.Request{}}},
		{Gen: &gentest.Fake{Key: "kubernetes", Dir: "b", Got: &gen.Request{}}},
		{Gen: &gentest.Fake{Key: "drifttest", Got: &gen.Request{}}, DirOf: "cilium"},
	}
	for yaml, want := range map[string]string{
		"version: 1\ntargets:\n  kubernetes:\n    dir: a/k8s\n":              `c.yaml:4:5: the folder of target kubernetes ("a/k8s") is inside that of target cilium ("a")`,
		"version: 1\ntargets:\n  cilium:\n    dir: b/x\n":                    `c.yaml:4:5: the folder of target cilium ("b/x") is inside that of target kubernetes ("b")`,
		"version: 1\ntargets:\n  kubernetes: {dir: a/k8s, enabled: false}\n": "",
		"version: 1\ntargets:\n  kubernetes: {dir: a}\n":                     "",
	} {
		cfg, err := ParseConfig("c.yaml", []byte(yaml))
		if err != nil {
			t.Fatal(err)
		}
		_, err = cfg.Jobs(all)
		switch {
		case want == "" && err != nil:
			t.Errorf("%q: %v", yaml, err)
		case want != "" && (err == nil || !strings.HasPrefix(err.Error(), want)):
			t.Errorf("%q: err %v, want %s", yaml, err, want)
		}
	}
}
