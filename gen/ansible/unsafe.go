package ansible

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// Unsafe is a string Ansible must never template: it is written as a
// double-quoted scalar tagged !unsafe. Double quotes escape every line
// break and control character, so the text can never end the scalar or
// start a new key, list item or document.
type Unsafe string

// MarshalYAML implements yaml.Marshaler.
func (u Unsafe) MarshalYAML() (any, error) {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!unsafe", Style: yaml.DoubleQuotedStyle, Value: validText(string(u))}, nil
}

// validText replaces each run of bytes that are not UTF-8 (a file name may
// hold any) with U+FFFD: YAML text is UTF-8.
func validText(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
