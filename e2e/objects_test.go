package e2e_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"

	"github.com/portspec/portspec/e2e/prereq"
	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/ccnp"
	"github.com/portspec/portspec/gen/cilium"
	"github.com/portspec/portspec/gen/kubernetes"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// object is one generated Kubernetes object and where it came from.
type object struct {
	where string
	obj   *unstructured.Unstructured
}

// ciliumVariants are cilium options whose output differs in shape from the
// defaults': node-label peers (fromNodes), expanded ranges without
// kube-proxy replacement, and host egress with CIDR peers (the metadata
// service, joining nodes from nodeCIDRs), one tunnel port, SSH from
// anywhere on every node and other ICMP types.
var ciliumVariants = []string{
	`{"nodeSelectorLabels": true}`,
	`{"ranges": "expand", "kubeProxyReplacement": false}`,
	`{"egress": true, "nodeCIDRs": ["10.0.0.0/8", "fd00::/8"], "tunnelPorts": [4298], "sshFromWorld": "all", "icmp": [{"family": "IPv4", "type": 0}, {"family": "IPv6", "type": 129}]}`,
}

// kubernetesVariants are kubernetes options whose output differs in kind:
// NetworkPolicies for Flannel (the default writes CiliumNetworkPolicies).
var kubernetesVariants = []string{
	`{"cni": "flannel", "nodeCIDRs": ["10.0.0.0/8"], "masterCIDRs": ["10.0.0.0/24"]}`,
}

// newestData is the newest stored version of the upstream data file.
const newestData = "data/undated_6e01cad3cf.yml"

// generatedObjects returns every object the cilium and kubernetes targets
// generate, with their default options, for the embedded default document
// and for the newest upstream data version, plus the checked-in files under
// generated/cilium and generated/kubernetes when they exist.
func generatedObjects(t *testing.T) []object {
	t.Helper()
	version := ciliumVersion(t)
	docs := map[string]*spec.Document{}
	d, err := parser.Load(context.Background(), "", parser.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	docs["default"] = d
	path := prereq.Upstream(t, newestData)
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if docs["newest"], err = parser.Parse(path, src, parser.Options{}); err != nil {
		t.Fatal(err)
	}
	docs["hostile"] = hostileCopy(d)
	var objs []object
	for name, doc := range docs {
		for _, g := range []gen.Generator{cilium.New(), kubernetes.New()} {
			var opts json.RawMessage
			if g.Name() == cilium.Name {
				opts = withVersion(t, "{}", version)
			}
			out, err := g.Generate(gen.Request{Doc: doc, Dir: g.DefaultDir(), Options: opts})
			if err != nil {
				t.Fatalf("%s on %s: %v", g.Name(), name, err)
			}
			for _, f := range out.Files {
				objs = append(objs, parseObjects(t, name+":"+g.Name()+"/"+f.Path, f.Data)...)
			}
		}
		// The option variants that change the shape of the output.
		for _, v := range []struct {
			g        gen.Generator
			variants []string
			suffix   string
		}{{cilium.New(), ciliumVariants, "v"}, {kubernetes.New(), kubernetesVariants, "k"}} {
			for i, opts := range v.variants {
				raw := json.RawMessage(opts)
				if v.g.Name() == cilium.Name {
					raw = withVersion(t, opts, version)
				}
				out, err := v.g.Generate(gen.Request{Doc: doc, Dir: v.g.DefaultDir(), Options: raw})
				if err != nil && strings.Contains(opts, "nodeSelectorLabels") && strings.Contains(err.Error(), "fromNodes is not in Cilium") {
					t.Logf("variant %s does not exist for Cilium %s: %v", opts, version, err)
					continue
				}
				if err != nil {
					t.Fatalf("%s %s on %s: %v", v.g.Name(), opts, name, err)
				}
				for _, f := range out.Files {
					for _, o := range parseObjects(t, fmt.Sprintf("%s:%s%s/%s", name, v.g.Name(), opts, f.Path), f.Data) {
						o.obj.SetName(fmt.Sprintf("%s-%s%d", o.obj.GetName(), v.suffix, i))
						objs = append(objs, o)
					}
				}
			}
		}
	}
	// The checked-in files follow portspec.yaml, so they are checked only
	// against the version it names, not an override from the environment.
	if os.Getenv("PORTSPEC_CILIUM_VERSION") != "" {
		t.Logf("PORTSPEC_CILIUM_VERSION=%s: the checked-in generated/ files (made for portspec.yaml's version) are not checked", version)
		return objs
	}
	for _, dir := range []string{cilium.DefaultDir, kubernetes.DefaultDir} {
		files, _ := filepath.Glob(filepath.Join("..", "generated", dir, "*.yaml"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			objs = append(objs, parseObjects(t, f, data)...)
		}
	}
	if len(objs) == 0 {
		t.Fatal("no objects generated")
	}
	return objs
}

func parseObjects(t *testing.T, where string, data []byte) []object {
	t.Helper()
	var out []object
	for _, doc := range ccnp.SplitDocuments(data) {
		if ccnp.Blank(doc) {
			continue
		}
		out = append(out, object{where, mustObject(t, where, doc)})
	}
	return out
}

func mustObject(t *testing.T, where string, doc []byte) *unstructured.Unstructured {
	t.Helper()
	j, err := yaml.YAMLToJSON(doc)
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	u := &unstructured.Unstructured{}
	if err := u.UnmarshalJSON(j); err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	return u
}

func byKind(objs []object, kind string) []object {
	var out []object
	for _, o := range objs {
		if o.obj.GetKind() == kind {
			out = append(out, o)
		}
	}
	return out
}

// withVersion sets ciliumVersion in cilium options, so the objects are made
// for the release whose CRDs check them.
func withVersion(t *testing.T, opts, version string) json.RawMessage {
	t.Helper()
	m := map[string]any{}
	if err := json.Unmarshal([]byte(opts), &m); err != nil {
		t.Fatal(err)
	}
	m["ciliumVersion"] = version
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// hostileCopy returns the document with every title and purpose replaced by
// text full of YAML syntax: the objects must still be accepted, the text
// staying inside string values and comments.
func hostileCopy(d *spec.Document) *spec.Document {
	const hostile = "a: b # c\n- { d } [e] \"f\" 'g' |\n---\nkind: Secret\r\n... &h *i !j metrics"
	c := *d
	c.Groups = append([]spec.Group(nil), d.Groups...)
	for gi := range c.Groups {
		g := &c.Groups[gi]
		g.Titles = map[string]string{"en": hostile}
		g.Rules = append([]spec.Rule(nil), g.Rules...)
		for ri := range g.Rules {
			g.Rules[ri].Purposes = spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: hostile, Markdown: hostile}})
		}
	}
	return &c
}
