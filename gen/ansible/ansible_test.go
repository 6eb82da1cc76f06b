package ansible

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/hostfw"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

func generate(t testing.TB, doc *spec.Document, opts string) []byte {
	t.Helper()
	req := gen.Request{Doc: doc, Dir: "ansible"}
	if opts != "" {
		req.Options = json.RawMessage(opts)
	}
	out, err := New().Generate(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Files) != 1 || out.Files[0].Path != VarsPath {
		t.Fatalf("want exactly %s, got %d files", VarsPath, len(out.Files))
	}
	return out.Files[0].Data
}

func TestGolden(t *testing.T) {
	doc := gentest.Default(t)
	out, err := New().Generate(gen.Request{Doc: doc, Dir: "ansible"})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Warnings) != 0 {
		t.Errorf("warnings on the default document: %q", out.Warnings)
	}
	gentest.Golden(t, "testdata/default.txtar", out.Files)
	t.Run("small", func(t *testing.T) {
		gentest.Golden(t, "testdata/small.txtar", []gen.File{{Path: VarsPath, Data: generate(t, gentest.Small(), "")}})
	})
}

func TestHeaderAndDeterminism(t *testing.T) {
	a := generate(t, gentest.Default(t), "")
	if !gen.IsGenerated(a) {
		t.Errorf("no generated-file header: %q", bytes.SplitN(a, []byte("\n"), 2)[0])
	}
	for range 5 {
		if b := generate(t, gentest.Default(t), ""); !bytes.Equal(a, b) {
			t.Fatalf("two runs differ:\n%s", cmp.Diff(string(a), string(b)))
		}
	}
}

// shape replaces every scalar value of a YAML tree by its tag, keeping keys:
// two files of the same shape differ only in values.
func shape(n *yaml.Node) any {
	switch n.Kind {
	case yaml.DocumentNode:
		return shape(n.Content[0])
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i < len(n.Content); i += 2 {
			m[n.Content[i].Value] = shape(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		var s []any
		for _, c := range n.Content {
			s = append(s, shape(c))
		}
		return s
	}
	return n.Tag
}

func decodeOne(t testing.TB, data []byte) *yaml.Node {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var n yaml.Node
	if err := dec.Decode(&n); err != nil {
		t.Fatal(err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		t.Fatalf("the vars file holds more than one YAML document (err %v)", err)
	}
	return &n
}

// TestHostilePurposesKeepStructure: YAML specials, new lines, "---" and
// Jinja in purposes and the source name change no key, no list and no tag,
// every document string is tagged !unsafe, and each reads back as exactly
// the one-line text the generator meant.
func TestHostilePurposesKeepStructure(t *testing.T) {
	plain := generate(t, gentest.Small(), "")
	hostile := generate(t, gentest.WithHostile(gentest.Small()), "")
	if d := cmp.Diff(shape(decodeOne(t, plain)), shape(decodeOne(t, hostile))); d != "" {
		t.Fatalf("hostile purposes changed the structure (-plain +hostile):\n%s", d)
	}
	var v struct {
		Source string                      `yaml:"portspec_source"`
		Rules  map[string][]map[string]any `yaml:"portspec_rules"`
	}
	if err := yaml.Unmarshal(hostile, &v); err != nil {
		t.Fatal(err)
	}
	if want := gen.OneLine(gentest.WithHostile(gentest.Small()).Source); v.Source != want {
		t.Errorf("source reads back as %q, want %q", v.Source, want)
	}
	seen := map[string]bool{}
	for role, rules := range v.Rules {
		for _, r := range rules {
			seen[r["purpose"].(string)] = true
			if strings.ContainsAny(r["purpose"].(string), "\n\r") {
				t.Errorf("%s %v: purpose not on one line", role, r["name"])
			}
		}
	}
	for _, h := range gentest.Hostile() {
		if !seen[gen.OneLine(h)] {
			t.Errorf("hostile purpose %q does not read back as %q", h, gen.OneLine(h))
		}
	}
	// Every scalar under a document-derived key is tagged !unsafe.
	var walk func(n *yaml.Node)
	count := 0
	walk = func(n *yaml.Node) {
		for i, c := range n.Content {
			if n.Kind == yaml.MappingNode && i%2 == 0 {
				switch c.Value {
				case "portspec_source", "portspec_sha256", "name", "group", "purpose":
					count++
					if v := n.Content[i+1]; v.Tag != "!unsafe" {
						t.Errorf("line %d: %s is tagged %s, want !unsafe", v.Line, c.Value, v.Tag)
					}
				}
			}
			walk(c)
		}
	}
	walk(decodeOne(t, hostile))
	if count < 3*gentest.Small().RuleCount() {
		t.Errorf("checked only %d document strings", count)
	}
}

func TestOptions(t *testing.T) {
	data := generate(t, gentest.Small(), `{"groups":{"master":["cp"],"node":["workers","gpu"]},"cidrs":{"master":["192.0.2.1"],"node":["192.0.2.2"],"frontend":["192.0.2.3"]},"table":"fw"}`)
	var v Vars
	if err := yaml.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string][]string{"master": {"cp"}, "node": {"workers", "gpu"}, "frontend": {"frontends"}}, v.RoleGroups); d != "" {
		t.Errorf("groups (-want +got):\n%s", d)
	}
	if v.Table != "fw" || v.RoleCIDRs["master"].IPv4[0] != "192.0.2.1/32" {
		t.Errorf("table %q, master %v", v.Table, v.RoleCIDRs["master"])
	}
	_, err := New().Generate(gen.Request{Doc: gentest.Small(), Options: json.RawMessage(`{"groups":{"etcd":["a"],"node":["bad name"]}}`)})
	if err == nil || !strings.Contains(err.Error(), `unknown role "etcd"`) || !strings.Contains(err.Error(), `"bad name" is not an Ansible group name`) {
		t.Errorf("bad groups: %v", err)
	}
	_, err = New().Generate(gen.Request{Doc: gentest.Small(), Options: json.RawMessage(`{"cidrs":{"master":["192.0.2.1"]}}`)})
	if err == nil || !strings.Contains(err.Error(), "targets.ansible.cidrs.node: missing") || !strings.Contains(err.Error(), "targets.ansible.cidrs.frontend: missing") {
		t.Errorf("some roles' cidrs without the others: %v", err)
	}
	_, err = New().Generate(gen.Request{Doc: gentest.Small(), Options: json.RawMessage(`{"zones":1}`)})
	if err == nil || !strings.Contains(err.Error(), "targets.ansible") {
		t.Errorf("unknown option: %v", err)
	}
}

// TestUfwFormsWithinLimit checks every ufw form of the newest upstream
// version against ufw's limit (the default document has no rule that
// needs splitting; Small has one).
func TestUfwFormsWithinLimit(t *testing.T) {
	for _, doc := range []*spec.Document{gentest.Small(), gentest.Newest(t)} {
		var v Vars
		if err := yaml.Unmarshal(generate(t, doc, ""), &v); err != nil {
			t.Fatal(err)
		}
		for _, rules := range v.Rules {
			for _, r := range rules {
				total := 0
				for _, l := range r.Ufw {
					n := 0
					for _, p := range strings.Split(l, ",") {
						n += 1 + strings.Count(p, ":")
					}
					if n > hostfw.UfwMaxPorts {
						t.Errorf("%s: ufw form %q has %d ports", r.Name, l, n)
					}
					total += len(strings.Split(l, ","))
				}
				if total != len(r.Ports) {
					t.Errorf("%s: ufw forms list %d ports, rule has %d", r.Name, total, len(r.Ports))
				}
			}
		}
	}
}

// TestVarsSetsAndSources: without cidrs the cluster roles' sets are left to
// the inventory (only external is in the vars); each rule names its
// sources from its row's clients; the pod subnets and the chains' ends
// are there for the template.
func TestVarsSetsAndSources(t *testing.T) {
	var v Vars
	if err := yaml.Unmarshal(generate(t, gentest.Small(), ""), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.RoleCIDRs) != 1 || v.RoleCIDRs["external"].IPv4[0] != "0.0.0.0/0" {
		t.Errorf("without cidrs: role cidrs %v, want external only", v.RoleCIDRs)
	}
	if d := cmp.Diff(Addrs{IPv4: []string{"10.111.0.0/16"}, IPv6: []string{}}, v.PodCIDRs); d != "" {
		t.Errorf("pod cidrs (-want +got):\n%s", d)
	}
	if len(v.Trusted.IPv4)+len(v.Trusted.IPv6) != 0 {
		t.Errorf("trusted by default: %v", v.Trusted)
	}
	sources := map[string][]string{}
	for _, rules := range v.Rules {
		for _, r := range rules {
			sources[string(r.Name)] = r.Sources
		}
	}
	for name, want := range map[string][]string{
		"MastersToMasters/tcp/2379": {"master"},
		"MastersToNodes/tcp/10250":  {"master", "pod"},
		"NodesToMasters/tcp/6443":   {"node", "pod"},
		"NodesToMasters/udp/4234":   {"node"},
		"ExternalToMaster/tcp/22":   {"external"},
		"NodesToExternal/udp/53":    {},
	} {
		if d := cmp.Diff(want, sources[name]); d != "" {
			t.Errorf("%s sources (-want +got):\n%s", name, d)
		}
	}
	if err := yaml.Unmarshal(generate(t, gentest.Small(), `{"privateRanges":true,"mode":"audit","log":true,"output_policy":"drop"}`), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.RoleCIDRs) != 4 || v.RoleCIDRs["node"].IPv4[0] != "10.0.0.0/8" {
		t.Errorf("privateRanges: role cidrs %v", v.RoleCIDRs)
	}
	want := map[string]Chain{
		"input":  {Policy: "accept", Last: `counter limit rate 5/minute log prefix "portspec audit: "`},
		"output": {Policy: "accept", Last: `counter limit rate 5/minute log prefix "portspec audit: "`},
	}
	if d := cmp.Diff(want, v.Chains); d != "" || v.Mode != "audit" || !v.Log {
		t.Errorf("audit chains (-want +got):\n%s (mode %q, log %v)", d, v.Mode, v.Log)
	}
}
