package parser_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
)

// FuzzParse: whatever the bytes and the kind, Parse does not panic (its
// recover turns a panic into an "internal error", which fails here), every
// error has a position, and an accepted document validates and survives a
// JSON round trip. The committed corpus is in testdata/fuzz/FuzzParse;
// scripts/fuzz.sh runs this for a bounded time in CI.
func FuzzParse(f *testing.F) {
	f.Add(spec.Default(), uint8(0))
	f.Add([]byte(smallDoc), uint8(1))
	f.Add([]byte("groups:\n- group: NodesToNodes\n  destinations:\n  - ports: \"1-2, 3\"\n    protocol: TCP/UDP\n    description: {en: x, ru: y}\n"), uint8(2))
	kinds := []parser.Kind{parser.KindAuto, parser.KindMarkdown, parser.KindData}
	f.Fuzz(func(t *testing.T, src []byte, k uint8) {
		kind := kinds[int(k)%len(kinds)]
		doc, err := parser.Parse("fuzz", src, parser.Options{Kind: kind})
		checkParsed(t, doc, err)
	})
}

// checkParsed holds a parse result to what every reader promises: no
// panic (Parse's recover turns one into an "internal error"), every error
// with a position, and an accepted document that validates and survives a
// JSON round trip.
func checkParsed(t *testing.T, doc *spec.Document, err error) {
	t.Helper()
	if err != nil {
		var list spec.ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Fatalf("error is not a non-empty spec.ErrorList: %v", err)
		}
		for _, e := range list {
			if strings.Contains(e.Msg, "internal error") {
				t.Fatalf("parser panicked: %v", e)
			}
			if e.Pos.Filename != "fuzz" || e.Pos.Line < 1 || e.Pos.Column < 1 {
				t.Fatalf("error without a position: %q at %+v", e.Msg, e.Pos)
			}
		}
		return
	}
	if err := spec.Validate(doc); err != nil {
		t.Fatalf("accepted document does not validate: %v", err)
	}
	// json.Marshal checks that MarshalJSON (AppendJSON) writes JSON;
	// spec.FuzzAppendJSON holds its bytes to encoding/json's.
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatalf("MarshalJSON: %v", err)
	}
	var back spec.Document
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("UnmarshalJSON of our own JSON: %v\n%s", err, b)
	}
	b2, err := json.Marshal(&back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, b2) {
		t.Fatalf("JSON round trip changes the model:\n%s", cmp.Diff(string(b), string(b2)))
	}
	if diff := cmp.Diff(doc.Flows(), back.Flows()); diff != "" {
		t.Fatalf("flows after a round trip (-want +got):\n%s", diff)
	}
}
