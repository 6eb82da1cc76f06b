package gen

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/portspec/portspec/spec"
)

// fake is a target that records its request and writes one file.
type fake struct {
	name, dir string
	got       *Request
}

func (f *fake) Name() string       { return f.name }
func (f *fake) DefaultDir() string { return f.dir }
func (f *fake) Generate(req Request) (*Output, error) {
	*f.got = req
	return &Output{
		Files:    []File{{Path: f.name + ".txt", Data: []byte("# " + HeaderPrefix[1:] + "from x (sha256 0). DO NOT EDIT.\n")}},
		Warnings: []string{"a warning"},
	}, nil
}

func fakes() (all []Generator, reqs map[string]*Request) {
	reqs = map[string]*Request{}
	for _, n := range [][2]string{{"go", "ports"}, {"drifttest", "ports"}, {"cilium", "cilium"}} {
		reqs[n[0]] = &Request{}
		all = append(all, &fake{name: n[0], dir: n[1], got: reqs[n[0]]})
	}
	return all, reqs
}

func TestJobsDirsOptionsAndEnabled(t *testing.T) {
	cfg, err := ParseConfig("c.yaml", []byte(`version: 1
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
	plan, err := Run(&spec.Document{Source: "x"}, jobs, cfg.Idents)
	if err != nil {
		t.Fatal(err)
	}
	if got := reqs["drifttest"].Dir; got != "pkg/ports" {
		t.Errorf("drifttest dir %q, want the go target's pkg/ports", got)
	}
	if got := reqs["cilium"].Dir; got != "deploy" {
		t.Errorf("cilium dir %q", got)
	}
	var opts map[string]any
	if err := json.Unmarshal(reqs["cilium"].Options, &opts); err != nil || len(opts) != 1 || opts["nodeSelectors"] == nil {
		t.Errorf("cilium options %s (%v): want only nodeSelectors, without dir and enabled", reqs["cilium"].Options, err)
	}
	if reqs["go"].Options != nil {
		t.Errorf("go options %s, want nil (only engine keys were set)", reqs["go"].Options)
	}
	if reqs["go"].Idents["MastersToNodes/TCP/10250"] != "Kubelet" {
		t.Errorf("idents not passed: %v", reqs["go"].Idents)
	}
	for _, want := range []string{"pkg/ports/go.txt", "pkg/ports/drifttest.txt", "deploy/cilium.txt"} {
		if _, ok := plan.Files[want]; !ok {
			t.Errorf("plan lacks %s: %v", want, plan.Files)
		}
	}
	if len(plan.Warnings) != 3 || !strings.HasPrefix(plan.Warnings[0], "go: ") {
		t.Errorf("warnings %q: want one per target, prefixed with its name", plan.Warnings)
	}

	// Without a go dir, drifttest follows the go target's default; disabled
	// targets do not run.
	cfg, _ = ParseConfig("c.yaml", []byte("version: 1\ntargets:\n  cilium: {enabled: false}\n"))
	all, reqs = fakes()
	jobs, _ = cfg.Jobs(all)
	if len(jobs) != 2 {
		t.Fatalf("%d jobs, want 2 (cilium disabled)", len(jobs))
	}
	Run(&spec.Document{}, jobs, nil)
	if reqs["drifttest"].Dir != "ports" {
		t.Errorf("drifttest dir %q", reqs["drifttest"].Dir)
	}
}

func TestRunRejectsCollidingTargets(t *testing.T) {
	a := &fake{name: "go", dir: "ports", got: &Request{}}
	b := &fake{name: "go", dir: "ports", got: &Request{}} // writes the same go.txt
	_, err := Run(&spec.Document{}, []Job{{Gen: a, Dir: "ports"}, {Gen: b, Dir: "ports"}}, nil)
	if err == nil || !strings.Contains(err.Error(), "both generate ports/go.txt") {
		t.Errorf("err %v, want a collision error", err)
	}
}

func TestJobsUnknownTarget(t *testing.T) {
	cfg := &Config{Version: 1, Targets: map[string]json.RawMessage{"nosuch": json.RawMessage("{}")}}
	all, _ := fakes()
	if _, err := cfg.Jobs(all); err == nil || !strings.Contains(err.Error(), `unknown target "nosuch"`) {
		t.Errorf("err %v", err)
	}
}
