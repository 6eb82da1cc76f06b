// Package ccnp holds typed Go structs for the part of Cilium's
// CiliumClusterwideNetworkPolicy (cilium.io/v2) that portspec writes, so that
// the generator marshals and the evaluator parses the same shapes without the
// main module depending on Cilium itself. Field names and JSON keys follow
// the cilium.io/v2 CRD; anything portspec never emits is left out on purpose,
// and Parse rejects it (strict decoding), so the evaluator can never silently
// ignore a field that would change what a policy allows.
package ccnp

// APIVersion and Kind identify the objects this package describes.
const (
	APIVersion = "cilium.io/v2"
	Kind       = "CiliumClusterwideNetworkPolicy"
)

// Policy is one CiliumClusterwideNetworkPolicy object.
type Policy struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Metadata   Metadata `json:"metadata"`
	Spec       Spec     `json:"spec"`
}

// Metadata is the subset of ObjectMeta portspec sets.
type Metadata struct {
	Name   string            `json:"name"`
	Labels map[string]string `json:"labels,omitempty"`
}

// Spec is a host-firewall rule: the nodes it selects and what they accept
// (ingress) or may send (egress).
type Spec struct {
	Description string `json:"description,omitempty"`
	// NodeSelector selects the nodes (host endpoints) the policy applies
	// to. A pointer, so that the empty selector (all nodes) is written as
	// `nodeSelector: {}` rather than left out.
	NodeSelector *Selector     `json:"nodeSelector,omitempty"`
	Ingress      []IngressRule `json:"ingress,omitempty"`
	Egress       []EgressRule  `json:"egress,omitempty"`
}

// Selector is a label selector with matchLabels only.
type Selector struct {
	MatchLabels map[string]string `json:"matchLabels,omitempty"`
}

// IngressRule admits traffic from one kind of peer (entities or nodes) to
// either ports or ICMP types, never both (portspec's own invariant).
type IngressRule struct {
	FromEntities []string   `json:"fromEntities,omitempty"`
	FromNodes    []Selector `json:"fromNodes,omitempty"`
	ToPorts      []PortRule `json:"toPorts,omitempty"`
	ICMPs        []ICMPRule `json:"icmps,omitempty"`
}

// EgressRule lets the selected nodes send to one kind of peer.
type EgressRule struct {
	ToEntities []string   `json:"toEntities,omitempty"`
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
