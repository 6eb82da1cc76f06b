package engine_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/portspec/portspec/e2e/engine"
	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/cilium"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

var strict = flag.Bool("strict", false, "treat the flows listed in knownFailures as failures")

// id names a flow in test output and in knownFailures.
func (f flow) id() string {
	return fmt.Sprintf("%s: %s -> %s %s/%d", f.node, f.from, f.to, f.proto, f.port)
}

func (f flow) wantWord() string {
	if f.want {
		return "allowed"
	}
	return "denied"
}

// generatedDefault runs the cilium generator on the embedded default
// document with its default options (portspec.yaml sets none for it) and
// parses every file it writes.
func generatedDefault(t *testing.T) []engine.Policy {
	t.Helper()
	doc, err := parser.Parse(spec.DefaultName, spec.Default(), parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := cilium.New().Generate(gen.Request{Doc: doc, Dir: "cilium"})
	if err != nil {
		t.Fatal(err)
	}
	var pols []engine.Policy
	for _, f := range out.Files {
		p, err := engine.Parse("generated/cilium/"+f.Path, f.Data)
		if err != nil {
			t.Fatal(err)
		}
		pols = append(pols, p...)
	}
	if len(pols) == 0 {
		t.Fatal("the cilium generator wrote no policy")
	}
	return pols
}

// TestDefaultDocumentFlows checks every flow of defaultDocumentFlows against
// what Cilium does with the generated policies. A flow listed in
// knownFailures that fails is logged (run with -v to see them, or with
// -strict to fail on them); one that passes is an error, so that the list
// only shrinks as the generator is fixed.
func TestDefaultDocumentFlows(t *testing.T) {
	c, err := engine.NewCluster(generatedDefault(t))
	if err != nil {
		t.Fatal(err)
	}
	flows := defaultDocumentFlows()
	known := map[string]bool{}
	for _, id := range knownFailures() {
		if known[id] {
			t.Errorf("knownFailures lists %q twice", id)
		}
		known[id] = true
	}
	seen := map[string]bool{}
	var failing []string
	passed := 0
	for _, f := range flows {
		id := f.id()
		if seen[id] {
			t.Errorf("the table has %q twice", id)
		}
		seen[id] = true
		v, err := c.Lookup(f.node, f.from, f.to, f.proto, f.port)
		if err != nil {
			t.Errorf("%s: %v", id, err)
			continue
		}
		if v.Allowed() == f.want {
			passed++
			if known[id] {
				t.Errorf("%s: now %s as it must be (%s): delete it from knownFailures", id, f.wantWord(), f.why)
			}
			continue
		}
		msg := fmt.Sprintf("%s: Cilium says %s, want %s: %s (Cilium: %s)", id, map[bool]string{true: "allowed", false: "denied"}[v.Allowed()], f.wantWord(), f.why, v)
		failing = append(failing, id)
		switch {
		case !known[id]:
			t.Error(msg)
		case *strict:
			t.Error("known failure: " + msg)
		default:
			t.Log("KNOWN FAILURE " + msg)
		}
	}
	for id := range known {
		if !seen[id] {
			t.Errorf("knownFailures lists %q, which is not in the table", id)
		}
	}
	sort.Strings(failing)
	t.Logf("default document: %d flows, %d as they must be, %d not (%d of them known failures)", len(flows), passed, len(failing), len(failing)-countUnknown(failing, known))
}

func countUnknown(ids []string, known map[string]bool) int {
	n := 0
	for _, id := range ids {
		if !known[id] {
			n++
		}
	}
	return n
}

// TestCheckedInPoliciesLoad: the checked-in generated/cilium files, the ones
// users apply, are accepted by Cilium's Parse and make a repository.
func TestCheckedInPoliciesLoad(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "generated", "cilium", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		wd, _ := os.Getwd()
		t.Fatalf("no generated/cilium/*.yaml two levels above %s", wd)
	}
	pols, err := engine.LoadFiles(files...)
	if err != nil {
		t.Fatal(err)
	}
	if len(pols) != len(files) {
		t.Errorf("%d files hold %d policies, want one each", len(files), len(pols))
	}
	if _, err := engine.NewCluster(pols); err != nil {
		t.Fatal(err)
	}
}
