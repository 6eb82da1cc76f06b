package verify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/portspec/portspec/spec"
)

// ClusterNode is a node of a cluster with its roles (node among them).
type ClusterNode struct {
	Name  string
	Roles []spec.Role
}

// Served is a port a workload serves on nodes: a hostNetwork pod's
// container port, a pod's host port, a Service's node port or health-check
// node port.
type Served struct {
	// Protocol is TCP, UDP or SCTP, as the API names it.
	Protocol string
	Port     uint16
	// Nodes are the names of the nodes that serve it; nil for every node
	// (a Service's node ports are open on all of them).
	Nodes []string
	// Workload says who serves it: "DaemonSet kube-system/x",
	// "Service default/web".
	Workload string
	// How says how: "hostNetwork container port", "hostPort",
	// "nodePort of 80/TCP", "healthCheckNodePort".
	How string
}

// ClusterOptions say what a cluster report is about.
type ClusterOptions struct {
	// Name is the cluster's API server in the report.
	Name   string
	Ignore Ignore
}

// Cluster compares the ports a cluster's workloads serve on its nodes
// with the document, node by node: a port served on a node whose roles'
// generated firewall does not accept it is Undocumented, with the workload
// and the nodes. Served ports on nodes the list does not hold are compared
// as on a plain node, and said in a note.
func Cluster(doc *spec.Document, nodes []ClusterNode, served []Served, opt ClusterOptions) *Report {
	byName := map[string]ClusterNode{}
	counts := map[spec.Role]int{}
	for _, n := range nodes {
		n.Roles = nodeRoles(n.Roles)
		byName[n.Name] = n
		counts[narrowest(n.Roles)]++
	}
	var tally []string
	for _, r := range []spec.Role{spec.RoleMaster, spec.RoleFrontend, spec.RoleNode} {
		if counts[r] > 0 {
			name := r.String()
			if r == spec.RoleNode {
				name = "other"
			}
			tally = append(tally, fmt.Sprintf("%d %s", counts[r], name))
		}
	}
	subject := fmt.Sprintf("cluster with %d nodes (%s)", len(nodes), strings.Join(tally, ", "))
	if opt.Name != "" {
		subject = "cluster " + opt.Name + " with " + strings.TrimPrefix(subject, "cluster with ")
	}
	r := &Report{Check: "verify --cluster", Document: doc.Source, Subject: subject, Unit: "ports served on nodes", Checked: len(served)}

	acc := newAccepts(doc)
	stray := map[string]bool{}
	for _, s := range served {
		names := s.Nodes
		if names == nil {
			for _, n := range nodes {
				names = append(names, n.Name)
			}
		}
		var where []string
		var sets [][]spec.Role
		documentedOn := map[string]bool{}
		for _, name := range names {
			n, ok := byName[name]
			if !ok {
				n = ClusterNode{Name: name, Roles: []spec.Role{spec.RoleNode}}
				stray[name] = true
			}
			if rule, ok := acc.find(n.Roles, s.Protocol, s.Port); ok {
				documentedOn[narrowest(n.Roles).String()+" ("+rule.Group+")"] = true
				continue
			}
			where = append(where, n.Name+" ("+roleNames(n.Roles)+")")
			sets = append(sets, n.Roles)
		}
		if len(where) == 0 {
			continue
		}
		slices.Sort(where)
		detail := s.How
		if len(documentedOn) > 0 {
			var on []string
			for k := range documentedOn {
				on = append(on, k)
			}
			slices.Sort(on)
			detail += "; documented on " + strings.Join(on, ", ")
		}
		ports := fmt.Sprint(s.Port)
		r.Findings = append(r.Findings, Finding{
			Kind: Undocumented, Protocol: s.Protocol, Ports: ports, Where: where, Who: []string{s.Workload}, Detail: detail,
			Entry:   &Entry{Group: GroupFor(spec.RoleNode, narrowest(sets...)), Protocol: s.Protocol, Ports: ports, Purpose: s.Workload},
			Ignored: opt.Ignore.matches(s.Protocol, s.Port),
		})
	}
	if len(stray) > 0 {
		var s []string
		for n := range stray {
			s = append(s, n)
		}
		slices.Sort(s)
		r.Notes = append(r.Notes, "pods on nodes the API does not list ("+strings.Join(s, ", ")+") are compared as on a plain node")
	}
	SortFindings(r.Findings)
	return r
}
