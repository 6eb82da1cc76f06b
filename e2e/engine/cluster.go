package engine

import (
	"fmt"
	"net/netip"
	"sort"
	"sync"

	"github.com/cilium/cilium/pkg/identity"
	k8sUtils "github.com/cilium/cilium/pkg/k8s/utils"
	"github.com/cilium/cilium/pkg/labels"
	"github.com/cilium/cilium/pkg/labelsfilter"
	"github.com/cilium/cilium/pkg/option"
	"github.com/cilium/cilium/pkg/policy"
	"github.com/cilium/cilium/pkg/policy/api"
)

// Role is a kind of Deckhouse node: whose host endpoint a flow is checked
// on.
type Role string

const (
	Master   Role = "master"
	Frontend Role = "frontend"
	Worker   Role = "worker"
)

// Roles returns every role, in a fixed order.
func Roles() []Role { return []Role{Master, Frontend, Worker} }

// nodeLabels returns the Kubernetes labels of a node of the role as
// Deckhouse sets them (node-role.kubernetes.io/control-plane on masters,
// node-role.deckhouse.io/frontend on frontends, node.deckhouse.io/group on
// every node) plus two labels every node has that Cilium's label filter
// drops (kubernetes.io/hostname, kubernetes.io/os), so that a policy
// selecting on those would be seen to select nothing.
func (r Role) nodeLabels() (map[string]string, error) {
	l := map[string]string{
		"kubernetes.io/hostname":  string(r) + "-0",
		"kubernetes.io/os":        "linux",
		"node.deckhouse.io/group": string(r),
	}
	switch r {
	case Master:
		l["node-role.kubernetes.io/control-plane"] = ""
	case Frontend:
		l["node-role.deckhouse.io/frontend"] = ""
	case Worker:
	default:
		return nil, fmt.Errorf("unknown node role %q", r)
	}
	return l, nil
}

// Peer is one party of a flow as the node that checks the flow sees it: its
// own host, another node, the outside world, or a pod.
type Peer string

// The peers. A remote node's identity is the same whatever its role: without
// enable-node-selector-labels Cilium gives every other node the one reserved
// remote-node identity, except the nodes that serve the kube-apiserver
// (below).
const (
	// Host is the checking node's own host endpoint: identity 1
	// (reserved:host) whose labels are the node's labels
	// (Endpoint.InitWithNodeLabels, pkg/endpoint/endpoint.go: reserved:host
	// plus the node's labels with source k8s, through labelsfilter.Filter).
	// On a master it also carries reserved:kube-apiserver, because the
	// apiserver runs in the host network namespace and the ipcache merges
	// the labels of every prefix of the host into identity 1
	// (updateReservedHostLabels, pkg/ipcache/metadata.go; Cilium's own
	// pkg/policy/test/testdata/test.txtar allocates
	// "reserved:host,reserved:kube-apiserver").
	Host Peer = "host"

	// RemoteMaster is another master's node IP: the kube-apiserver's
	// endpoint, so the ipcache labels it reserved:kube-apiserver as well as
	// reserved:remote-node, and LookupReservedIdentityByLabels
	// (pkg/identity/identity.go) gives that label set the reserved identity
	// 7, ReservedIdentityKubeAPIServer ("Only traffic from non-kube-apiserver
	// nodes should be considered as remote-node"). Its labels still include
	// reserved:remote-node, so the remote-node entity selects it too.
	RemoteMaster Peer = "remote-master"

	// RemoteNode is a worker's or a frontend's node IP seen from another
	// node: reserved:remote-node alone, identity 6
	// (ReservedIdentityRemoteNode, pkg/identity/numericidentity.go). A pod
	// whose traffic leaves its node masqueraded to the node IP is seen as
	// this too (or as RemoteMaster, from a master).
	RemoteNode Peer = "remote-node"

	// World is an address outside the cluster in a single-stack cluster:
	// reserved:world, identity 2. In a dual-stack cluster the ipcache
	// labels IPv4 addresses world-ipv4 (identity 9) and IPv6 ones
	// world-ipv6 (identity 10) instead (getWorldLabel,
	// pkg/labels/cidr.go); the world entity selects all three
	// (EntitySelectorMapping, pkg/policy/api/entity.go).
	World     Peer = "world"
	WorldIPv4 Peer = "world-ipv4"
	WorldIPv6 Peer = "world-ipv6"

	// Metadata is the cloud metadata service, 169.254.169.254, outside the
	// cluster: a CIDR identity, labels cidr:169.254.169.254/32 and
	// reserved:world (GetCIDRLabels, pkg/labels/cidr.go), which a toCIDR
	// rule for it and the world entity both select. (Without such a rule
	// the ipcache gives it plain world; either way world selects it.)
	Metadata Peer = "169.254.169.254"

	// JoiningNode is a node that is still bootstrapping, at 10.0.0.99: no
	// agent has registered its address, so it is outside the cluster to
	// Cilium, a CIDR identity (cidr:10.0.0.99/32 and its supersets, and
	// reserved:world; GetCIDRLabels) that a fromCIDRSet of the node
	// networks selects and the world entity selects too.
	JoiningNode Peer = "10.0.0.99"

	// Health is a cilium-health endpoint: reserved:health, identity 4.
	Health Peer = "health"

	// Pods, with the labels their namespaces and workloads have in
	// Deckhouse; a pod's identity is the same on every node.
	PrometheusPod    Peer = "d8-monitoring/prometheus"                          // Deckhouse's Prometheus: scrapes metrics and kubelets
	HubbleRelayPod   Peer = "d8-cni-cilium/hubble-relay"                        // hubble-relay: reads every agent's Hubble API
	KubeSystemPod    Peer = "kube-system/coredns"                               // the cluster DNS
	CAPSPod          Peer = "d8-cloud-instance-manager/caps-controller-manager" // the static provider: SSH to static nodes
	IngressNginxPod  Peer = "d8-ingress-nginx/controller"                       // a Deckhouse pod, not in the host network
	RandomPod        Peer = "shop/web"                                          // an application's pod
	RandomD8Pod      Peer = "d8-system/random"                                  // some other pod in a Deckhouse namespace
	RandomMetricsPod Peer = "monitoring/custom-prometheus"                      // Prometheus' labels, a user's namespace
)

// pod is a pod's namespace (name and labels), labels and service account.
type pod struct {
	namespace       string
	namespaceLabels map[string]string
	labels          map[string]string
	serviceAccount  string
}

// deckhouseNS returns the labels Deckhouse puts on its module namespaces,
// with the name label the API server adds to every namespace.
func deckhouseNS(name string) map[string]string {
	return map[string]string{"kubernetes.io/metadata.name": name, "heritage": "deckhouse"}
}

// pods returns the modelled pods.
func pods() map[Peer]pod {
	return map[Peer]pod{
		PrometheusPod: {"d8-monitoring", deckhouseNS("d8-monitoring"),
			map[string]string{"app.kubernetes.io/name": "prometheus", "prometheus": "main"}, "prometheus"},
		HubbleRelayPod: {"d8-cni-cilium", deckhouseNS("d8-cni-cilium"),
			// Deckhouse's own relay, not Cilium's chart: its pods carry only
			// app: hubble-relay (modules/500-cilium-hubble/templates/relay/deployment.yaml).
			map[string]string{"app": "hubble-relay"}, "hubble-relay"},
		KubeSystemPod: {"kube-system", map[string]string{"kubernetes.io/metadata.name": "kube-system"},
			map[string]string{"k8s-app": "kube-dns"}, "d8-kube-dns"},
		CAPSPod: {"d8-cloud-instance-manager", deckhouseNS("d8-cloud-instance-manager"),
			map[string]string{"app": "caps-controller-manager"}, "caps-controller-manager"},
		IngressNginxPod: {"d8-ingress-nginx", deckhouseNS("d8-ingress-nginx"),
			map[string]string{"app": "controller", "name": "main"}, "ingress-nginx"},
		RandomPod: {"shop", map[string]string{"kubernetes.io/metadata.name": "shop"},
			map[string]string{"app": "web"}, "default"},
		RandomD8Pod: {"d8-system", deckhouseNS("d8-system"),
			map[string]string{"app": "random"}, "default"},
		RandomMetricsPod: {"monitoring", map[string]string{"kubernetes.io/metadata.name": "monitoring"},
			map[string]string{"app.kubernetes.io/name": "prometheus"}, "prometheus"},
	}
}

// Peers returns every modelled peer, sorted.
func Peers() []Peer {
	ps := []Peer{Host, RemoteMaster, RemoteNode, World, WorldIPv4, WorldIPv6, Metadata, JoiningNode, Health}
	for p := range pods() {
		ps = append(ps, p)
	}
	sort.Slice(ps, func(i, j int) bool { return ps[i] < ps[j] })
	return ps
}

// IsPod says whether the peer is one of the modelled pods.
func (p Peer) IsPod() bool {
	_, ok := pods()[p]
	return ok
}

// firstPodIdentity is where the model's pod identities start: global
// identities are allocated from MinimalNumericIdentity, 256
// (pkg/identity/numericidentity.go); any value above it would do.
const firstPodIdentity = 1000

// firstLocalIdentity is the first CIDR identity: locally scoped identities
// have bit 24 set (IdentityScopeLocal, pkg/identity/numericidentity.go).
const firstLocalIdentity = identity.IdentityScopeLocal + 1

var (
	setupOnce sync.Once
	setupErr  error
)

// setup configures Cilium's process-global options as a cilium-agent
// started with enable-host-firewall and otherwise default settings has
// them. It runs once per process; every Cluster of the process shares them.
func setup() error {
	setupOnce.Do(func() {
		// Without it computePolicyEnforcementAndRules
		// (pkg/policy/repository.go) returns no policy for the host
		// identity at all.
		option.Config.EnableHostFirewall = true
		// Single-stack IPv4: world addresses are reserved:world
		// (getWorldLabel, pkg/labels/cidr.go).
		option.Config.EnableIPv4 = true
		option.Config.EnableIPv6 = false
		option.Config.ClusterName = ClusterName
		// The agent's default enforcement mode (policy-enforcement=default,
		// pkg/option/runtime_options.go): an endpoint is default-deny in a
		// direction once a rule selects it there.
		policy.SetPolicyEnabled(option.DefaultEnforcement)
		// The cluster entity's selectors depend on the cluster name;
		// the policy cell calls this at start (pkg/policy/cell/cell.go).
		api.InitEntities(ClusterName)
		// The agent's default identity-label filter
		// (defaultLabelPrefixCfg, pkg/labelsfilter/filter.go); without a
		// call labelsfilter.Filter has no configuration.
		if err := labelsfilter.ParseLabelPrefixCfg(discardLogger(), nil, nil, ""); err != nil {
			setupErr = fmt.Errorf("engine: Cilium's default label filter: %w", err)
		}
	})
	return setupErr
}

// identities returns the identity of every peer as a node of the role sees
// them.
func identities(role Role) (map[Peer]*identity.Identity, error) {
	nl, err := role.nodeLabels()
	if err != nil {
		return nil, err
	}
	hostLabels := labels.NewFrom(labels.LabelHost)
	idLabels, _ := labelsfilter.Filter(labels.Map2Labels(nl, labels.LabelSourceK8s))
	hostLabels.MergeLabels(idLabels)
	if role == Master {
		hostLabels.MergeLabels(labels.LabelKubeAPIServer)
	}
	remoteMaster := labels.NewFrom(labels.LabelRemoteNode)
	remoteMaster.MergeLabels(labels.LabelKubeAPIServer)

	ids := map[Peer]*identity.Identity{
		Host:         identity.NewIdentity(identity.ReservedIdentityHost, hostLabels),
		RemoteNode:   identity.NewIdentity(identity.ReservedIdentityRemoteNode, labels.NewFrom(labels.LabelRemoteNode)),
		RemoteMaster: identity.NewIdentity(identity.ReservedIdentityKubeAPIServer, remoteMaster),
		World:        identity.NewIdentity(identity.ReservedIdentityWorld, labels.NewFrom(labels.LabelWorld)),
		WorldIPv4:    identity.NewIdentity(identity.ReservedIdentityWorldIPv4, labels.NewFrom(labels.LabelWorldIPv4)),
		WorldIPv6:    identity.NewIdentity(identity.ReservedIdentityWorldIPv6, labels.NewFrom(labels.LabelWorldIPv6)),
		Health:       identity.NewIdentity(identity.ReservedIdentityHealth, labels.NewFrom(labels.LabelHealth)),
		Metadata: identity.NewIdentity(firstLocalIdentity,
			labels.GetCIDRLabels(netip.MustParsePrefix("169.254.169.254/32"))),
		JoiningNode: identity.NewIdentity(firstLocalIdentity+1,
			labels.GetCIDRLabels(netip.MustParsePrefix("10.0.0.99/32"))),
	}
	// Sanity: the reserved label sets above are the ones Cilium itself
	// maps to those reserved identities.
	for _, p := range []Peer{RemoteNode, RemoteMaster, World, WorldIPv4, WorldIPv6, Health} {
		got := identity.LookupReservedIdentityByLabels(ids[p].Labels)
		if got == nil || got.ID != ids[p].ID {
			return nil, fmt.Errorf("engine: Cilium does not map the labels of %s (%v) to identity %d", p, ids[p].Labels, ids[p].ID)
		}
	}

	all := pods()
	names := make([]Peer, 0, len(all))
	for p := range all {
		names = append(names, p)
	}
	sort.Slice(names, func(i, j int) bool { return names[i] < names[j] })
	for i, p := range names {
		pd := all[p]
		ids[p] = identity.NewIdentity(identity.NumericIdentity(firstPodIdentity+i), podIdentityLabels(pd))
	}
	return ids, nil
}

// namespace is what SanitizePodLabels reads of a namespace.
type namespace struct {
	name   string
	labels map[string]string
}

func (n namespace) GetName() string              { return n.name }
func (n namespace) GetLabels() map[string]string { return n.labels }

// podIdentityLabels returns a pod's identity labels the way the agent makes
// them (FetchK8sMetadataForEndpointFromPod,
// pkg/endpoint/metadata/k8s_metadatafetcher.go): GetPodMetadata's
// SanitizePodLabels (pkg/k8s/utils/utils.go: the pod's labels, its
// namespace's labels under io.cilium.k8s.namespace.labels., the namespace
// name, the service account and the cluster name), then Map2Labels with
// source k8s, then labelsfilter.Filter.
func podIdentityLabels(p pod) labels.Labels {
	m := k8sUtils.SanitizePodLabels(p.labels, namespace{p.namespace, p.namespaceLabels}, p.serviceAccount, ClusterName)
	idLabels, _ := labelsfilter.Filter(labels.Map2Labels(m, labels.LabelSourceK8s))
	return idLabels
}
