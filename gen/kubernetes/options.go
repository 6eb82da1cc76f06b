package kubernetes

import (
	"fmt"
	"net/netip"
	"sort"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// Options is the target's section of portspec.yaml (targets.kubernetes).
type Options struct {
	// NodeCIDRs are the addresses of the cluster's nodes, the ipBlock every
	// policy allows egress to. Default: the private ranges 10.0.0.0/8,
	// 172.16.0.0/12, 192.168.0.0/16 — set the real ones.
	NodeCIDRs []string `json:"nodeCIDRs,omitempty"`
	// MasterCIDRs narrow rows whose destination is the masters (for
	// example 6443). Default: NodeCIDRs.
	MasterCIDRs []string `json:"masterCIDRs,omitempty"`
	// Policies say which pods get egress to which rows. Default: the
	// Prometheus pods of d8-monitoring, to the metrics rows and to the
	// kube-apiserver rows.
	Policies []PolicyOptions `json:"policies,omitempty"`
}

// PolicyOptions is one NetworkPolicy: pods of a namespace and the rows
// they may reach.
type PolicyOptions struct {
	// Name is the object's metadata.name (a DNS label).
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
	// PodSelector are matchLabels; empty selects every pod of the namespace.
	PodSelector map[string]string `json:"podSelector,omitempty"`
	// Rows selects rows: "metrics" (TCP/UDP rows to nodes whose purpose
	// says metrics) or "apiserver" (TCP rows to masters on 6443).
	Rows string `json:"rows"`
}

// DefaultPolicies are used when Options.Policies is empty.
var DefaultPolicies = []PolicyOptions{
	{Name: "portspec-prometheus-node-metrics", Namespace: "d8-monitoring", PodSelector: map[string]string{"app.kubernetes.io/name": "prometheus"}, Rows: "metrics"},
	{Name: "portspec-prometheus-apiserver", Namespace: "d8-monitoring", PodSelector: map[string]string{"app.kubernetes.io/name": "prometheus"}, Rows: "apiserver"},
}

// DefaultNodeCIDRs are the private IPv4 ranges.
var DefaultNodeCIDRs = []string{"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"}

type config struct {
	nodes, masters []string
	policies       []PolicyOptions
}

func (o Options) resolve() (*config, error) {
	c := &config{nodes: o.NodeCIDRs, masters: o.MasterCIDRs, policies: o.Policies}
	if len(c.nodes) == 0 {
		c.nodes = DefaultNodeCIDRs
	}
	if len(c.masters) == 0 {
		c.masters = c.nodes
	}
	if len(c.policies) == 0 {
		c.policies = DefaultPolicies
	}
	var errs []string
	for _, f := range []struct {
		name  string
		cidrs []string
	}{{"nodeCIDRs", c.nodes}, {"masterCIDRs", c.masters}} {
		for _, s := range f.cidrs {
			p, err := netip.ParsePrefix(s)
			if err != nil || p.Masked() != p {
				errs = append(errs, fmt.Sprintf("%s: %q is not a CIDR with its host bits zero (like 10.0.0.0/8)", f.name, s))
			}
		}
	}
	names := map[string]bool{}
	for i, p := range c.policies {
		at := fmt.Sprintf("policies[%d]", i)
		for _, m := range validation.IsDNS1123Label(p.Name) {
			errs = append(errs, fmt.Sprintf("%s.name %q: %s", at, p.Name, m))
		}
		for _, m := range validation.IsDNS1123Label(p.Namespace) {
			errs = append(errs, fmt.Sprintf("%s.namespace %q: %s", at, p.Namespace, m))
		}
		if names[p.Namespace+"/"+p.Name] {
			errs = append(errs, fmt.Sprintf("%s: %s/%s appears twice", at, p.Namespace, p.Name))
		}
		names[p.Namespace+"/"+p.Name] = true
		if p.Rows != "metrics" && p.Rows != "apiserver" {
			errs = append(errs, fmt.Sprintf("%s.rows %q: want metrics or apiserver", at, p.Rows))
		}
		for k, v := range p.PodSelector {
			for _, m := range validation.IsQualifiedName(k) {
				errs = append(errs, fmt.Sprintf("%s.podSelector key %q: %s", at, k, m))
			}
			for _, m := range validation.IsValidLabelValue(v) {
				errs = append(errs, fmt.Sprintf("%s.podSelector %q value %q: %s", at, k, v, m))
			}
		}
	}
	if len(errs) > 0 {
		sort.Strings(errs)
		return nil, fmt.Errorf("targets.kubernetes: %s", strings.Join(errs, "\ntargets.kubernetes: "))
	}
	return c, nil
}
