package parser_test

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/portspec/portspec/internal/golden"
	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/spec"
	"golang.org/x/tools/txtar"
)

// TestModelGolden compares the whole JSON model of the embedded default
// (the seed's tables) and of the newest data version with
// testdata/golden/*.txtar. Run with -update to rewrite them, then read the
// diff before committing.
func TestModelGolden(t *testing.T) {
	t.Run("default", func(t *testing.T) {
		checkModelGolden(t, "testdata/golden/default.txtar", spec.DefaultName, spec.Default())
	})
	t.Run("data-newest", func(t *testing.T) {
		b, err := os.ReadFile(upstream.Path(t, "data/undated_6e01cad3cf.yml"))
		if err != nil {
			t.Fatal(err)
		}
		// A stable name, not the checkout's path, so that positions in the
		// golden file are the same on every machine.
		// Upstream's prose purposes are pinned by fingerprint, not copied.
		checkModelGolden(t, "testdata/golden/data-newest.txtar", "data/undated_6e01cad3cf.yml", b, upstream.RedactProse)
	})
}

func checkModelGolden(t *testing.T, file, name string, src []byte, edits ...func(*spec.Document)) {
	t.Helper()
	doc, err := parser.Parse(name, src, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, edit := range edits {
		edit(doc)
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	var ind bytes.Buffer
	if err := json.Indent(&ind, raw, "", "  "); err != nil {
		t.Fatal(err)
	}
	ind.WriteByte('\n')
	golden.Check(t, file, "The JSON model (portspec parse --format json) of "+name+".\nRegenerate: go test ./parser -run TestModelGolden -update\n",
		[]txtar.File{{Name: "model.json", Data: ind.Bytes()}})
	// The JSON (the golden file's, once Check passes) reads back into the
	// same model.
	var back spec.Document
	if err := json.Unmarshal(ind.Bytes(), &back); err != nil {
		t.Fatalf("golden JSON does not read back: %v", err)
	}
	if diff := cmp.Diff(doc.Flows(), back.Flows()); diff != "" {
		t.Errorf("flows after a JSON round trip (-want +got):\n%s", diff)
	}
}
