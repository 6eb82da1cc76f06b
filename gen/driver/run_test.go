package driver

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/cilium"
	"github.com/portspec/portspec/gen/config"
	"github.com/portspec/portspec/gen/drifttest"
	"github.com/portspec/portspec/gen/golang"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

// fakes are stand-ins for the Go, drift-test and Cilium targets, under
// their names and folders, the drift test sharing the Go target's folder as
// gen/targets declares; reqs records the request each one got.
func fakes() (all []config.Target, reqs map[string]*gen.Request) {
	reqs = map[string]*gen.Request{}
	for _, t := range []struct{ name, dir, dirOf string }{
		{golang.Name, golang.DefaultDir, ""},
		{drifttest.Name, "", golang.Name},
		{cilium.Name, cilium.DefaultDir, ""},
	} {
		reqs[t.name] = &gen.Request{}
		all = append(all, config.Target{Gen: &gentest.Fake{Key: t.name, Dir: t.dir, Got: reqs[t.name]}, DirOf: t.dirOf})
	}
	return all, reqs
}

func TestJobsDirsOptionsAndEnabled(t *testing.T) {
	cfg, err := config.ParseConfig("c.yaml", []byte(`version: 1
targets:
  go: {dir: pkg/ports}
  cilium: {enabled: true, dir: deploy, nodeSelectors: {masters: {a: b}}}
idents: {MastersToNodes/TCP/10250: Kubelet}
`))
	if err != nil {
		t.Fatal(err)
	}
	all, reqs := fakes()
	jobs, err := cfg.Jobs(all)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Run(&spec.Document{Source: "x"}, jobs, Inputs{Idents: cfg.Idents})
	if err != nil {
		t.Fatal(err)
	}
	if got := reqs[drifttest.Name].Dir; got != "pkg/ports" {
		t.Errorf("drifttest dir %q, want the go target's pkg/ports", got)
	}
	if got := reqs[cilium.Name].Dir; got != "deploy" {
		t.Errorf("cilium dir %q", got)
	}
	var opts map[string]any
	if err := json.Unmarshal(reqs[cilium.Name].Options, &opts); err != nil || len(opts) != 1 || opts["nodeSelectors"] == nil {
		t.Errorf("cilium options %s (%v): want only nodeSelectors, without dir and enabled", reqs[cilium.Name].Options, err)
	}
	if reqs[golang.Name].Options != nil {
		t.Errorf("go options %s, want nil (only the config's own keys were set)", reqs[golang.Name].Options)
	}
	if reqs[golang.Name].Idents["MastersToNodes/TCP/10250"] != "Kubelet" {
		t.Errorf("idents not passed: %v", reqs[golang.Name].Idents)
	}
	for _, want := range []string{"pkg/ports/" + golang.Name + ".txt", "pkg/ports/" + drifttest.Name + ".txt", "deploy/" + cilium.Name + ".txt"} {
		if _, ok := plan.Files[want]; !ok {
			t.Errorf("plan lacks %s: %v", want, plan.Files)
		}
	}
	if len(plan.Warnings) != 3 || !strings.HasPrefix(plan.Warnings[0], golang.Name+": ") {
		t.Errorf("warnings %q: want one per target, prefixed with its name", plan.Warnings)
	}

	// Without a go dir, drifttest follows the go target's default; disabled
	// targets do not run, but their folder is still resolved.
	cfg, _ = config.ParseConfig("c.yaml", []byte("version: 1\ntargets:\n  cilium: {enabled: false}\n"))
	all, reqs = fakes()
	jobs, _ = cfg.Jobs(all)
	var enabled []string
	for _, j := range jobs {
		if j.Enabled {
			enabled = append(enabled, j.Gen.Name())
		}
	}
	if len(jobs) != 3 || len(enabled) != 2 {
		t.Fatalf("%d jobs, %v enabled; want 3 jobs, 2 enabled (cilium disabled)", len(jobs), enabled)
	}
	if jobs[2].Dir != cilium.DefaultDir {
		t.Errorf("disabled cilium: dir %q, want %q", jobs[2].Dir, cilium.DefaultDir)
	}
	plan, _ = Run(&spec.Document{}, jobs, Inputs{})
	if reqs[drifttest.Name].Dir != golang.DefaultDir {
		t.Errorf("drifttest dir %q", reqs[drifttest.Name].Dir)
	}
	if reqs[cilium.Name].Doc != nil || len(plan.Files) != 2 {
		t.Errorf("the disabled cilium target ran: %v", plan.Files)
	}
}

func TestRunRejectsCollidingTargets(t *testing.T) {
	a := &gentest.Fake{Key: "a", Dir: "d", Got: &gen.Request{}}
	b := &gentest.Fake{Key: "a", Dir: "d", Got: &gen.Request{}} // writes the same a.txt
	_, err := Run(&spec.Document{}, []config.Job{{Gen: a, Dir: "d", Enabled: true}, {Gen: b, Dir: "d", Enabled: true}}, Inputs{})
	if err == nil || !strings.Contains(err.Error(), "both generate d/a.txt") {
		t.Errorf("err %v, want a collision error", err)
	}
}
