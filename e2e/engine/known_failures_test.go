package engine_test

// knownFailures lists the flows of defaultDocumentFlows that Cilium decides
// wrongly with today's generator output, by cause. The table is the
// standard; this list is the distance to it. When a flow starts to pass,
// TestDefaultDocumentFlows fails until it is deleted here; a flow that
// fails and is not listed fails it at once. Run with -strict to see every
// listed flow as a failure.
func knownFailures() []string {
	return []string{
		// Masters-only rows are opened to remote-node, which every
		// worker has: Cilium entities cannot tell a worker from a
		// master, but kube-apiserver (identity 7) can.
		"master: remote-node -> host TCP/2379",
		"master: remote-node -> host TCP/2380",
		"master: remote-node -> host TCP/4223",

		// Metrics and webhook rows allow the cluster entity
		// (podPeerKeywords), which selects every pod of the cluster,
		// instead of the pods that are the clients.
		"master: shop/web -> host TCP/4223",
		"worker: shop/web -> host TCP/4227",
		"master: shop/web -> host TCP/4222",
		"worker: shop/web -> host TCP/4206",
		"worker: monitoring/custom-prometheus -> host TCP/4241",

		// The real pod clients are not selected where a row has no
		// cluster peer: Prometheus on the kubelet, hubble-relay on the
		// Hubble API, the static provider on SSH.
		"worker: d8-monitoring/prometheus -> host TCP/10250",
		"master: d8-monitoring/prometheus -> host TCP/10250",
		"worker: d8-cni-cilium/hubble-relay -> host TCP/4244",
		"master: d8-cni-cilium/hubble-relay -> host TCP/4244",
		"worker: d8-cloud-instance-manager/caps-controller-manager -> host TCP/22",

		// Frontends' Ingress ports are opened to world only, not to the
		// cluster's own pods and nodes.
		"frontend: shop/web -> host TCP/443",
		"frontend: d8-ingress-nginx/controller -> host TCP/80",
		"frontend: remote-node -> host TCP/443",

		// The NodePort range is written as a NOT ENFORCED comment; the
		// policy on frontends then denies it, health-check node ports
		// served in the host namespace included.
		"frontend: world -> host TCP/30000",
		"frontend: world -> host TCP/31337",
		"frontend: world -> host TCP/32767",

		// Egress is on by default: nodes-egress.yaml makes every node
		// egress default-deny, so what the document does not list
		// (DHCP, the metadata service, HTTP mirrors) is cut off.
		"worker: host -> world UDP/67",
		"master: host -> world UDP/67",
		"worker: host -> 169.254.169.254 TCP/80",
		"master: host -> 169.254.169.254 TCP/80",
		"worker: host -> world TCP/80",
	}
}
