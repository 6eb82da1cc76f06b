package compare

import (
	"fmt"
	"slices"
	"strings"

	"github.com/portspec/portspec/internal/regfile"

	"sigs.k8s.io/yaml"
)

// AckFile is an acknowledge file: the changes `portspec drift` has
// reported, that the user has seen and accepted, so that a known drift does
// not fail every night. Each entry is a change's key as the report prints
// it ("key: moved NodesToNodes UDP/123 -> NodesToMasters UDP/4234").
//
//	acknowledged:
//	  - key: moved NodesToNodes UDP/123 -> NodesToMasters UDP/4234
//	    reason: firewalls updated on 2024-07-25
type AckFile struct {
	Acknowledged []AckEntry `json:"acknowledged"`
}

// AckEntry is one accepted change.
type AckEntry struct {
	Key string `json:"key"`
	// Reason is for people: why the change is accepted, by whom, when.
	Reason string `json:"reason,omitempty"`
}

// ReadAckFile reads an acknowledge file strictly (unknown keys are errors)
// and returns the keys it lists, for Report.Acknowledge.
func ReadAckFile(path string) ([]string, error) {
	data, err := regfile.Read(path, 0)
	if err != nil {
		return nil, err
	}
	return ParseAckFile(path, data)
}

// ParseAckFile reads an acknowledge file's bytes; name is the file's name
// in errors.
func ParseAckFile(name string, data []byte) ([]string, error) {
	var a AckFile
	if err := yaml.UnmarshalStrict(data, &a); err != nil {
		return nil, fmt.Errorf("%s: %v (want \"acknowledged: [{key: …, reason: …}]\")", name, err)
	}
	var keys []string
	for i, e := range a.Acknowledged {
		k := strings.TrimSpace(e.Key)
		if k == "" {
			return nil, fmt.Errorf("%s: acknowledged[%d] has no key: copy the \"key:\" line of the drift report", name, i)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// Acknowledge marks the changes whose Key is in keys and returns the keys
// that matched no change (stale entries the user may remove).
func (r *Report) Acknowledge(keys []string) (unused []string) {
	want := map[string]bool{}
	for _, k := range keys {
		want[strings.TrimSpace(k)] = false
	}
	for i := range r.Changes {
		k := r.Changes[i].Key()
		if _, ok := want[k]; ok {
			r.Changes[i].Acknowledged = true
			want[k] = true
		}
	}
	for _, k := range keys {
		if k = strings.TrimSpace(k); !want[k] && !slices.Contains(unused, k) {
			unused = append(unused, k)
		}
	}
	return unused
}
