package config

import (
	"bytes"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// BenchmarkCompileSchema is the one-time cost of the config schema that
// the first config read of a process pays (compiledSchema runs it once).
func BenchmarkCompileSchema(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
		if err != nil {
			b.Fatal(err)
		}
		c := jsonschema.NewCompiler()
		if err := c.AddResource("portspec.schema.json", doc); err != nil {
			b.Fatal(err)
		}
		if _, err := c.Compile("portspec.schema.json"); err != nil {
			b.Fatal(err)
		}
	}
}
