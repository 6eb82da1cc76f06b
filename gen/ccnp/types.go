// Package ccnp holds typed Go structs for the part of Cilium's policies
// (cilium.io/v2 CiliumClusterwideNetworkPolicy and CiliumNetworkPolicy)
// that portspec writes, so that the generators marshal typed values
// without the main module depending on Cilium itself. Field names and JSON
// keys follow the cilium.io/v2 CRDs; anything portspec never emits is left
// out on purpose, and Parse rejects it (strict decoding). The proof that
// these objects mean what portspec intends is Cilium's own policy engine,
// in the e2e/engine module.
package ccnp

// APIVersion and the kinds this package describes.
const (
	APIVersion = "cilium.io/v2"
	// Kind is the cluster-wide policy: host-firewall policies select nodes
	// with nodeSelector.
	Kind = "CiliumClusterwideNetworkPolicy"
	// KindNamespaced is a namespace's policy: it selects pods with
	// endpointSelector.
	KindNamespaced = "CiliumNetworkPolicy"
)

// Policy is one CiliumClusterwideNetworkPolicy or CiliumNetworkPolicy.
type Policy struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Metadata   Metadata `json:"metadata"`
	Spec       Spec     `json:"spec"`
}

// Metadata is the subset of ObjectMeta portspec sets.
type Metadata struct {
	Name      string            `json:"name"`
	Namespace string            `json:"namespace,omitempty"`
	Labels    map[string]string `json:"labels,omitempty"`
}

// Spec is one rule: the nodes (nodeSelector) or pods (endpointSelector)
// it selects and what they accept (ingress) or may send (egress).
type Spec struct {
	Description string `json:"description,omitempty"`
	// NodeSelector selects the nodes (host endpoints) the policy applies
	// to. A pointer, so that the empty selector (all nodes) is written as
	// `nodeSelector: {}` rather than left out.
	NodeSelector *Selector `json:"nodeSelector,omitempty"`
	// EndpointSelector selects pods (CiliumNetworkPolicy).
	EndpointSelector *Selector     `json:"endpointSelector,omitempty"`
	Ingress          []IngressRule `json:"ingress,omitempty"`
	Egress           []EgressRule  `json:"egress,omitempty"`
}

// Selector is a label selector. Keys of endpoint labels carry their
// source ("k8s:app"); node selectors use the node's label keys.
type Selector struct {
	MatchLabels      map[string]string `json:"matchLabels,omitempty"`
	MatchExpressions []Requirement     `json:"matchExpressions,omitempty"`
}

// Requirement is one matchExpressions entry.
type Requirement struct {
	Key      string   `json:"key"`
	Operator string   `json:"operator"` // In, NotIn, Exists, DoesNotExist
	Values   []string `json:"values,omitempty"`
}

// CIDRRule is one entry of fromCIDRSet/toCIDRSet.
type CIDRRule struct {
	CIDR string `json:"cidr"`
}

// IngressRule admits traffic from one kind of peer (entities, endpoints,
// CIDRs or nodes) to either ports or ICMP types, never both (portspec's own
// invariant, so that every rule reads as one row).
type IngressRule struct {
	FromEntities  []string   `json:"fromEntities,omitempty"`
	FromEndpoints []Selector `json:"fromEndpoints,omitempty"`
	FromCIDRSet   []CIDRRule `json:"fromCIDRSet,omitempty"`
	FromNodes     []Selector `json:"fromNodes,omitempty"`
	ToPorts       []PortRule `json:"toPorts,omitempty"`
	ICMPs         []ICMPRule `json:"icmps,omitempty"`
}

// EgressRule lets the selected nodes or pods send to one kind of peer.
type EgressRule struct {
	ToEntities []string   `json:"toEntities,omitempty"`
	ToCIDRSet  []CIDRRule `json:"toCIDRSet,omitempty"`
	ToNodes    []Selector `json:"toNodes,omitempty"`
	ToPorts    []PortRule `json:"toPorts,omitempty"`
	ICMPs      []ICMPRule `json:"icmps,omitempty"`
}

// PortRule is a list of ports (the CRD allows at most MaxPorts).
type PortRule struct {
	Ports []PortProtocol `json:"ports"`
}

// MaxPorts is the CRD's maxItems for a ports list and for ICMP fields.
const MaxPorts = 40

// PortProtocol is one port or port range (EndPort, Cilium >= 1.16) of one
// protocol. Port is a string in the CRD (it may also name a port).
type PortProtocol struct {
	Port     string `json:"port"`
	EndPort  int32  `json:"endPort,omitempty"`
	Protocol string `json:"protocol"`
}

// ICMPRule lists ICMP types.
type ICMPRule struct {
	Fields []ICMPField `json:"fields"`
}

// ICMPField is one numeric ICMP type of one family ("IPv4" or "IPv6").
type ICMPField struct {
	Family string `json:"family"`
	Type   int    `json:"type"`
}
