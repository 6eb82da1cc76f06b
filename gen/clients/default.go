package clients

import (
	"regexp"

	"github.com/portspec/portspec/internal/lazyre"

	"github.com/portspec/portspec/spec"
)

// Deckhouse's pods that are the real clients of rows. The labels are those
// of Deckhouse's own manifests (docs/clients.md names each file). Functions,
// so that every Default call returns maps of its own.
func prometheus() Client {
	return Client{Kind: Pod, Namespace: "d8-monitoring", Labels: map[string]string{"app.kubernetes.io/name": "prometheus", "prometheus": "main"}}
}

func hubbleRelay() Client {
	return Client{Kind: Pod, Namespace: "d8-cni-cilium", Labels: map[string]string{"app": "hubble-relay"}}
}

func capsManager() Client {
	return Client{Kind: Pod, Namespace: "d8-cloud-instance-manager", Labels: map[string]string{"app": "caps-controller-manager"}}
}

func anyPod() Client { return Client{Kind: Pod} }

func hosts(r spec.Role) Client { return Client{Kind: Host, Roles: []spec.Role{r}} }

func ports(ps ...uint16) []spec.PortRange {
	out := make([]spec.PortRange, len(ps))
	for i, p := range ps {
		out[i] = spec.PortRange{First: p, Last: p}
	}
	return out
}

// Default returns the table's built-in entries (a new slice each call), in
// the order they apply. docs/clients.md explains each and names its source.
func Default() []Entry {
	return []Entry{
		{
			Name:    "webhooks",
			Match:   Match{Protocol: spec.TCP, Purpose: regexp.MustCompile(`(?i)\bwebhook\b`)},
			Clients: []Client{hosts(spec.RoleMaster)},
			Replace: true,
			Why:     "admission and conversion webhooks are called by kube-apiserver, a static pod in the host network namespace of the masters; no pod calls them",
		},
		{
			Name:    "prometheus-metrics",
			Match:   Match{Protocol: spec.TCP, Purpose: regexp.MustCompile(`(?i)\bmetrics\b`)},
			Clients: []Client{prometheus()},
			Why:     "metrics ports are scraped by Prometheus (pods of d8-monitoring, app.kubernetes.io/name=prometheus, prometheus=main), not by node processes; its packets keep the pod's address in every Deckhouse routing mode",
		},
		{
			Name:    "kubelet",
			Match:   Match{Groups: []string{"MastersToNodes"}, Protocol: spec.TCP, Ports: ports(10250)},
			Clients: []Client{prometheus()},
			Why:     "besides kube-apiserver (logs, exec, port-forward), Prometheus scrapes the kubelet's /metrics and /metrics/cadvisor on 10250",
		},
		{
			Name:    "hubble-api",
			Match:   Match{Groups: []string{"NodesToNodes"}, Protocol: spec.TCP, Ports: ports(4244)},
			Clients: []Client{hubbleRelay()},
			Why:     "hubble-relay (pods of d8-cni-cilium) reads every agent's hubble API on 4244",
		},
		{
			Name:    "static-ssh",
			Match:   Match{Groups: []string{"MastersToNodes"}, Protocol: spec.TCP, Ports: ports(22)},
			Clients: []Client{capsManager()},
			Why:     "static nodes are bootstrapped over SSH by caps-controller-manager (pods of d8-cloud-instance-manager on the masters)",
		},
		{
			Name:    "apiserver-from-pods",
			Match:   Match{Groups: []string{"NodesToMasters"}, Protocol: spec.TCP, Ports: ports(6443)},
			Clients: []Client{anyPod()},
			Why:     "every pod reaches kube-apiserver through the kubernetes Service; the packet arrives at a master's 6443 with the pod's address (kube-proxy replacement translates it at the socket)",
		},
		{
			Name:    "ingress-in-cluster",
			Match:   Match{Groups: []string{"ExternalToFrontends"}, Protocol: spec.TCP, Ports: ports(80, 443)},
			Clients: []Client{anyPod(), hosts(spec.RoleNode)},
			Why:     "in-cluster clients use the public names too (OIDC discovery through dex and user-authn, cert-manager's HTTP-01 self-check, applications calling each other by their ingress host)",
		},
		{
			Name:    "registry-packages-proxy",
			Match:   Match{Groups: []string{"NodesToMasters"}, Protocol: spec.TCP, Ports: ports(4219)},
			Clients: []Client{{Kind: Joining}, prometheus()},
			Why:     "a node that is bootstrapping fetches its packages from registry-packages-proxy on the masters before its kubelet and Cilium agent run, so before the cluster knows its address; Prometheus scrapes the proxy's /metrics",
		},
		{
			Name:    "ntp-joining",
			Match:   Match{Groups: []string{"NodesToMasters"}, Protocol: spec.UDP, Purpose: regexp.MustCompile(`(?i)\bNTP\b`)},
			Clients: []Client{{Kind: Joining}},
			Why:     "chrony on a new node (hostNetwork, d8-chrony) syncs with the masters as soon as it starts, which can be before that node's Cilium agent has registered its address",
		},
	}
}

// tunnelPurpose is how the page names the rows of the CNI's tunnel.
var tunnelPurpose = lazyre.New(`(?i)\bVXLAN\b`)

// IsTunnel reports whether a rule is one of the CNI's tunnel ports (VXLAN
// between nodes). Deckhouse picks the port per cluster, from its history
// and the virtualization module (modules/021-cni-cilium/hooks/
// discover_vxlan_port.go), so a newer page lists several candidates: a
// cluster uses one of them, and the targets let the user name it.
func IsTunnel(r *spec.Rule) bool {
	return r.Protocol == spec.UDP && tunnelPurpose().MatchString(r.PurposeIn("en").Text)
}
