package kubernetes

import (
	"net/netip"

	"github.com/portspec/portspec/gen"
)

// Options is the target's section of portspec.yaml (targets.kubernetes).
type Options struct {
	// CNI is the cluster's network plugin, which decides how a pod's egress
	// to the nodes can be written (docs/enforcement-facts.md, 3):
	//
	//   - "cilium" (the default, as in Deckhouse): CiliumNetworkPolicy with
	//     toEntities host, remote-node, kube-apiserver. A NetworkPolicy's
	//     ipBlock never matches a node's identity in Cilium unless
	//     policy-cidr-match-mode is "nodes", so a NetworkPolicy would deny
	//     every node port.
	//   - "flannel" (Deckhouse enforces NetworkPolicy there with
	//     kube-router): NetworkPolicy with ipBlock of NodeCIDRs, which must
	//     then be given.
	CNI string `json:"cni,omitempty"`
	// NodeCIDRs are the addresses of the cluster's nodes (flannel only;
	// required there).
	NodeCIDRs []string `json:"nodeCIDRs,omitempty"`
	// MasterCIDRs narrow rows whose destination is the masters (flannel
	// only). Default: NodeCIDRs.
	MasterCIDRs []string `json:"masterCIDRs,omitempty"`
}

type config struct {
	cni            string
	nodes, masters []string
}

func (o Options) resolve() (*config, error) {
	c := &config{cni: o.CNI, nodes: o.NodeCIDRs, masters: o.MasterCIDRs}
	var errs []*gen.OptionError
	bad := func(path []string, format string, args ...any) {
		errs = append(errs, gen.OptionErrorf(path, format, args...))
	}
	opt := func(keys ...string) []string { return gen.Option(Name, keys...) }
	switch c.cni {
	case "":
		c.cni = "cilium"
	case "cilium", "flannel":
	default:
		bad(opt("cni"), "%q is not one of cilium, flannel", c.cni)
	}
	if c.cni == "cilium" && (len(c.nodes) > 0 || len(c.masters) > 0) {
		at := opt("nodeCIDRs")
		if len(c.nodes) == 0 {
			at = opt("masterCIDRs")
		}
		bad(at, "nodeCIDRs and masterCIDRs are for cni: flannel; with cilium the policies name the nodes by identity (an ipBlock would not match them)")
	}
	if c.cni == "flannel" && len(c.nodes) == 0 {
		bad(opt("cni"), "nodeCIDRs: required with cni: flannel (kube-router matches node addresses by ipBlock): give the networks of the cluster's nodes")
	}
	if len(c.masters) == 0 {
		c.masters = c.nodes
	}
	for _, f := range []struct {
		name  string
		cidrs []string
	}{{"nodeCIDRs", o.NodeCIDRs}, {"masterCIDRs", o.MasterCIDRs}} {
		for _, s := range f.cidrs {
			p, err := netip.ParsePrefix(s)
			if err != nil || p.Masked() != p {
				bad(opt(f.name), "%q is not a CIDR with its host bits zero (like 10.0.0.0/8)", s)
			}
		}
	}
	if len(errs) > 0 {
		return nil, gen.JoinOptionErrors(errs)
	}
	return c, nil
}
