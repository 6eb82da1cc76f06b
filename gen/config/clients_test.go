package config

import (
	"strings"
	"testing"

	"github.com/portspec/portspec/spec"
)

func TestClientTable(t *testing.T) {
	c, err := ParseConfig("portspec.yaml", []byte(`version: 1
clients:
  - name: vmagent
    match: {groups: [NodesToNodes], protocol: TCP, ports: ["4206", "7000-7999"], purpose: metrics}
    clients:
      - {kind: pod, namespace: observability, labels: {app: vmagent}}
      - {kind: host, roles: [master]}
    replace: true
    why: our metrics are scraped by vmagent
`))
	if err != nil {
		t.Fatal(err)
	}
	tab, err := c.ClientTable()
	if err != nil {
		t.Fatal(err)
	}
	g := &spec.Group{ID: "NodesToNodes", Known: true, From: spec.RoleNode, To: spec.RoleNode, Direction: spec.Ingress}
	r := &spec.Rule{Protocol: spec.TCP, Ports: []spec.PortRange{{First: 4206, Last: 4206}}, Purposes: spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: "node-exporter metrics"}})}
	row := tab.For(g, r)
	var got []string
	for _, cl := range row.Clients {
		got = append(got, cl.String())
	}
	if strings.Join(got, "; ") != "pods in observability with app=vmagent; host of master" || strings.Join(row.Entries, ",") != "vmagent" {
		t.Errorf("clients %q from entries %v", got, row.Entries)
	}
	// The built-in entries still apply where the site's does not match.
	r.Purposes = spec.PurposesFrom(map[string]spec.Purpose{"en": {Text: "DRBD"}})
	r.Ports = []spec.PortRange{{First: 4244, Last: 4244}}
	if row := tab.For(g, r); strings.Join(row.Entries, ",") != "hubble-api" {
		t.Errorf("4244: entries %v", row.Entries)
	}
}

func TestClientTableErrors(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"version: 1\nclients:\n  - name: x\n    match: {ports: [\"9-1\"]}\n    clients: [{kind: world}]\n", `portspec.yaml:3:5: clients[0].match.ports: "9-1" is not a port`},
		{"version: 1\nclients:\n  - name: x\n    match: {purpose: \"(\"}\n    clients: [{kind: world}]\n", `portspec.yaml:3:5: clients[0].match.purpose: error parsing regexp`},
		{"version: 1\nclients:\n  - name: x\n    match: {}\n    clients: [{kind: host}]\n", `clients[0].clients[0]: a host client names the roles`},
	} {
		c, err := ParseConfig("portspec.yaml", []byte(tc.src))
		if err == nil {
			_, err = c.ClientTable()
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.src, err, tc.want)
		}
	}
	// The schema itself refuses unknown kinds, at the value.
	_, err := ParseConfig("portspec.yaml", []byte("version: 1\nclients:\n  - name: x\n    match: {}\n    clients: [{kind: robot}]\n"))
	if err == nil || !strings.Contains(err.Error(), "portspec.yaml:5:") {
		t.Errorf("unknown kind: %v", err)
	}
}
