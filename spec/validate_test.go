package spec_test

import (
	"strings"
	"testing"

	"github.com/portspec/portspec/spec"
)

// TestValidateNoRules: a document without groups (a JSON form that decodes
// to nothing, a reader that found no tables) is invalid: firewalls
// generated from it would open no port.
func TestValidateNoRules(t *testing.T) {
	err := spec.Validate(&spec.Document{Source: "empty.yml"})
	if err == nil || !strings.HasPrefix(err.Error(), "empty.yml:1:1: the document has no groups and no rules") {
		t.Errorf("Validate of a document without groups: %v", err)
	}
}
