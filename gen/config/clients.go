package config

import (
	"regexp"
	"strconv"

	"github.com/portspec/portspec/gen/clients"
	"github.com/portspec/portspec/spec"
)

// ClientEntry is one entry of portspec.yaml's `clients` list: who really
// connects to the rows it matches (gen/clients). Entries go before the
// built-in table, so a site's own facts win.
//
//	clients:
//	  - name: vmagent
//	    match: {groups: [NodesToNodes], protocol: TCP, purpose: metrics}
//	    clients:
//	      - {kind: pod, namespace: observability, labels: {app: vmagent}}
//	    why: our metrics are scraped by vmagent, not by Deckhouse's Prometheus
type ClientEntry struct {
	Name  string `json:"name"`
	Match struct {
		Groups   []string `json:"groups,omitempty"`
		Protocol string   `json:"protocol,omitempty"`
		Ports    []string `json:"ports,omitempty"`
		Purpose  string   `json:"purpose,omitempty"`
	} `json:"match"`
	Clients []struct {
		Kind      string            `json:"kind"`
		Roles     []string          `json:"roles,omitempty"`
		Namespace string            `json:"namespace,omitempty"`
		Labels    map[string]string `json:"labels,omitempty"`
	} `json:"clients"`
	Replace bool   `json:"replace,omitempty"`
	Why     string `json:"why,omitempty"`
}

// ClientTable returns the clients table of the run: the config's entries,
// then the defaults. Errors point at the entry's key in portspec.yaml.
func (c *Config) ClientTable() (*clients.Table, error) {
	var errs spec.Errors
	var entries []clients.Entry
	for i, ce := range c.Clients {
		at := c.pos.at([]string{"clients", strconv.Itoa(i)})
		e := clients.Entry{Name: ce.Name, Replace: ce.Replace, Why: ce.Why}
		e.Match.Groups = ce.Match.Groups
		if ce.Match.Protocol != "" {
			p, ok := spec.ParseProtocol(ce.Match.Protocol)
			if !ok {
				errs.Add(at, "clients[%d].match.protocol: %q is not TCP, UDP or ICMP", i, ce.Match.Protocol)
			}
			e.Match.Protocol = p
		}
		for _, s := range ce.Match.Ports {
			r, err := spec.ParsePortRange(s)
			if err != nil {
				errs.Add(at, "clients[%d].match.ports: %v", i, err)
				continue
			}
			e.Match.Ports = append(e.Match.Ports, r)
		}
		if ce.Match.Purpose != "" {
			re, err := regexp.Compile("(?i)" + ce.Match.Purpose)
			if err != nil {
				errs.Add(at, "clients[%d].match.purpose: %v", i, err)
			}
			e.Match.Purpose = re
		}
		for j, cl := range ce.Clients {
			client := clients.Client{Kind: clients.Kind(cl.Kind), Namespace: cl.Namespace, Labels: cl.Labels}
			for _, r := range cl.Roles {
				role, ok := spec.ParseRole(r)
				if !ok || role == spec.RoleExternal {
					errs.Add(at, "clients[%d].clients[%d].roles: %q is not master, node or frontend", i, j, r)
					continue
				}
				client.Roles = append(client.Roles, role)
			}
			if client.Kind == clients.Host && len(client.Roles) == 0 {
				errs.Add(at, "clients[%d].clients[%d]: a host client names the roles of its nodes (roles: [master], [node], [frontend])", i, j)
			}
			e.Clients = append(e.Clients, client)
		}
		entries = append(entries, e)
	}
	if errs.Len() > 0 {
		return nil, errs.Err()
	}
	return clients.New(entries), nil
}
