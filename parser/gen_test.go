package parser_test

import (
	"fmt"
	"strings"
)

// groupHeadings are the seven known sections, in page order.
var groupHeadings = []string{
	"Master to master nodes traffic", "Master to nodes traffic", "Nodes to masters traffic",
	"Nodes to nodes traffic", "External traffic to masters", "External traffic to frontends",
	"External traffic for all nodes",
}

// generateDoc makes a valid rendered-format document of n rows spread over
// the seven known groups, each row a distinct port (or range) of its group,
// with emphasis and code spans in the purposes as the real page has.
func generateDoc(n int) []byte {
	var b strings.Builder
	per := (n + len(groupHeadings) - 1) / len(groupHeadings)
	row := 0
	for _, h := range groupHeadings {
		fmt.Fprintf(&b, "## %s\n\n| Port | Protocol | Purpose |\n|---|---|---|\n", h)
		for i := 0; i < per && row < n; i++ {
			port := 1 + i%60000
			proto := []string{"TCP", "UDP", "TCP", "UDP"}[(i/60000)%4]
			switch i % 4 {
			case 0:
				fmt.Fprintf(&b, "| %d | %s | *component-%d* metrics for the `Inlet%d` inlet, see the node's agent |\n", port, proto, i, i)
			case 1:
				fmt.Fprintf(&b, "| %d | %s | webhook handler of **module %d** |\n", port, proto, i)
			default:
				fmt.Fprintf(&b, "| %d | %s | plain purpose number %d for a port |\n", port, proto, i)
			}
			row++
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}
