// Package benchdoc generates large, valid documents in the rendered page's
// format for the parser's benchmarks and large-input tests. They are made
// on the fly, never committed.
package benchdoc

import (
	"strconv"
	"strings"
)

// headings are the seven known sections, in page order.
var headings = []string{
	"Master to master nodes traffic", "Master to nodes traffic", "Nodes to masters traffic",
	"Nodes to nodes traffic", "External traffic to masters", "External traffic to frontends",
	"External traffic for all nodes",
}

// Generate returns a valid document of n rows spread over the seven known
// groups. Within a group every row opens a distinct (protocol, port), so
// the document validates for n up to 7 × 120,000. Purposes carry emphasis,
// strong emphasis and code spans, as the real page does, so that a parser
// that reads inline markdown pays for it here too.
func Generate(n int) []byte {
	var b strings.Builder
	b.Grow(n * 70)
	per := (n + len(headings) - 1) / len(headings)
	row := 0
	for _, h := range headings {
		b.WriteString("## " + h + "\n\n| Port | Protocol | Purpose |\n|---|---|---|\n")
		for i := 0; i < per && row < n; i++ {
			port := strconv.Itoa(1 + i%60000)
			proto := "TCP"
			if (i/60000)%2 == 1 {
				proto = "UDP"
			}
			num := strconv.Itoa(i)
			switch i % 4 {
			case 0:
				b.WriteString("| " + port + " | " + proto + " | *component-" + num + "* metrics for the `Inlet" + num + "` inlet, see the node's agent |\n")
			case 1:
				b.WriteString("| " + port + " | " + proto + " | webhook handler of **module " + num + "** |\n")
			default:
				b.WriteString("| " + port + " | " + proto + " | plain purpose number " + num + " for a port |\n")
			}
			row++
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}
