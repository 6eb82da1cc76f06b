package config

// The proof that the config's own validator (jsonschema.go) agrees with a
// general JSON Schema implementation, santhosh-tekuri/jsonschema, which
// validated configs before and is now linked into tests only:
//
//   - the schema is a valid draft 2020-12 schema (editors rely on it);
//   - on a corpus of configs (every config in the repository's testdata,
//     tests and documentation, and mutations of each) both accept the same
//     configs, and validateSchema words the same errors at the same
//     positions as the library-based validateSchema it replaced
//     (libReport below, kept as it was);
//   - a fuzz target does the same on any YAML.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/portspec/portspec/internal/upstream"
	"github.com/portspec/portspec/spec"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/tools/txtar"
	"gopkg.in/yaml.v3"
)

// libCompile compiles a schema with the reference library (which checks it
// against its draft's metaschema on the way).
func libCompile(data []byte) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	const url = "portspec.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	return c.Compile(url)
}

var libSchema = sync.OnceValues(func() (*jsonschema.Schema, error) { return libCompile(schema) })

// TestSchemaIsDraft202012: the schema is a valid draft 2020-12 schema, per
// the reference library, both as it compiles it and as an instance of the
// 2020-12 metaschema.
func TestSchemaIsDraft202012(t *testing.T) {
	if _, err := libSchema(); err != nil {
		t.Fatalf("the reference library refuses the schema: %v", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.(map[string]any)["$schema"]; got != draft202012 {
		t.Errorf("$schema is %v, want %s", got, draft202012)
	}
	meta, err := jsonschema.NewCompiler().Compile(draft202012)
	if err != nil {
		t.Fatal(err)
	}
	if err := meta.Validate(doc); err != nil {
		t.Errorf("not a valid draft 2020-12 schema: %v", err)
	}
}

// libReport is validateSchema's reporting as it was with the reference
// library (after its Validate): the wording the differential test holds
// ours to. err is what the library's Validate returned.
func libReport(sch *jsonschema.Schema, err error, inst any, pos positions, errs *spec.Errors) {
	if err == nil {
		return
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		errs.Add(token.Position{Filename: pos.file, Line: 1, Column: 1}, "%v", err)
		return
	}
	p := message.NewPrinter(language.English)
	all := libLeaves(ve)
	failed := map[string]bool{}
	for _, leaf := range all {
		if _, ok := leaf.ErrorKind.(*kind.FalseSchema); !ok {
			failed[strings.Join(leaf.InstanceLocation, "/")] = true
		}
	}
	for _, leaf := range all {
		if _, ok := leaf.ErrorKind.(*kind.FalseSchema); ok && failed[strings.Join(leaf.InstanceLocation, "/")] {
			continue
		}
		loc := leaf.InstanceLocation
		switch k := leaf.ErrorKind.(type) {
		case *kind.AdditionalProperties:
			props := append([]string(nil), k.Properties...)
			sort.Strings(props)
			for _, prop := range props {
				errs.Add(pos.key(append(slices.Clip(loc), prop)...), "unknown key %q%s", prop, where(loc))
			}
		case *kind.FalseSchema:
			if len(loc) > 0 {
				errs.Add(pos.key(loc...), "unknown key %q%s", loc[len(loc)-1], where(loc[:len(loc)-1]))
			} else {
				errs.Add(pos.at(loc), "not allowed here")
			}
		case *kind.PropertyNames:
			if owner := libKeyOwner(sch, inst, len(loc), k.Property); len(owner) == len(loc) {
				loc = owner
			}
			errs.Add(pos.key(append(slices.Clip(loc), k.Property)...), "invalid key %q%s: %s", k.Property, where(loc), keyHint(loc))
		case *kind.Const:
			if v, ok := valueAt(inst, loc).(string); ok && len(loc) == 1 && loc[0] == "version" {
				errs.Add(pos.at(loc), "version must be the number 1, not the string %q: write version: 1, without quotes", v)
				continue
			}
			errs.Add(pos.at(loc), "%s%s", leaf.ErrorKind.LocalizedString(p), where(loc))
		case *kind.Not:
			errs.Add(pos.at(loc), "must be a relative path inside out, without \"..\"%s", where(loc))
		default:
			errs.Add(pos.at(loc), "%s%s", leaf.ErrorKind.LocalizedString(p), where(loc))
		}
	}
}

// libKeyOwner is keyOwner on the library's compiled schema: the library
// keeps a propertyNames failure's object location without copying it
// (santhosh-tekuri/jsonschema#269), so that only its depth is sure.
func libKeyOwner(sch *jsonschema.Schema, inst any, depth int, key string) []string {
	var at []string
	var walk func(s *jsonschema.Schema, v any) bool
	walk = func(s *jsonschema.Schema, v any) bool {
		for s != nil && s.Ref != nil && s.Properties == nil && s.PropertyNames == nil {
			s = s.Ref
		}
		m, ok := v.(map[string]any)
		if s == nil || !ok {
			return false
		}
		if len(at) == depth {
			_, has := m[key]
			return has && s.PropertyNames != nil
		}
		for _, k := range slices.Sorted(maps.Keys(m)) {
			child := s.Properties[k]
			if child == nil {
				child, _ = s.AdditionalProperties.(*jsonschema.Schema)
			}
			at = append(at, k)
			if walk(child, m[k]) {
				return true
			}
			at = at[:len(at)-1]
		}
		return false
	}
	walk(sch, inst)
	return at
}

// libLeaves returns the errors that have no causes, and a propertyNames
// error whole.
func libLeaves(e *jsonschema.ValidationError) []*jsonschema.ValidationError {
	if _, ok := e.ErrorKind.(*kind.PropertyNames); ok || len(e.Causes) == 0 {
		return []*jsonschema.ValidationError{e}
	}
	var out []*jsonschema.ValidationError
	for _, c := range e.Causes {
		out = append(out, libLeaves(c)...)
	}
	return out
}

// corpusConfig is one config of the repository: a file, a txtar member, a
// documentation block or a test's string.
type corpusConfig struct {
	name string
	data []byte
}

// configCorpus gathers every config the repository holds: portspec.yaml
// files, gen/config/testdata, the YAML blocks of the documentation that
// are configs (with version: 1 added to a fragment) and the string
// literals of Go tests that hold "version: 1".
func configCorpus(t testing.TB) []corpusConfig {
	root := upstream.RepoRoot()
	if root == "" {
		t.Fatal("repository root not found")
	}
	var out []corpusConfig
	add := func(name string, data []byte) {
		out = append(out, corpusConfig{name, data})
	}
	fence := regexp.MustCompile("(?s)```ya?ml\n(.*?)```")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || rel == "generated" || d.Name() == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case d.Name() == ConfigFile:
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			add(rel, data)
		case strings.HasSuffix(rel, ".txtar"):
			ar, err := txtar.ParseFile(path)
			if err != nil {
				return err
			}
			for _, f := range ar.Files {
				if strings.HasSuffix(f.Name, ".yaml") && (strings.Contains(rel, "gen/config/") || strings.HasSuffix(f.Name, ConfigFile)) {
					add(rel+":"+f.Name, f.Data)
				}
			}
		case strings.HasSuffix(rel, ".md"):
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for i, m := range fence.FindAllSubmatch(data, -1) {
				if isConfigFragment(m[1]) {
					name := fmt.Sprintf("%s:block%d", rel, i)
					add(name, m[1])
					if !bytes.Contains(m[1], []byte("version:")) {
						add(name+"+version", append([]byte("version: 1\n"), m[1]...))
					}
				}
			}
		case strings.HasSuffix(rel, "_test.go"):
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			if !bytes.Contains(data, []byte("version: 1")) {
				return nil
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, data, parser.SkipObjectResolution)
			if err != nil {
				return err
			}
			ast.Inspect(f, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil && strings.Contains(s, "version: 1") {
						add(fmt.Sprintf("%s:%d", rel, lit.Pos()), []byte(s))
					}
				}
				return true
			})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// isConfigFragment: a YAML mapping with a top-level key of the config.
func isConfigFragment(data []byte) bool {
	var m map[string]any
	if yaml.Unmarshal(data, &m) != nil {
		return false
	}
	for _, k := range []string{"version", "input", "out", "targets", "idents", "clients", "sources", "overlay"} {
		if _, ok := m[k]; ok {
			return true
		}
	}
	return false
}

// parseInstance turns YAML into the value and positions the schema sees,
// as ParseConfig does; ok is false when ParseConfig fails before the
// schema.
func parseInstance(name string, data []byte) (inst any, pos positions, ok bool) {
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil && err != io.EOF {
		return nil, pos, false
	}
	if len(root.Content) == 0 {
		return nil, pos, false
	}
	var errs spec.Errors
	pos = newPositions(name)
	inst = pos.value(root.Content[0], "", &errs)
	return inst, pos, errs.Len() == 0
}

// schemaLiterals are the names of the schema's properties and the values
// of its enums and consts, anywhere in it.
func schemaLiterals(t testing.TB) (names []string, values []any) {
	var doc any
	dec := json.NewDecoder(bytes.NewReader(schema))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	seenName := map[string]bool{}
	seenValue := map[string]bool{}
	addValue := func(v any) {
		if k := fmt.Sprintf("%#v", v); !seenValue[k] {
			seenValue[k] = true
			values = append(values, v)
		}
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if props, ok := v["properties"].(map[string]any); ok {
				for name := range props {
					if !seenName[name] {
						seenName[name] = true
						names = append(names, name)
					}
				}
			}
			if enum, ok := v["enum"].([]any); ok {
				for _, e := range enum {
					addValue(e)
				}
			}
			if c, ok := v["const"]; ok {
				addValue(c)
			}
			for _, k := range slices.Sorted(maps.Keys(v)) {
				walk(v[k])
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(doc)
	sort.Strings(names)
	return names, values
}

// replacementValues are the values put in place of a config's values:
// one of every JSON type (and one Go value that is none, as a YAML
// !!timestamp gives) anywhere, more of a type where a value of that type
// is, the schema's enum and const values where a string is.
func replacementValues(schemaValues []any) (anywhere []any, ofType map[jsonType][]any) {
	anywhere = []any{nil, true, json.Number("1"), "x", []any{}, map[string]any{}, time.Time{}}
	ofType = map[jsonType][]any{
		typeBoolean: {false},
		typeNumber: {json.Number("0"), json.Number("-1"), json.Number("1.5"), json.Number("255"), json.Number("256"),
			json.Number("65535"), json.Number("65536"), json.Number("1234567"), json.Number("1e+21"),
			json.Number("NaN"), json.Number("+Inf"), uint64(1 << 63)},
		typeString: append([]any{"", " ", "X", "Kubelet", "../x", "a/../b", "/abs", "ok/dir", "https://mirror.test",
			"G/TCP/1", "G/SCTP/1", "1-2", "v1.16"}, schemaValues...),
		typeArray:  {[]any{"x"}, []any{json.Number("1")}, []any{"x", "x"}, []any{map[string]any{}}, []any{nil}},
		typeObject: {map[string]any{"x": "y"}, map[string]any{"kind": "host"}},
	}
	return anywhere, ofType
}

// mutation is a config one change away from a corpus config. sig names
// the change and where it is (array indexes left out): one change at one
// place of the schema is checked once, in the first config that has the
// place (the largest: the one with most beside it), however many configs
// have it.
type mutation struct {
	sig  string
	inst any
}

// mutations are the changes of base: each member removed, each value
// replaced by values of every type, string values and keys near misses,
// unknown and known keys added to every object, array items removed and
// repeated. A container of many members keeps only its first few (in key
// order) in the mutations: the rest would repeat them.
func mutations(base any, names []string, anywhere []any, ofType map[jsonType][]any) []mutation {
	base = trim(base, names)
	var out []mutation
	var walk func(path []string, v any)
	walk = func(path []string, v any) {
		var where strings.Builder
		for _, step := range path {
			if _, err := strconv.Atoi(step); err == nil {
				step = "#"
			}
			where.WriteString("/" + step)
		}
		put := func(change string, nv any) {
			out = append(out, mutation{where.String() + " " + change, replaceAt(base, path, nv)})
		}
		for _, r := range append(slices.Clip(anywhere), ofType[typeOf(v)]...) {
			put(fmt.Sprintf("= %T %#v", r, r), r)
		}
		switch v := v.(type) {
		case map[string]any:
			keys := slices.Sorted(maps.Keys(v))
			for _, k := range keys {
				put("- "+k, without(v, k))
			}
			for _, k := range []string{"zzUnknown", "Enabled", ""} {
				put("+ "+k, with(v, k, "x"))
			}
			for _, name := range names {
				if _, has := v[name]; !has {
					put("+ "+name, with(v, name, "x"))
				}
			}
			for _, k := range keys {
				for _, nk := range []string{k + "x", strings.ToLower(k), strings.ToUpper(k), " " + k} {
					if _, has := v[nk]; !has {
						put(k+" -> "+nk, with(without(v, k), nk, v[k]))
					}
				}
				walk(append(slices.Clip(path), k), v[k])
			}
		case []any:
			put("[]", []any{})
			if len(v) > 0 {
				put("+ [0]", append(slices.Clone(v), v[0]))
			}
			for i := range v {
				put(fmt.Sprintf("- [%d]", i), slices.Delete(slices.Clone(v), i, i+1))
			}
			for i := range v {
				walk(append(slices.Clip(path), strconv.Itoa(i)), v[i])
			}
		case string:
			for i, s := range []string{v + " ", " " + v, "/" + v, "../" + v, strings.ToLower(v), strings.ToUpper(v), v + "/..", v + "0"} {
				put(fmt.Sprintf("string %d", i), s)
			}
		}
	}
	walk(nil, base)
	return out
}

// size is the number of values in v.
func size(v any) int {
	n := 1
	switch v := v.(type) {
	case map[string]any:
		for _, m := range v {
			n += size(m)
		}
	case []any:
		for _, m := range v {
			n += size(m)
		}
	}
	return n
}

// trimmed is how many members of a list, or of an object keyed by
// anything but the schema's property names (idents, labels), the
// mutations keep.
const trimmed = 4

// trim keeps the first members of every list and of every object keyed by
// other than property names.
func trim(v any, names []string) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		others := 0
		for _, k := range slices.Sorted(maps.Keys(v)) {
			if !slices.Contains(names, k) {
				if others == trimmed {
					continue
				}
				others++
			}
			out[k] = trim(v[k], names)
		}
		return out
	case []any:
		out := make([]any, 0, trimmed)
		for i := range min(len(v), trimmed) {
			out = append(out, trim(v[i], names))
		}
		return out
	}
	return v
}

func with(m map[string]any, k string, v any) map[string]any {
	c := maps.Clone(m)
	c[k] = v
	return c
}

func without(m map[string]any, k string) map[string]any {
	c := maps.Clone(m)
	delete(c, k)
	return c
}

// replaceAt returns v with the value at path replaced by nv (v itself is
// not changed; what is off the path is shared).
func replaceAt(v any, path []string, nv any) any {
	if len(path) == 0 {
		return nv
	}
	switch v := v.(type) {
	case map[string]any:
		return with(v, path[0], replaceAt(v[path[0]], path[1:], nv))
	case []any:
		i, _ := strconv.Atoi(path[0])
		c := slices.Clone(v)
		c[i] = replaceAt(v[i], path[1:], nv)
		return c
	}
	panic("replaceAt: no such path")
}

// differ compares our validator with the reference on one instance: the
// verdict, and every error as validateSchema words and places it. valid
// is the reference's verdict.
func differ(inst any, pos positions) (diff string, valid bool) {
	lib, err := libSchema()
	if err != nil {
		return err.Error(), false
	}
	own, err := compiledSchema()
	if err != nil {
		return err.Error(), false
	}
	libErr := lib.Validate(inst)
	libOK := libErr == nil
	ownOK := len(own.validate(inst)) == 0
	if libOK != ownOK {
		return fmt.Sprintf("the reference accepts: %v, ours: %v", libOK, ownOK), libOK
	}
	var ours, theirs spec.Errors
	validateSchema(inst, pos, &ours)
	libReport(lib, libErr, inst, pos, &theirs)
	if o, l := errorText(ours.Err()), errorText(theirs.Err()); o != l && !onlyFailedRefKeys(o, l) {
		return fmt.Sprintf("errors differ:\nours:\n%s\nreference:\n%s", o, l), libOK
	}
	return "", libOK
}

// unknownKeyLine is an error line of an unknown key: the key, and the
// path of its object.
var unknownKeyLine = regexp.MustCompile(`: unknown key "([^"]+)"(?: \(at ([^)]*)\))?$`)

// onlyFailedRefKeys reports whether ours differs from the reference's
// errors only as our validator means to (jsonschema_validate.go, value):
// the keys of a schema that failed still count as evaluated, so where the
// reference also calls a valid sibling of the invalid value an unknown key,
// ours does not. Every line of ours must be the reference's; every line
// only the reference has must be an unknown key that the schema declares a
// property of that name somewhere, in an object where ours reports an
// error below it.
func onlyFailedRefKeys(ours, ref string) bool {
	mine := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(ours), "\n") {
		mine[l] = true
	}
	refLines := map[string]bool{}
	for _, l := range strings.Split(strings.TrimSpace(ref), "\n") {
		refLines[l] = true
		if mine[l] {
			continue
		}
		m := unknownKeyLine.FindStringSubmatch(l)
		if m == nil || !declaredProperty(m[1]) {
			return false
		}
		below := "(at " + m[1] + "." // an error inside the key's own value
		if m[2] != "" {
			below = "(at " + m[2] + "." // an error below the key's object
		}
		if !strings.Contains(ours, below) {
			return false
		}
	}
	for l := range mine {
		if !refLines[l] {
			return false
		}
	}
	return true
}

// declaredProperty reports whether some "properties" of the schema names
// key.
func declaredProperty(key string) bool {
	var walk func(v any) bool
	walk = func(v any) bool {
		switch t := v.(type) {
		case map[string]any:
			if props, ok := t["properties"].(map[string]any); ok {
				if _, ok := props[key]; ok {
					return true
				}
			}
			for _, e := range t {
				if walk(e) {
					return true
				}
			}
		case []any:
			for _, e := range t {
				if walk(e) {
					return true
				}
			}
		}
		return false
	}
	var sch any
	if err := json.Unmarshal(schema, &sch); err != nil {
		return false
	}
	return walk(sch)
}

func errorText(err error) string {
	if err == nil {
		return ""
	}
	var b strings.Builder
	scanner.PrintError(&b, err)
	return b.String()
}

// TestSchemaDifferential: on every config of the repository and on every
// mutation of each, our validator and the reference accept the same ones
// and validateSchema reports the same errors as it did with the reference.
func TestSchemaDifferential(t *testing.T) {
	corpus := configCorpus(t)
	if len(corpus) < 30 {
		t.Fatalf("only %d configs in the corpus", len(corpus))
	}
	names, schemaValues := schemaLiterals(t)
	anywhere, ofType := replacementValues(schemaValues)
	type base struct {
		name string
		inst any
		pos  positions
	}
	var bases []base
	for _, c := range corpus {
		if inst, pos, ok := parseInstance(c.name, c.data); ok {
			bases = append(bases, base{c.name, inst, pos})
		}
	}
	// Largest first: a change is made where most else is around it.
	slices.SortStableFunc(bases, func(a, b base) int { return size(b.inst) - size(a.inst) })
	seen := map[string]bool{}
	var checked, accepted, failures int
	for _, c := range bases {
		inst, pos := c.inst, c.pos
		for _, m := range append([]mutation{{"config " + c.name, inst}}, mutations(inst, names, anywhere, ofType)...) {
			if seen[m.sig] {
				continue
			}
			seen[m.sig] = true
			checked++
			d, valid := differ(m.inst, pos)
			if d != "" {
				failures++
				if failures <= 10 {
					data, _ := json.Marshal(m.inst)
					t.Errorf("%s, mutation %s: %s\ninstance: %s", c.name, m.sig, d, data)
				}
			}
			if valid {
				accepted++
			}
		}
	}
	if failures > 10 {
		t.Errorf("... %d differences in all", failures)
	}
	t.Logf("%d configs, %d distinct changes, %d accepted by both", len(corpus), checked, accepted)
	// The corpus is worth something only if both verdicts are common.
	if accepted < checked/20 || accepted > checked*19/20 {
		t.Errorf("%d of %d instances accepted: the mutations do not exercise both sides", accepted, checked)
	}
}

// FuzzSchemaDifferential is TestSchemaDifferential on any YAML that
// ParseConfig would validate.
func FuzzSchemaDifferential(f *testing.F) {
	for _, c := range configCorpus(f) {
		f.Add(c.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		inst, pos, ok := parseInstance("fuzz.yaml", data)
		if !ok {
			return
		}
		if d, _ := differ(inst, pos); d != "" {
			t.Fatalf("%s\ninput:\n%s", d, data)
		}
	})
}

// TestLocalNumbers: numbers in errors are written as the reference's
// message printer writes %d and %v in English.
func TestLocalNumbers(t *testing.T) {
	p := message.NewPrinter(language.English)
	for _, i := range []int{0, 1, -1, 999, 1000, -1000, 65535, 1234567, -1234567890} {
		if got, want := localInt(i), p.Sprintf("%d", i); got != want {
			t.Errorf("localInt(%d) = %q, want %q", i, got, want)
		}
	}
	floats := []float64{0, 1, -1, 0.5, 1.5, -2.25, 255, 65535, 65536, 99999, 100000, 999999, 1e6, 1234567, 1e21, 1.5e300,
		0.1, 0.0001, 0.00012345, 0.00001, 1e-7, 1.2345e-10, 123456.789, 1 << 53, 18446744073709551615, 5e-324, 1.7976931348623157e308}
	for _, f := range floats {
		for _, f := range []float64{f, -f} {
			if got, want := localFloat(f), p.Sprintf("%v", f); got != want {
				t.Errorf("localFloat(%v) = %q, want %q", f, got, want)
			}
		}
	}
}
