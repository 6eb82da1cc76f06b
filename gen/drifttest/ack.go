package drifttest

import (
	"fmt"
	"os"
	"strings"

	"sigs.k8s.io/yaml"
)

// Acknowledged is an acknowledge file: the changes `portspec drift` has
// reported, that the user has seen and accepted, so that a known drift does
// not fail every night. Each entry is a change's key as the report prints
// it ("key: moved NodesToNodes UDP/123 -> NodesToMasters UDP/4234").
//
//	acknowledged:
//	  - key: moved NodesToNodes UDP/123 -> NodesToMasters UDP/4234
//	    reason: firewalls updated on 2024-07-25
type Acknowledged struct {
	Acknowledged []AckEntry `json:"acknowledged"`
}

// AckEntry is one accepted change.
type AckEntry struct {
	Key string `json:"key"`
	// Reason is for people: why the change is accepted, by whom, when.
	Reason string `json:"reason,omitempty"`
}

// ReadAcknowledged reads an acknowledge file strictly (unknown keys are
// errors) and returns the keys it lists.
func ReadAcknowledged(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseAcknowledged(path, data)
}

// ParseAcknowledged reads an acknowledge file's bytes.
func ParseAcknowledged(name string, data []byte) ([]string, error) {
	var a Acknowledged
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
