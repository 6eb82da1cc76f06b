package nftables

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

func generate(t *testing.T, doc *spec.Document, opts string) []gen.File {
	t.Helper()
	req := gen.Request{Doc: doc, Dir: "nftables"}
	if opts != "" {
		req.Options = json.RawMessage(opts)
	}
	out, err := New().Generate(req)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range out.Files {
		names = append(names, f.Path)
		if !gen.IsGenerated(f.Data) {
			t.Errorf("%s: no generated-file header", f.Path)
		}
	}
	if d := cmp.Diff([]string{"master.nft", "node.nft", "frontend.nft"}, names); d != "" {
		t.Fatalf("files (-want +got):\n%s", d)
	}
	return out.Files
}

func TestGolden(t *testing.T) {
	gentest.Golden(t, "testdata/default.txtar", generate(t, gentest.Default(t), ""))
	t.Run("small", func(t *testing.T) {
		gentest.Golden(t, "testdata/small.txtar", generate(t, gentest.Small(), `{"output_policy":"drop","table":"fw"}`))
	})
}

func TestDeterministic(t *testing.T) {
	a := generate(t, gentest.Default(t), "")
	for range 5 {
		if d := cmp.Diff(a, generate(t, gentest.Default(t), "")); d != "" {
			t.Fatalf("two runs differ:\n%s", d)
		}
	}
}

// code drops the comment lines: what nft reads.
func code(data []byte) string {
	var b strings.Builder
	for _, l := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// TestHostilePurposesStayInComments: hostile purposes (and source name)
// change no line nft reads, and each appears whole on its comment line.
func TestHostilePurposesStayInComments(t *testing.T) {
	plain := generate(t, gentest.Small(), "")
	hostile := generate(t, gentest.WithHostile(gentest.Small()), "")
	for i := range plain {
		if d := cmp.Diff(code(plain[i].Data), code(hostile[i].Data)); d != "" {
			t.Errorf("%s: hostile purposes changed the ruleset (-plain +hostile):\n%s", plain[i].Path, d)
		}
		if n, m := bytes.Count(plain[i].Data, []byte("\n")), bytes.Count(hostile[i].Data, []byte("\n")); n != m {
			t.Errorf("%s: %d lines, hostile %d", plain[i].Path, n, m)
		}
	}
	if !bytes.Contains(hostile[0].Data, []byte("\t\t# MastersToMasters: {{ lookup('pipe', 'id') }}\n")) {
		t.Errorf("master.nft lacks the hostile purpose on its comment line:\n%s", hostile[0].Data)
	}
}

func TestRolesAndPolicy(t *testing.T) {
	files := generate(t, gentest.Small(), `{"cidrs":{"master":["192.0.2.1"],"node":["192.0.2.2"],"frontend":["192.0.2.3"]}}`)
	byName := map[string]string{}
	for _, f := range files {
		byName[f.Path] = string(f.Data)
	}
	for name, want := range map[string][]string{
		"master.nft":   {"tcp dport { 2379, 2380 }", "tcp dport { 10250 }", "icmp type echo-request", "policy drop;", "udp dport { 53 }"},
		"node.nft":     {"tcp dport { 10250 }", "tcp dport { 7000-7999 }"},
		"frontend.nft": {"tcp dport { 80, 443 }", "tcp dport { 10250 }"},
	} {
		for _, w := range want {
			if !strings.Contains(byName[name], w) {
				t.Errorf("%s lacks %q", name, w)
			}
		}
	}
	for name, absent := range map[string][]string{
		"node.nft":     {"2379", "6443", "dport { 80, 443 }"},
		"frontend.nft": {"2379", "6443"},
	} {
		for _, a := range absent {
			if strings.Contains(byName[name], a) {
				t.Errorf("%s has %q", name, a)
			}
		}
	}
	if !strings.Contains(byName["master.nft"], "elements = { 192.0.2.1/32, 192.0.2.2/32, 192.0.2.3/32 }") {
		t.Errorf("node set is not the union of the cluster roles:\n%s", byName["master.nft"])
	}
	for _, f := range files {
		if strings.Contains(string(f.Data), "flush") {
			t.Errorf("%s flushes", f.Path)
		}
	}
}
