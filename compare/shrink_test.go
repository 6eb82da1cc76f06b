package compare_test

import (
	"testing"

	"github.com/portspec/portspec/compare"
	"github.com/portspec/portspec/spec"
)

func TestRules(t *testing.T) {
	rule := func(p spec.Protocol, port uint16) spec.Rule {
		return spec.Rule{Protocol: p, Ports: []spec.PortRange{{First: port, Last: port}}}
	}
	old := &spec.Document{Groups: []spec.Group{
		{ID: "A", Rules: []spec.Rule{rule(spec.TCP, 22), rule(spec.TCP, 6443), rule(spec.UDP, 8472)}},
		{ID: "B", Rules: []spec.Rule{rule(spec.TCP, 10250)}},
	}}
	for name, tc := range map[string]struct {
		new     *spec.Document
		removed int
		most    bool
	}{
		"same":        {old, 0, false},
		"empty":       {&spec.Document{}, 4, true},
		"moved group": {&spec.Document{Groups: []spec.Group{{ID: "C", Rules: old.Groups[0].Rules}, {ID: "D", Rules: old.Groups[1].Rules}}}, 0, false},
		"half":        {&spec.Document{Groups: []spec.Group{{ID: "A", Rules: old.Groups[0].Rules[:2]}}}, 2, false},
		"most":        {&spec.Document{Groups: []spec.Group{{ID: "A", Rules: []spec.Rule{rule(spec.TCP, 22), rule(spec.UDP, 22)}}}}, 3, true},
	} {
		s := compare.Rules(old, tc.new)
		if s.Rules != 4 || s.Removed != tc.removed || s.Most() != tc.most {
			t.Errorf("%s: %+v (most %v), want %d removed, most %v", name, s, s.Most(), tc.removed, tc.most)
		}
	}
}
