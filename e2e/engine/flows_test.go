package engine_test

import "github.com/portspec/portspec/e2e/engine"

// The flow table for the embedded default document
// (spec/default/network-interaction.md, the 2024 page), written by hand
// from what the page says and what Deckhouse and Cilium do, never from
// portspec's generator. Each row is one fact: on a node of that role, Cilium
// must allow (or deny) that flow, and why.
//
// How to read a row: node is the node whose Cilium agent decides; from and to
// are the two ends as that node sees them (H is that node's own host). A
// master's node IP, seen from another node, is RM (reserved:kube-apiserver
// and reserved:remote-node, identity 7); a worker's or frontend's is RN
// (reserved:remote-node only, identity 6). A pod keeps its pod identity to
// a node's address, on its own node and on any other, in every Deckhouse
// routing mode: with native routing Cilium does not masquerade pod to
// remote-node traffic (bpf/lib/nat.h, snat_v4_needs_masquerade), and in
// tunnel mode the host firewall sends it through the tunnel with the pod's
// identity (pkg/node/manager/manager.go, nodeAddressHasTunnelIP:
// EnableHostFirewall); docs/enforcement-facts.md, 2. So an RN row is a
// node's host process, never a pod in disguise. A node still joining the
// cluster is JN: a CIDR identity (world), as no agent has registered its
// address yet.

const (
	allow = true
	deny  = false

	M = engine.Master
	F = engine.Frontend
	W = engine.Worker

	H     = engine.Host
	RM    = engine.RemoteMaster
	RN    = engine.RemoteNode
	World = engine.World
	V4    = engine.WorldIPv4
	V6    = engine.WorldIPv6
	Meta  = engine.Metadata
	HC    = engine.Health

	JN     = engine.JoiningNode
	Prom   = engine.PrometheusPod
	Relay  = engine.HubbleRelayPod
	DNS    = engine.KubeSystemPod
	CAPS   = engine.CAPSPod
	Nginx  = engine.IngressNginxPod
	Pod    = engine.RandomPod
	D8Pod  = engine.RandomD8Pod
	MyProm = engine.RandomMetricsPod

	TCP    = engine.TCP
	UDP    = engine.UDP
	ICMP   = engine.ICMP
	ICMPv6 = engine.ICMPv6
)

// flow is one row of the table.
type flow struct {
	node     engine.Role
	from, to engine.Peer
	proto    engine.Proto
	port     uint16 // or ICMP type
	want     bool
	why      string
}

// defaultDocumentFlows is the table for the embedded default document.
func defaultDocumentFlows() []flow {
	return []flow{
		// ---- Master to master nodes traffic (MastersToMasters) ----
		// etcd's peers and clients are the masters themselves: the other
		// masters' etcd and kube-apiserver, and the local kube-apiserver.
		{M, RM, H, TCP, 2379, allow, "etcd client port: the other masters' kube-apiservers (MastersToMasters 2379)"},
		{M, RM, H, TCP, 2380, allow, "etcd peer port: the other masters' etcd (MastersToMasters 2380)"},
		{M, H, H, TCP, 2379, allow, "etcd client port: the master's own kube-apiserver, in the host network namespace"},
		{M, RN, H, TCP, 2379, deny, "a worker is no etcd client: MastersToMasters is between masters only"},
		{M, RN, H, TCP, 2380, deny, "a worker is no etcd peer: MastersToMasters is between masters only"},
		{M, Pod, H, TCP, 2379, deny, "no pod talks to etcd; only the host-network kube-apiserver does"},
		{M, D8Pod, H, TCP, 2379, deny, "not even a Deckhouse pod: etcd is the masters' own"},
		{M, DNS, H, TCP, 2379, deny, "a kube-system pod that is not in the host network is no etcd client"},
		{M, Prom, H, TCP, 2379, deny, "Prometheus scrapes control-plane metrics on 4209, not etcd's client port"},
		{M, World, H, TCP, 2379, deny, "etcd is never exposed to the outside"},
		{M, World, H, TCP, 2380, deny, "etcd is never exposed to the outside"},
		// Webhooks on masters are called by kube-apiserver, which runs in
		// the masters' host network.
		{M, RM, H, TCP, 4200, allow, "Cluster API webhook: called by the other masters' kube-apiservers (MastersToMasters 4200)"},
		{M, H, H, TCP, 4200, allow, "Cluster API webhook: called by the master's own kube-apiserver"},
		{M, RM, H, TCP, 4201, allow, "VMware Cloud Director webhook: called by kube-apiserver (MastersToMasters 4201)"},
		{M, RM, H, TCP, 4223, allow, "Deckhouse controller webhook: called by kube-apiserver (MastersToMasters 4223)"},
		{M, H, H, TCP, 4223, allow, "Deckhouse controller webhook: called by the master's own kube-apiserver"},
		{M, RN, H, TCP, 4223, deny, "a worker does not run kube-apiserver: MastersToMasters is between masters only"},
		{M, Pod, H, TCP, 4223, deny, "a pod has no business calling a webhook; kube-apiserver does"},
		{M, World, H, TCP, 4200, deny, "webhooks are not exposed to the outside"},

		// ---- Master to nodes traffic (MastersToNodes) ----
		{W, RM, H, TCP, 22, allow, "SSH for static nodes bootstrapping: from a master (MastersToNodes 22)"},
		{F, RM, H, TCP, 22, allow, "SSH for static nodes bootstrapping: frontends are nodes too (MastersToNodes 22)"},
		{W, CAPS, H, TCP, 22, allow, "the static provider's caps-controller-manager (d8-cloud-instance-manager) does that SSH; unmasqueraded (tunnel, same node) the node sees the pod"},
		{W, Pod, H, TCP, 22, deny, "an application pod has no SSH access to nodes"},
		{W, RM, H, TCP, 10250, allow, "kubelet: kube-apiserver on a master (logs, exec, port-forward) (MastersToNodes 10250)"},
		{F, RM, H, TCP, 10250, allow, "kubelet on frontends: kube-apiserver on a master (MastersToNodes 10250)"},
		{M, RM, H, TCP, 10250, allow, "a master's kubelet: the other masters' kube-apiservers (MastersToNodes 10250)"},
		{M, H, H, TCP, 10250, allow, "a master's kubelet: its own kube-apiserver, in the host network"},
		{W, Prom, H, TCP, 10250, allow, "Prometheus (d8-monitoring) scrapes kubelet and cAdvisor metrics on 10250, as a pod (same node or native routing)"},
		{M, Prom, H, TCP, 10250, allow, "Prometheus scrapes the masters' kubelets too"},
		{W, RN, H, TCP, 10250, deny, "a worker's host is no kubelet client (MastersToNodes: from masters); Prometheus keeps its pod identity, it does not arrive as RN"},
		{W, Pod, H, TCP, 10250, deny, "a random pod must not reach the kubelet API (exec into any pod)"},
		{M, Pod, H, TCP, 10250, deny, "a random pod must not reach a master's kubelet"},
		{W, D8Pod, H, TCP, 10250, deny, "a Deckhouse pod other than Prometheus has no documented kubelet access"},
		{W, MyProm, H, TCP, 10250, deny, "a Prometheus outside d8-monitoring is not Deckhouse's monitoring"},
		{W, World, H, TCP, 10250, deny, "the kubelet API is never exposed to the outside"},
		{M, World, H, TCP, 10250, deny, "the kubelet API is never exposed to the outside"},
		{W, RM, H, TCP, 4221, allow, "bashible apiserver: from a master (MastersToNodes 4221)"},
		{M, H, H, TCP, 4221, allow, "bashible apiserver: the master's own kube-apiserver, in the host network"},
		{W, Pod, H, TCP, 4221, deny, "a random pod must not read node configurations"},
		{W, World, H, TCP, 4221, deny, "node configurations are never exposed to the outside"},
		{W, RM, H, TCP, 4227, allow, "runtime-audit-engine webhook: called by kube-apiserver on a master (MastersToNodes 4227)"},
		{M, H, H, TCP, 4227, allow, "runtime-audit-engine webhook on a master: its own kube-apiserver"},
		{W, Pod, H, TCP, 4227, deny, "a pod has no business calling a webhook"},

		// ---- Nodes to masters traffic (NodesToMasters) ----
		{M, RN, H, UDP, 4234, allow, "NTP between nodes: a worker syncs with the masters (NodesToMasters 4234)"},
		{M, RM, H, UDP, 4234, allow, "NTP between nodes: another master (NodesToMasters 4234)"},
		{M, JN, H, UDP, 4234, allow, "NTP: chrony on a node still joining (its address is world to Cilium until its agent registers; the default opens the row to world, with a warning naming nodeCIDRs)"},
		{M, World, H, UDP, 4234, allow, "the same, seen from an address no CIDR rule names: with the defaults a joining node is indistinguishable from the world (TestJoiningFromNodeCIDRs closes it)"},
		{W, RN, H, UDP, 4234, deny, "NTP is served by masters only (NodesToMasters)"},
		{M, RN, H, TCP, 6443, allow, "kube-apiserver: controllers in a worker's host network, kubelet (NodesToMasters 6443)"},
		{M, RM, H, TCP, 6443, allow, "kube-apiserver: another master's host network (NodesToMasters 6443)"},
		{M, H, H, TCP, 6443, allow, "kube-apiserver: the master's own host-network controllers"},
		{M, Pod, H, TCP, 6443, allow, "every pod reaches kube-apiserver through the kubernetes Service, which Cilium translates to a master's 6443"},
		{M, Prom, H, TCP, 6443, allow, "Prometheus discovers its targets through kube-apiserver"},
		{W, RN, H, TCP, 6443, deny, "kube-apiserver runs on masters only (NodesToMasters)"},
		{M, RN, H, TCP, 4203, allow, "machine-controller-manager metrics: from nodes (NodesToMasters 4203)"},
		{M, Prom, H, TCP, 4203, allow, "machine-controller-manager metrics: scraped by Prometheus as a pod"},
		{M, RN, H, TCP, 4219, allow, "registry-packages-proxy: bashible on every node fetches packages (NodesToMasters 4219)"},
		{M, RM, H, TCP, 4219, allow, "registry-packages-proxy: another master's bashible (NodesToMasters 4219)"},
		{M, H, H, TCP, 4219, allow, "registry-packages-proxy: the master's own bashible"},
		{M, JN, H, TCP, 4219, allow, "registry-packages-proxy: bashible on a node still joining fetches its packages before its kubelet and agent run"},
		{M, World, H, TCP, 4219, allow, "the same, from an address no CIDR rule names (defaults: joining nodes are world; TestJoiningFromNodeCIDRs closes it)"},
		{M, RN, H, TCP, 4222, allow, "Deckhouse controller metrics: from nodes (NodesToMasters 4222)"},
		{M, Prom, H, TCP, 4222, allow, "Deckhouse controller metrics: scraped by Prometheus as a pod"},
		{M, Pod, H, TCP, 4222, deny, "metrics are for Deckhouse's Prometheus, not for any pod"},

		// ---- Nodes to nodes traffic (NodesToNodes), on every node ----
		{W, RN, H, ICMP, 8, allow, "ICMP echo for node-to-node connectivity monitoring (NodesToNodes ICMP)"},
		{W, RM, H, ICMP, 8, allow, "ICMP echo from a master (NodesToNodes ICMP)"},
		{M, RN, H, ICMP, 8, allow, "ICMP echo to a master (NodesToNodes ICMP)"},
		{F, RN, H, ICMPv6, 128, allow, "ICMPv6 echo request, the IPv6 form of the same monitoring"},
		{W, RN, H, TCP, 7000, allow, "DRBD replication, first port of 7000-7999 (NodesToNodes)"},
		{W, RN, H, TCP, 7500, allow, "DRBD replication, inside 7000-7999 (NodesToNodes)"},
		{W, RN, H, TCP, 7999, allow, "DRBD replication, last port of 7000-7999 (NodesToNodes)"},
		{W, RN, H, TCP, 6999, deny, "just below the DRBD range"},
		{W, RN, H, TCP, 8000, deny, "just above the DRBD range"},
		{W, World, H, TCP, 7000, deny, "DRBD replication is between nodes only"},
		{W, RN, H, UDP, 8469, allow, "VXLAN (NodesToNodes 8469)"},
		{W, RN, H, UDP, 8472, allow, "VXLAN, Cilium's tunnel port (NodesToNodes 8472)"},
		{M, RM, H, UDP, 8472, allow, "VXLAN between masters (NodesToNodes 8472)"},
		{W, World, H, UDP, 8472, deny, "VXLAN from the outside would inject packets into the pod network"},
		{W, RN, H, TCP, 4204, allow, "Deckhouse controller debug (NodesToNodes 4204)"},
		{W, RN, H, TCP, 3367, allow, "sds-replicated-volume node agent API (NodesToNodes 3367)"},
		{W, RN, H, TCP, 49152, allow, "VM live migration (NodesToNodes 49152)"},
		{W, RN, H, TCP, 49153, allow, "VM live migration (NodesToNodes 49153)"},
		{W, RN, H, TCP, 4218, allow, "metallb/l2-load-balancer memberlist (NodesToNodes 4218/TCP)"},
		{W, RN, H, UDP, 4218, allow, "metallb/l2-load-balancer memberlist (NodesToNodes 4218/UDP)"},
		{W, RN, H, TCP, 4225, allow, "metallb/l2-load-balancer memberlist (NodesToNodes 4225/TCP)"},
		{W, RN, H, UDP, 4225, allow, "metallb/l2-load-balancer memberlist (NodesToNodes 4225/UDP)"},
		{W, RN, H, TCP, 4240, allow, "cilium-health node-to-node check (NodesToNodes 4240)"},
		{W, RM, H, TCP, 4240, allow, "cilium-health node-to-node check from a master (NodesToNodes 4240)"},
		{W, World, H, TCP, 4240, deny, "cilium-health is internal to the cluster"},
		{W, RN, H, TCP, 4244, allow, "Hubble API: hubble-relay masqueraded to its node's IP (NodesToNodes 4244)"},
		{W, Relay, H, TCP, 4244, allow, "Hubble API: hubble-relay (d8-cni-cilium) connects to every agent's 4244 as a pod"},
		{M, Relay, H, TCP, 4244, allow, "Hubble API on masters: hubble-relay as a pod"},
		{W, Pod, H, TCP, 4244, deny, "a random pod must not read every flow of the node"},
		{W, World, H, TCP, 4244, deny, "the Hubble API is never exposed to the outside"},
		// Metrics on every node: the clients are Deckhouse's Prometheus, as
		// a pod (same node or native routing) and masqueraded (RN).
		{W, Prom, H, TCP, 4205, allow, "ebpf-exporter metrics, scraped by Prometheus (NodesToNodes 4205)"},
		{W, Prom, H, TCP, 4206, allow, "node-exporter metrics, scraped by Prometheus (NodesToNodes 4206)"},
		{M, Prom, H, TCP, 4206, allow, "node-exporter on masters, scraped by Prometheus"},
		{F, Prom, H, TCP, 4206, allow, "node-exporter on frontends, scraped by Prometheus"},
		{W, RN, H, TCP, 4206, allow, "node-exporter, scraped by Prometheus masqueraded (NodesToNodes 4206)"},
		{F, Prom, H, TCP, 4207, allow, "ingress-nginx HostWithFailover metrics, scraped by Prometheus (NodesToNodes 4207)"},
		{F, Prom, H, TCP, 4208, allow, "ingress-nginx HostWithFailover metrics, scraped by Prometheus (NodesToNodes 4208)"},
		{M, Prom, H, TCP, 4209, allow, "control plane metrics, scraped by Prometheus (NodesToNodes 4209)"},
		{W, Prom, H, TCP, 4210, allow, "kube-proxy metrics, scraped by Prometheus (NodesToNodes 4210)"},
		{M, Prom, H, TCP, 4211, allow, "Cluster API metrics, scraped by Prometheus (NodesToNodes 4211)"},
		{W, Prom, H, TCP, 4212, allow, "runtime-audit-engine metrics, scraped by Prometheus (NodesToNodes 4212)"},
		{W, Prom, H, TCP, 4213, allow, "kube-router metrics, scraped by Prometheus (NodesToNodes 4213)"},
		{W, Prom, H, TCP, 4220, allow, "metallb speaker metrics, scraped by Prometheus (NodesToNodes 4220)"},
		{W, Prom, H, TCP, 4224, allow, "node-local-dns metrics, scraped by Prometheus (NodesToNodes 4224)"},
		{W, Prom, H, TCP, 4226, allow, "l2-load-balancer speaker metrics, scraped by Prometheus (NodesToNodes 4226)"},
		{W, Prom, H, TCP, 4241, allow, "Cilium agent metrics, scraped by Prometheus (NodesToNodes 4241)"},
		{W, Prom, H, TCP, 4242, allow, "Cilium operator metrics, scraped by Prometheus (NodesToNodes 4242)"},
		{W, Prom, H, TCP, 9695, allow, "sds-node-configurator metrics, scraped by Prometheus (NodesToNodes 9695)"},
		{W, Prom, H, TCP, 9942, allow, "sds-replicated-volume agent metrics, scraped by Prometheus (NodesToNodes 9942)"},
		{W, RN, H, TCP, 4241, allow, "Cilium agent metrics, scraped by Prometheus masqueraded (NodesToNodes 4241)"},
		{W, Pod, H, TCP, 4206, deny, "metrics are for Deckhouse's Prometheus, not for any pod"},
		{W, MyProm, H, TCP, 4241, deny, "a Prometheus outside d8-monitoring is not Deckhouse's monitoring"},
		{W, World, H, TCP, 4206, deny, "node metrics are never exposed to the outside"},
		{W, World, H, TCP, 9695, deny, "node metrics are never exposed to the outside"},

		// ---- External traffic to masters (ExternalToMaster) ----
		{M, World, H, TCP, 22, allow, "SSH for Deckhouse initialization (ExternalToMaster 22)"},
		{M, World, H, TCP, 22322, allow, "SSH for Deckhouse initialization (ExternalToMaster 22322)"},
		{M, World, H, TCP, 6443, allow, "kube-apiserver for local administrators (ExternalToMaster 6443)"},
		{M, V4, H, TCP, 6443, allow, "the same from an IPv4 address of a dual-stack cluster (world-ipv4)"},
		{M, V6, H, TCP, 6443, allow, "the same from an IPv6 address of a dual-stack cluster (world-ipv6)"},
		{W, World, H, TCP, 22322, deny, "the alternative SSH port is documented for masters only"},
		{W, World, H, TCP, 6443, deny, "workers run no kube-apiserver"},

		// ---- External traffic to frontends (ExternalToFrontends) ----
		{F, World, H, TCP, 80, allow, "Ingress HTTP (ExternalToFrontends 80)"},
		{F, World, H, TCP, 443, allow, "Ingress HTTPS (ExternalToFrontends 443)"},
		{F, V6, H, TCP, 443, allow, "Ingress HTTPS from an IPv6 client of a dual-stack cluster"},
		{F, Pod, H, TCP, 443, allow, "in-cluster pods reach applications through the Ingress too, as pods with native routing"},
		{F, Nginx, H, TCP, 80, allow, "so do Deckhouse's own pods"},
		{F, RN, H, TCP, 443, allow, "in-cluster pods masqueraded to their node's IP reach the Ingress too"},
		{F, World, H, UDP, 5416, allow, "OpenVPN over UDP (ExternalToFrontends 5416/UDP)"},
		{F, World, H, TCP, 5416, allow, "OpenVPN over TCP (ExternalToFrontends 5416/TCP)"},
		{F, World, H, TCP, 10256, allow, "health check port for external balancers (ExternalToFrontends 10256)"},
		{F, World, H, TCP, 30000, allow, "NodePort range, first port; Cilium's LB health-check node ports are in it and are served in the host namespace (ExternalToFrontends 30000-32767)"},
		{F, World, H, TCP, 31337, allow, "NodePort range (ExternalToFrontends 30000-32767)"},
		{F, World, H, TCP, 32767, allow, "NodePort range, last port (ExternalToFrontends 30000-32767)"},
		{W, World, H, TCP, 80, deny, "Ingress ports are documented for frontends only"},
		{W, World, H, TCP, 443, deny, "Ingress ports are documented for frontends only"},
		{M, World, H, UDP, 5416, deny, "OpenVPN is documented for frontends only"},

		// ---- External traffic for all nodes (NodesToExternal) and the
		// infrastructure every node needs. Egress filtering is off by
		// default: with no egress policy at all every node may reach
		// whatever it needs outside.
		{W, H, World, UDP, 53, allow, "DNS (NodesToExternal 53/UDP)"},
		{W, H, World, TCP, 53, allow, "DNS (NodesToExternal 53/TCP)"},
		{W, H, World, UDP, 123, allow, "NTP with external servers (NodesToExternal 123)"},
		{M, H, World, TCP, 443, allow, "container registry (NodesToExternal 443)"},
		{W, H, World, UDP, 67, allow, "DHCP: a node renews its lease (egress is off by default: nothing is filtered)"},
		{M, H, World, UDP, 67, allow, "DHCP on masters too"},
		{W, H, Meta, TCP, 80, allow, "the cloud metadata service 169.254.169.254:80 (cloud-init, cloud controller, instance credentials)"},
		{M, H, Meta, TCP, 80, allow, "the metadata service from masters"},
		{W, H, World, TCP, 80, allow, "package mirrors over HTTP: egress is off by default"},
		{W, H, DNS, UDP, 53, allow, "the node's resolver asks the cluster DNS (kube-system)"},
		{W, H, RN, TCP, 10250, allow, "node-to-node traffic leaves freely"},
		{M, H, RN, TCP, 10250, allow, "kube-apiserver on a master reaches the workers' kubelets"},
		{W, H, Pod, TCP, 8080, allow, "kubelet probes reach the node's pods"},
		// Host policies never select pods: pod traffic that does not
		// touch a host is not theirs to filter.
		{W, Pod, World, TCP, 443, allow, "an application pod's egress is not a host policy's business"},
		{W, Pod, Prom, TCP, 9090, allow, "pod-to-pod traffic is not a host policy's business"},
		{W, World, Pod, TCP, 8080, allow, "traffic to a pod (through a NodePort or LoadBalancer backend) is not a host policy's business"},

		// ---- What nobody documented is closed, from everyone ----
		{M, World, H, TCP, 31337, deny, "undocumented port (31337 is inside the NodePort range, which is documented for frontends only)"},
		{M, RM, H, TCP, 31337, deny, "undocumented port, even between masters"},
		{M, RN, H, TCP, 31337, deny, "undocumented port, even from a node"},
		{M, Pod, H, TCP, 31337, deny, "undocumented port, even from a pod"},
		{M, Prom, H, TCP, 31337, deny, "undocumented port, even from Prometheus"},
		{W, World, H, TCP, 31337, deny, "undocumented port"},
		{W, RN, H, TCP, 31337, deny, "undocumented port, even from a node"},
		{W, RM, H, TCP, 31337, deny, "undocumented port, even from a master"},
		{W, Pod, H, TCP, 31337, deny, "undocumented port, even from a pod"},
		{W, HC, H, TCP, 31337, deny, "undocumented port, even from cilium-health"},
		{F, RN, H, TCP, 12345, deny, "undocumented port on a frontend"},
		{F, World, H, TCP, 12345, deny, "undocumented port on a frontend"},
		{M, World, H, UDP, 9999, deny, "undocumented UDP port"},
		{M, RM, H, UDP, 9999, deny, "undocumented UDP port, even between masters"},
		{W, World, H, UDP, 9999, deny, "undocumented UDP port"},
		{W, RN, H, UDP, 9999, deny, "undocumented UDP port, even from a node"},
		{W, Pod, H, UDP, 9999, deny, "undocumented UDP port, even from a pod"},
		{F, World, H, UDP, 9999, deny, "undocumented UDP port on a frontend"},
		{W, World, H, ICMP, 8, deny, "ICMP echo is documented between nodes only"},
		{W, RN, H, ICMP, 13, deny, "ICMP timestamp requests are not documented"},
	}
}
