package k8syaml

import (
	"bytes"
	"encoding/json"
	"testing"

	sigsyaml "sigs.k8s.io/yaml"

	"github.com/portspec/portspec/internal/gentest"
)

// FuzzMatchesSigsYAML: for any JSON value (written as Go writes JSON),
// FromJSON gives sigs.k8s.io/yaml.JSONToYAML's bytes; where that fails
// (yaml.v2's reader refuses some runes a JSON string may hold raw) FromJSON's
// YAML reads back as the same value.
func FuzzMatchesSigsYAML(f *testing.F) {
	for _, s := range []string{
		`{"b":1,"a":[1,-2,3.5,1e3,18446744073709551615,9223372036854775808,-0,1e400],"c":null,"d":true,"e":{}}`,
		`{"description":"portspec: traffic into all nodes, from the document's groups: Master to nodes traffic (MastersToNodes); Nodes to nodes traffic (NodesToNodes).","port":"22"}`,
		`["yes","no","on","0x1F","1_000","2001-12-14","~","null","",": x","- y","#z","a: b","\u2028","\u0085","\ufeff"]`,
	} {
		f.Add([]byte(s))
	}
	for _, h := range gentest.Hostile() {
		j, _ := json.Marshal(map[string]any{"k": h, "list": []string{h, h + " " + h}})
		f.Add(j)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		var v any
		if json.Unmarshal(in, &v) != nil {
			return
		}
		dec := json.NewDecoder(bytes.NewReader(in))
		dec.UseNumber()
		if dec.Decode(&v) != nil {
			return
		}
		j, err := json.Marshal(v)
		if err != nil {
			return
		}
		got, err := FromJSON(j)
		if err != nil {
			t.Fatalf("FromJSON(%s): %v", j, err)
		}
		want, err := sigsyaml.JSONToYAML(j)
		if err == nil {
			if !bytes.Equal(got, want) {
				t.Fatalf("FromJSON(%s) =\n%s\nsigs.k8s.io/yaml writes\n%s", j, got, want)
			}
			return
		}
		back, err := sigsyaml.YAMLToJSON(got)
		if err != nil {
			t.Fatalf("sigs.k8s.io/yaml cannot write %s (%v), and FromJSON's\n%s\ndoes not read back: %v", j, err, got, err)
		}
		var a, b any
		json.Unmarshal(j, &a)
		json.Unmarshal(back, &b)
		if aj, bj := mustJSON(t, a), mustJSON(t, b); !bytes.Equal(aj, bj) {
			t.Fatalf("FromJSON(%s) reads back as %s", aj, bj)
		}
	})
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMarshalMatchesSigsYAML: Marshal of a typed object (json tags,
// omitempty, nested structs, an integer field) gives sigs.k8s.io/yaml's
// bytes.
func TestMarshalMatchesSigsYAML(t *testing.T) {
	type port struct {
		Port     string `json:"port"`
		Protocol string `json:"protocol,omitempty"`
		End      int32  `json:"endPort,omitempty"`
	}
	obj := struct {
		Kind  string            `json:"kind"`
		Ports []port            `json:"ports"`
		Label map[string]string `json:"labels,omitempty"`
		Note  string            `json:"description"`
	}{"CiliumClusterwideNetworkPolicy", []port{{"22", "TCP", 0}, {"30000", "", 32767}}, map[string]string{"b": "2", "a": "true"},
		"a long description that yaml.v2 folds at eighty columns, because its emitter's width is 80: it's quoted as well"}
	got, err := Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	want, err := sigsyaml.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Marshal =\n%s\nsigs.k8s.io/yaml writes\n%s", got, want)
	}
}
