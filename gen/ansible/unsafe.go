package ansible

import "gopkg.in/yaml.v3"

// Unsafe is a string Ansible must never template: it is written as a
// double-quoted scalar tagged !unsafe. Double quotes escape every line
// break and control character, so the text can never end the scalar or
// start a new key, list item or document.
type Unsafe string

// MarshalYAML implements yaml.Marshaler.
func (u Unsafe) MarshalYAML() (any, error) {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!unsafe", Style: yaml.DoubleQuotedStyle, Value: string(u)}, nil
}
