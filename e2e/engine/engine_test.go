package engine_test

import (
	"strings"
	"testing"

	"github.com/portspec/portspec/e2e/engine"
)

// cluster parses the YAML and applies it.
func cluster(t *testing.T, name, yamlText string) *engine.Cluster {
	t.Helper()
	pols, err := engine.Parse(name, []byte(yamlText))
	if err != nil {
		t.Fatal(err)
	}
	c, err := engine.NewCluster(pols)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// check is one lookup and the verdict it must have.
type check struct {
	node     engine.Role
	from, to engine.Peer
	proto    engine.Proto
	port     uint16
	allow    bool
}

func run(t *testing.T, c *engine.Cluster, checks []check) {
	t.Helper()
	for _, k := range checks {
		v, err := c.Lookup(k.node, k.from, k.to, k.proto, k.port)
		if err != nil {
			t.Errorf("%s: %s→%s %s/%d: %v", k.node, k.from, k.to, k.proto, k.port, err)
			continue
		}
		if v.Allowed() != k.allow {
			t.Errorf("%s: %s→%s %s/%d: allowed=%v, want %v (%s)", k.node, k.from, k.to, k.proto, k.port, v.Allowed(), k.allow, v)
		}
	}
}

// The harness itself: facts that hold whatever portspec generates.

// TestNoPolicyAllowsEverything: with no policy nothing is enforced (the
// agent's default enforcement mode).
func TestNoPolicyAllowsEverything(t *testing.T) {
	c, err := engine.NewCluster(nil)
	if err != nil {
		t.Fatal(err)
	}
	run(t, c, []check{
		{engine.Master, engine.World, engine.Host, engine.TCP, 2379, true},
		{engine.Worker, engine.RandomPod, engine.Host, engine.TCP, 10250, true},
		{engine.Worker, engine.Host, engine.World, engine.UDP, 67, true},
	})
}

const ssh = `# a comment before the first document
---
# Only SSH from the world, on every node.
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata:
  name: ssh-only
spec:
  nodeSelector: {}
  ingress:
  - fromEntities: [world]
    toPorts:
    - ports:
      - port: "22"
        protocol: TCP
`

// TestTinyPolicy: a hand-written CCNP allowing only TCP 22 from world.
func TestTinyPolicy(t *testing.T) {
	c := cluster(t, "ssh.yaml", ssh)
	run(t, c, []check{
		{engine.Master, engine.World, engine.Host, engine.TCP, 22, true},
		{engine.Worker, engine.World, engine.Host, engine.TCP, 22, true},
		{engine.Worker, engine.WorldIPv4, engine.Host, engine.TCP, 22, true},
		{engine.Worker, engine.WorldIPv6, engine.Host, engine.TCP, 22, true},
		{engine.Worker, engine.World, engine.Host, engine.TCP, 23, false},
		{engine.Worker, engine.World, engine.Host, engine.UDP, 22, false},
		{engine.Worker, engine.RemoteNode, engine.Host, engine.TCP, 22, false},
		{engine.Master, engine.RemoteMaster, engine.Host, engine.TCP, 22, false},
		{engine.Worker, engine.PrometheusPod, engine.Host, engine.TCP, 22, false},
		{engine.Worker, engine.World, engine.Host, engine.ICMP, 8, false},
		// An ingress-only host policy leaves the host's egress alone.
		{engine.Worker, engine.Host, engine.World, engine.UDP, 67, true},
		// A host policy does not select pods.
		{engine.Worker, engine.World, engine.RandomPod, engine.TCP, 80, true},
	})
}

// TestNodeSelector: a policy for masters makes only masters default-deny,
// and entities select what Cilium says they select.
func TestNodeSelector(t *testing.T) {
	c := cluster(t, "masters.yaml", `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata:
  name: etcd
spec:
  nodeSelector:
    matchLabels:
      node-role.kubernetes.io/control-plane: ""
  ingress:
  - fromEntities: [kube-apiserver]
    toPorts:
    - ports:
      - port: "2379"
        endPort: 2380
        protocol: TCP
  - fromEntities: [remote-node]
    toPorts:
    - ports:
      - port: "4234"
        protocol: UDP
  - fromEntities: [health]
    icmps:
    - fields:
      - type: 8
        family: IPv4
      - type: 128
        family: IPv6
`)
	run(t, c, []check{
		// kube-apiserver selects another master (identity 7) and the
		// master's own host, which carries reserved:kube-apiserver.
		{engine.Master, engine.RemoteMaster, engine.Host, engine.TCP, 2379, true},
		{engine.Master, engine.RemoteMaster, engine.Host, engine.TCP, 2380, true},
		{engine.Master, engine.Host, engine.Host, engine.TCP, 2379, true},
		{engine.Master, engine.RemoteMaster, engine.Host, engine.TCP, 2381, false},
		// ... but not a worker.
		{engine.Master, engine.RemoteNode, engine.Host, engine.TCP, 2379, false},
		// remote-node selects workers and masters alike (identity 7
		// keeps reserved:remote-node).
		{engine.Master, engine.RemoteNode, engine.Host, engine.UDP, 4234, true},
		{engine.Master, engine.RemoteMaster, engine.Host, engine.UDP, 4234, true},
		// ICMP: the type is the port.
		{engine.Master, engine.Health, engine.Host, engine.ICMP, 8, true},
		{engine.Master, engine.Health, engine.Host, engine.ICMPv6, 128, true},
		{engine.Master, engine.Health, engine.Host, engine.ICMP, 13, false},
		// Workers are not selected: nothing is enforced on them.
		{engine.Worker, engine.RemoteNode, engine.Host, engine.TCP, 2379, true},
		{engine.Frontend, engine.World, engine.Host, engine.TCP, 31337, true},
	})
}

// TestPodSelectors: fromEndpoints with a namespace, in a host policy, and
// a namespaced CiliumNetworkPolicy for pods' egress.
func TestPodSelectors(t *testing.T) {
	c := cluster(t, "pods.yaml", `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata:
  name: kubelet
spec:
  nodeSelector: {}
  ingress:
  - fromEndpoints:
    - matchLabels:
        k8s:io.kubernetes.pod.namespace: d8-monitoring
        app.kubernetes.io/name: prometheus
    toPorts:
    - ports:
      - port: "10250"
        protocol: TCP
---
apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: web-egress
  namespace: shop
spec:
  endpointSelector: {}
  egress:
  - toEntities: [world]
    toPorts:
    - ports:
      - port: "443"
        protocol: TCP
`)
	run(t, c, []check{
		{engine.Worker, engine.PrometheusPod, engine.Host, engine.TCP, 10250, true},
		// The same labels in another namespace are not Deckhouse's
		// Prometheus.
		{engine.Worker, engine.RandomMetricsPod, engine.Host, engine.TCP, 10250, false},
		{engine.Worker, engine.RandomPod, engine.Host, engine.TCP, 10250, false},
		{engine.Worker, engine.RemoteNode, engine.Host, engine.TCP, 10250, false},
		// The namespaced policy selects the shop pod's egress only.
		{engine.Worker, engine.RandomPod, engine.World, engine.TCP, 443, true},
		{engine.Worker, engine.RandomPod, engine.World, engine.TCP, 80, false},
		{engine.Worker, engine.PrometheusPod, engine.World, engine.TCP, 80, true},
	})
}

// TestParseErrors: what Cilium refuses, and what the loader refuses
// because Cilium would silently read it otherwise, with positions.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, yaml, want string }{
		{"unknown field", "apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata:\n  name: x\nspec:\n  nodeSelector: {}\n  ingres: []\n",
			`p.yaml:1:1: CiliumClusterwideNetworkPolicy: error unmarshaling JSON: while decoding JSON: json: unknown field "ingres"`},
		{"second document", "# header\n---\napiVersion: cilium.io/v2\nkind: NetworkPolicy\n",
			`p.yaml:3:1: kind "NetworkPolicy"`},
		{"api version", "apiVersion: cilium.io/v1\nkind: CiliumNetworkPolicy\n", `p.yaml:1:1: apiVersion "cilium.io/v1"`},
		{"both selectors", "apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata:\n  name: x\nspec:\n  nodeSelector: {}\n  endpointSelector: {}\n  ingress:\n  - fromEntities: [world]\n",
			`p.yaml:1:1: CiliumClusterwideNetworkPolicy "x": Cilium refuses it: Invalid CiliumClusterwideNetworkPolicy spec: rule cannot have both EndpointSelector and NodeSelector`},
		{"cnp with node selector", "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: x\n  namespace: a\nspec:\n  nodeSelector: {}\n",
			`Cilium refuses it`},
		{"cnp without namespace", "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: x\nspec:\n  endpointSelector: {}\n",
			`p.yaml:1:1: CiliumNetworkPolicy "x": metadata.namespace is missing`},
		{"bad port", "apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata:\n  name: x\nspec:\n  nodeSelector: {}\n  ingress:\n  - toPorts:\n    - ports:\n      - port: \"70000\"\n        protocol: TCP\n",
			`Cilium refuses it`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := engine.Parse("p.yaml", []byte(tc.yaml))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
	pols, err := engine.Parse("twice.yaml", []byte(ssh+"---\n"+strings.SplitN(ssh, "---\n", 2)[1]))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := engine.NewCluster(pols); err == nil || !strings.Contains(err.Error(), `twice.yaml:17:1: CiliumClusterwideNetworkPolicy "ssh-only" again (first at twice.yaml:3:1)`) {
		t.Fatalf("duplicate policy: error %v", err)
	}
}
