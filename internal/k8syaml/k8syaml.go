// Package k8syaml writes an object as Kubernetes tools write YAML: the
// bytes of sigs.k8s.io/yaml.Marshal (the object's JSON form, keys sorted,
// yaml.v2's emitter), without its detour through yaml.v2's parser.
//
// sigs.k8s.io/yaml.Marshal encodes the object as JSON, parses that JSON
// with yaml.v2 into maps and scalars (so that numbers keep an integer
// type) and encodes those with yaml.v2. The parse was a third of the
// Cilium target's time and most of its garbage. Marshal decodes the JSON
// with encoding/json instead and gives each number the type yaml.v2's
// resolver gives it (int, int64, uint64, float64; go.yaml.in/yaml/v2
// resolve.go), then encodes with the same yaml.v2: the same values in, the
// same bytes out. FuzzMatchesSigsYAML compares both on any JSON value.
package k8syaml

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/portspec/portspec/internal/lazyre"

	"go.yaml.in/yaml/v2"
)

// Marshal returns v as YAML, in sigs.k8s.io/yaml.Marshal's bytes.
func Marshal(v any) ([]byte, error) {
	j, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("error marshaling into JSON: %w", err)
	}
	return FromJSON(j)
}

// FromJSON returns the JSON text j, as encoding/json writes JSON, as YAML
// in sigs.k8s.io/yaml.JSONToYAML's bytes.
func FromJSON(j []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.UseNumber()
	var obj any
	if err := dec.Decode(&obj); err != nil {
		return nil, err
	}
	return yaml.Marshal(values(obj))
}

// values makes v, in place, what yaml.v2 reads from its JSON text: every
// json.Number the value yaml.v2 reads from the same digits, every string
// (and key) folded where it held a raw line break (foldBreaks).
func values(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if f := foldBreaks(k); f != k {
				delete(t, k)
				k = f
			}
			t[k] = values(e)
		}
	case []any:
		for i, e := range t {
			t[i] = values(e)
		}
	case json.Number:
		return resolveNumber(string(t))
	case string:
		return foldBreaks(t)
	}
	return v
}

// foldBreaks is what yaml.v2's scanner makes of a double-quoted scalar
// holding a raw line break (scannerc.go, yaml_parser_scan_flow_scalar): the
// spaces before the break are dropped, those after it skipped, one break
// becomes a space and n breaks in a row n-1 newlines. Of the line breaks
// YAML knows, encoding/json writes only NEL (U+0085) raw (it escapes CR,
// LF, LS and PS), and of the blanks only the space (it escapes tabs), so
// those are the runes folded.
func foldBreaks(s string) string {
	const nel = "\u0085"
	if !strings.Contains(s, nel) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		for i < len(s) && s[i] != ' ' && !strings.HasPrefix(s[i:], nel) {
			b.WriteByte(s[i])
			i++
		}
		spaces, leading, trailing := 0, false, 0
		for i < len(s) {
			if s[i] == ' ' {
				if !leading {
					spaces++
				}
				i++
			} else if strings.HasPrefix(s[i:], nel) {
				if !leading {
					spaces, leading = 0, true
				} else {
					trailing++
				}
				i += len(nel)
			} else {
				break
			}
		}
		switch {
		case leading && trailing == 0:
			b.WriteByte(' ')
		case leading:
			b.WriteString(strings.Repeat("\n", trailing))
		default:
			b.WriteString(strings.Repeat(" ", spaces))
		}
	}
	return b.String()
}

// yamlStyleFloat is yaml.v2's pattern of a float it resolves.
var yamlStyleFloat = lazyre.New(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// resolveNumber is yaml.v2's resolve of a plain scalar that is a JSON
// number: an int when it fits, else int64, else uint64, else a float64.
func resolveNumber(s string) any {
	if i, err := strconv.ParseInt(s, 0, 64); err == nil {
		if i == int64(int(i)) {
			return int(i)
		}
		return i
	}
	if u, err := strconv.ParseUint(s, 0, 64); err == nil {
		return u
	}
	if yamlStyleFloat().MatchString(s) {
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return f
		}
	}
	return s // yaml.v2 would keep it a string
}
