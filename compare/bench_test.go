package compare

import (
	"fmt"
	"go/token"
	"strings"
	"testing"

	"github.com/portspec/portspec/spec"
)

// bigDoc builds a document of n rules spread over groups of at most 20,000
// rules (one port each), purposes "component <i> metrics". shift moves every
// port of every third rule by 1 (a renumbering), reword changes the purpose
// of every fifth rule.
func bigDoc(n int, shift, reword bool) *spec.Document {
	d := &spec.Document{Source: "big.yml", Languages: []string{"en"}}
	for i := 0; i < n; i++ {
		if i%20000 == 0 {
			d.Groups = append(d.Groups, spec.Group{ID: fmt.Sprintf("G%d", i/20000), From: spec.RoleNode, To: spec.RoleNode, Direction: spec.Ingress})
		}
		g := &d.Groups[len(d.Groups)-1]
		port := uint16(1 + 2*(i%20000))
		if shift && i%3 == 0 {
			port++
		}
		purpose := fmt.Sprintf("component %d metrics", i)
		if reword && i%5 == 0 {
			purpose += " endpoint"
		}
		g.Rules = append(g.Rules, spec.Rule{Protocol: spec.TCP, Ports: []spec.PortRange{{First: port, Last: port}},
			Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: purpose}}), Pos: token.Position{Filename: "big.yml", Line: i + 1, Column: 1}})
	}
	return d
}

func BenchmarkCompare(b *testing.B) {
	for _, n := range []int{48, 100000} {
		old, new := bigDoc(n, false, false), bigDoc(n, true, true)
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Documents(old, new)
			}
		})
	}
}

func TestCompareBigRenumbering(t *testing.T) {
	d := Documents(bigDoc(30000, false, false), bigDoc(30000, true, false))
	moves := 0
	for _, c := range d.Changes {
		if c.Kind != PortMoved {
			t.Fatalf("unexpected %s", c.Key())
		}
		moves++
	}
	if moves != 10000 {
		t.Errorf("want 10000 moves (every third rule), got %d", moves)
	}
}

func TestCompareFuzzyLimit(t *testing.T) {
	var olds, news []string
	for i := 0; i < 600; i++ {
		olds = append(olds, fmt.Sprintf("TCP %d | old thing %d", 1000+i, i))
		news = append(news, fmt.Sprintf("TCP %d | new thing %d", 5000+i, i))
	}
	d := Documents(tdoc("old.yml", en, tgroup{"NodesToNodes", olds}), tdoc("new.yml", en, tgroup{"NodesToNodes", news}))
	if len(d.Notes) != 1 || !strings.Contains(d.Notes[0], "600 ports removed and 600 added") {
		t.Errorf("notes: %q", d.Notes)
	}
	if n := len(d.Changes); n != 1200 {
		t.Errorf("want 600 removals and 600 additions, got %d changes", n)
	}
}
