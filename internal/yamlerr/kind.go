package yamlerr

import (
	"strconv"

	"gopkg.in/yaml.v3"
)

// Kind says what a YAML node is, for messages that found something else
// than they wanted: "a mapping", "a list", "nothing", the value "x".
func Kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return "the value " + strconv.Quote(n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "a document"
}
