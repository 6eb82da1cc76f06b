package engine_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
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
	out, err := cilium.New().Generate(gen.Request{Doc: doc, Dir: cilium.DefaultDir})
	if err != nil {
		t.Fatal(err)
	}
	var pols []engine.Policy
	for _, f := range out.Files {
		p, err := engine.Parse("generated/"+cilium.DefaultDir+"/"+f.Path, f.Data)
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
	files, err := filepath.Glob(filepath.Join("..", "..", "generated", cilium.DefaultDir, "*.yaml"))
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
	if len(pols) < len(files) {
		t.Errorf("%d files hold %d policies, want at least one each", len(files), len(pols))
	}
	if _, err := engine.NewCluster(pols); err != nil {
		t.Fatal(err)
	}
}

// generated runs the cilium generator on a document with the given options
// and parses every file it writes.
func generated(t *testing.T, doc *spec.Document, opts string) []engine.Policy {
	t.Helper()
	out, err := cilium.New().Generate(gen.Request{Doc: doc, Dir: cilium.DefaultDir, Options: []byte(opts)})
	if err != nil {
		t.Fatal(err)
	}
	var pols []engine.Policy
	for _, f := range out.Files {
		p, err := engine.Parse(doc.Source+":"+cilium.DefaultDir+"/"+f.Path, f.Data)
		if err != nil {
			t.Fatal(err)
		}
		pols = append(pols, p...)
	}
	return pols
}

// checkFlows asks Cilium for each flow and reports the wrong ones.
func checkFlows(t *testing.T, c *engine.Cluster, what string, flows []flow) {
	t.Helper()
	wrong := 0
	for _, f := range flows {
		v, err := c.Lookup(f.node, f.from, f.to, f.proto, f.port)
		if err != nil {
			t.Errorf("%s: %s: %v", what, f.id(), err)
			continue
		}
		if v.Allowed() != f.want {
			wrong++
			t.Errorf("%s: %s: Cilium says %s, want %s: %s (Cilium: %s)", what, f.id(), map[bool]string{true: "allowed", false: "denied"}[v.Allowed()], f.wantWord(), f.why, v)
		}
	}
	t.Logf("%s: %d flows, %d wrong", what, len(flows), wrong)
}

// TestJoiningFromNodeCIDRs: with nodeCIDRs, the rows a joining node needs
// are open to the node networks only, no longer to the world.
func TestJoiningFromNodeCIDRs(t *testing.T) {
	doc, err := parser.Parse(spec.DefaultName, spec.Default(), parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := engine.NewCluster(generated(t, doc, `{"nodeCIDRs": ["10.0.0.0/8"]}`))
	if err != nil {
		t.Fatal(err)
	}
	checkFlows(t, c, "nodeCIDRs 10.0.0.0/8", []flow{
		{M, JN, H, TCP, 4219, allow, "registry-packages-proxy for a joining node inside the node networks"},
		{M, JN, H, UDP, 4234, allow, "NTP for a joining node inside the node networks"},
		{M, World, H, TCP, 4219, deny, "registry-packages-proxy is not for the outside once the node networks are known"},
		{M, World, H, UDP, 4234, deny, "the masters' NTP is not for the outside once the node networks are known"},
		{M, JN, H, TCP, 2379, deny, "a joining node is no etcd client"},
		{M, World, H, TCP, 6443, allow, "kube-apiserver for administrators outside (ExternalToMaster 6443)"},
		{M, RN, H, TCP, 4219, allow, "registered nodes keep their access (NodesToMasters 4219)"},
	})
}

// TestBrokenRulesAreCaught breaks the generated policies on purpose, the
// way a generator bug would, and checks that the flow table catches each
// break: the proof is only worth something if it can fail.
func TestBrokenRulesAreCaught(t *testing.T) {
	doc, err := parser.Parse(spec.DefaultName, spec.Default(), parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := cilium.New().Generate(gen.Request{Doc: doc, Dir: cilium.DefaultDir})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, file, old, new string
		caught               string // a flow that must then be wrong
	}{
		{"etcd open to every node", "masters.yaml", "  - fromEntities:\n    - host\n    - kube-apiserver\n", "  - fromEntities:\n    - host\n    - kube-apiserver\n    - remote-node\n",
			"master: remote-node -> host TCP/2379"},
		{"Prometheus's pods not named", "nodes.yaml", "k8s:prometheus: main", "k8s:prometheus: longterm",
			"worker: d8-monitoring/prometheus -> host TCP/10250"},
		{"metrics open to every pod", "nodes.yaml", "  ingress:\n", "  ingress:\n  - fromEntities:\n    - cluster\n    toPorts:\n    - ports:\n      - port: \"4206\"\n        protocol: TCP\n",
			"worker: shop/web -> host TCP/4206"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var pols []engine.Policy
			replaced := false
			for _, f := range out.Files {
				data := string(f.Data)
				if f.Path == tc.file && strings.Contains(data, tc.old) {
					data, replaced = strings.Replace(data, tc.old, tc.new, 1), true
				}
				p, err := engine.Parse(f.Path, []byte(data))
				if err != nil {
					t.Fatal(err)
				}
				pols = append(pols, p...)
			}
			if !replaced {
				t.Fatalf("%s has no %q to break", tc.file, tc.old)
			}
			c, err := engine.NewCluster(pols)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range defaultDocumentFlows() {
				if f.id() != tc.caught {
					continue
				}
				v, err := c.Lookup(f.node, f.from, f.to, f.proto, f.port)
				if err != nil {
					t.Fatal(err)
				}
				if v.Allowed() == f.want {
					t.Errorf("broken on purpose (%s), yet %s is still %s: the table does not catch it", tc.name, tc.caught, f.wantWord())
				}
				return
			}
			t.Fatalf("the table has no flow %s", tc.caught)
		})
	}
}
