package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/portspec/portspec/internal/upstream"
)

// BenchmarkCompileSchema is the one-time cost of the config schema that
// the first config read of a process pays (compiledSchema runs it once).
// BenchmarkCompileSchemaLibrary is what it was with the reference library
// (besides the library's package init, which every process paid: the
// metaschemas of five drafts).
func BenchmarkCompileSchema(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := compileSchema(schema); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCompileSchemaLibrary(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := libCompile(schema); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRepoConfigSchema is what the schema costs a process that reads
// the repository's portspec.yaml: compile and validate, ours and the
// reference library's, and validating alone with the schema compiled.
func BenchmarkRepoConfigSchema(b *testing.B) {
	path := filepath.Join(upstream.RepoRoot(), ConfigFile)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	inst, _, ok := parseInstance(path, data)
	if !ok {
		b.Fatal("portspec.yaml does not parse")
	}
	b.Run("compile+validate/own", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sch, err := compileSchema(schema)
			if err != nil || len(sch.validate(inst)) > 0 {
				b.Fatal("invalid", err)
			}
		}
	})
	b.Run("compile+validate/library", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			sch, err := libCompile(schema)
			if err != nil || sch.Validate(inst) != nil {
				b.Fatal("invalid", err)
			}
		}
	})
	b.Run("validate/own", func(b *testing.B) {
		sch, err := compiledSchema()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if len(sch.validate(inst)) > 0 {
				b.Fatal("invalid")
			}
		}
	})
	b.Run("validate/library", func(b *testing.B) {
		sch, err := libSchema()
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			if sch.Validate(inst) != nil {
				b.Fatal("invalid")
			}
		}
	})
}
