package ccnp

import (
	"bytes"
	"fmt"

	"sigs.k8s.io/yaml"
)

// Parse reads the policies of one YAML stream (documents separated by
// `---` lines; comments and empty documents are skipped). Decoding is
// strict: a field this package does not know is an error.
func Parse(name string, data []byte) ([]Policy, error) {
	var out []Policy
	for i, doc := range SplitDocuments(data) {
		if Blank(doc) {
			continue
		}
		var p Policy
		if err := yaml.UnmarshalStrict(doc, &p); err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", name, i+1, err)
		}
		if p.APIVersion != APIVersion || (p.Kind != Kind && p.Kind != KindNamespaced) {
			return nil, fmt.Errorf("%s: document %d: %s/%s is not a %s %s or %s", name, i+1, p.APIVersion, p.Kind, APIVersion, Kind, KindNamespaced)
		}
		out = append(out, p)
	}
	return out, nil
}

// SplitDocuments splits a YAML stream at lines that are exactly `---`.
func SplitDocuments(data []byte) [][]byte {
	var docs [][]byte
	var cur []byte
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if string(bytes.TrimRight(line, "\r\n")) == "---" {
			docs = append(docs, cur)
			cur = nil
			continue
		}
		cur = append(cur, line...)
	}
	return append(docs, cur)
}

// Blank reports whether a document of a YAML stream holds nothing but
// comments and white space.
func Blank(doc []byte) bool {
	return len(bytes.TrimSpace(stripComments(doc))) == 0
}

func stripComments(doc []byte) []byte {
	var b []byte
	for _, line := range bytes.SplitAfter(doc, []byte("\n")) {
		if t := bytes.TrimSpace(line); len(t) > 0 && t[0] == '#' {
			continue
		}
		b = append(b, line...)
	}
	return b
}
