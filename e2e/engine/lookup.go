package engine

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/cilium/cilium/pkg/identity"
	"github.com/cilium/cilium/pkg/identity/identitymanager"
	ipcachetypes "github.com/cilium/cilium/pkg/ipcache/types"
	k8sConst "github.com/cilium/cilium/pkg/k8s/apis/cilium.io"
	"github.com/cilium/cilium/pkg/policy"
	"github.com/cilium/cilium/pkg/policy/types"
	policyutils "github.com/cilium/cilium/pkg/policy/utils"
	testidentity "github.com/cilium/cilium/pkg/testutils/identity"
	testpolicy "github.com/cilium/cilium/pkg/testutils/policy"
	"github.com/cilium/cilium/pkg/u8proto"
)

// Proto is a flow's IP protocol.
type Proto string

const (
	TCP    Proto = "TCP"
	UDP    Proto = "UDP"
	ICMP   Proto = "ICMP"   // port is the ICMP type
	ICMPv6 Proto = "ICMPv6" // port is the ICMPv6 type
)

// u8 is the protocol number. For ICMP Cilium puts the type where the port
// is: an icmps rule becomes a port rule whose port is the type
// (ICMPField.PortProtocol, pkg/policy/api/icmp.go).
func (p Proto) u8() (u8proto.U8proto, error) {
	switch p {
	case TCP:
		return u8proto.TCP, nil
	case UDP:
		return u8proto.UDP, nil
	case ICMP:
		return u8proto.ICMP, nil
	case ICMPv6:
		return u8proto.ICMPv6, nil
	}
	return 0, fmt.Errorf("unknown protocol %q (want TCP, UDP, ICMP or ICMPv6)", p)
}

// Verdict is Cilium's decision on one flow: the egress policy of its source
// and the ingress policy of its destination, as the checking node enforces
// them. Egress is meaningful for a source that is an endpoint of that node
// (Host or a pod on it); every other source has no policy there and is
// always allowed.
type Verdict struct {
	Egress, Ingress types.Decision
	// EgressBy and IngressBy name the policies whose rules decided each
	// direction (empty for a default decision).
	EgressBy, IngressBy []string
}

// Allowed says whether both directions allow the flow
// (LookupResult.Allowed, pkg/policy/types/simulate.go).
func (v Verdict) Allowed() bool {
	return types.LookupResult{Egress: v.Egress, Ingress: v.Ingress}.Allowed()
}

func (v Verdict) String() string {
	by := func(names []string) string {
		if len(names) == 0 {
			return ""
		}
		return " by " + strings.Join(names, ", ")
	}
	return fmt.Sprintf("egress %s%s, ingress %s%s", v.Egress, by(v.EgressBy), v.Ingress, by(v.IngressBy))
}

// Cluster is a Deckhouse cluster with a set of policies applied: one
// policy repository per node role, as each node's agent holds its own, with
// that node's host identity.
type Cluster struct {
	mu    sync.Mutex
	views map[Role]*view
}

// view is one node's agent: its repository and the identities it knows.
type view struct {
	repo  *policy.Repository
	idmgr identitymanager.IDManager
	ids   map[Peer]*identity.Identity
}

// NewCluster builds the cluster's repositories with the policies applied.
func NewCluster(pols []Policy) (*Cluster, error) {
	if err := setup(); err != nil {
		return nil, err
	}
	seen := map[string]string{}
	for _, p := range pols {
		key := p.Kind + " " + p.Namespace + "/" + p.Name
		if first, dup := seen[key]; dup {
			return nil, fmt.Errorf("%s: %s %q again (first at %s): applying it would replace the first", p.Pos, p.Kind, p.Name, first)
		}
		seen[key] = p.Pos
	}
	c := &Cluster{views: map[Role]*view{}}
	for _, r := range Roles() {
		v, err := newView(r, pols)
		if err != nil {
			return nil, err
		}
		c.views[r] = v
	}
	return c, nil
}

// newView sets a node's repository up the way Cilium's own tests outside
// the policy package do (testNewPolicyRepository, pkg/k8s/network_policy_test.go):
// NewPolicyRepository (pkg/policy/repository.go) with every identity in the
// peer selector cache, a dummy local-identity notifier for CIDR selectors,
// and the identity manager feeding the subject selector cache (LookupFlow,
// pkg/policy/lookup.go, adds a flow's identities to it). Each policy is
// imported as the agent imports it: RulesToPolicyEntries
// (pkg/policy/utils/parserules.go) and ReplaceByResource, keyed by the
// object (pkg/policy/cell/policy_importer.go).
func newView(role Role, pols []Policy) (*view, error) {
	ids, err := identities(role)
	if err != nil {
		return nil, err
	}
	initial := identity.IdentityMap{}
	for _, id := range ids {
		initial[id.ID] = id.LabelArray
	}
	logger := discardLogger()
	idmgr := identitymanager.NewIDManager(logger)
	repo := policy.NewPolicyRepository(logger, initial, nil, nil, idmgr, testpolicy.NewPolicyMetricsNoop())
	repo.GetSelectorCache().SetLocalIdentityNotifier(testidentity.NewDummyIdentityNotifier())
	idmgr.Subscribe(testpolicy.SelectorCacheObserver{Cache: repo.GetSubjectSelectorCache()})
	for _, p := range pols {
		kind := ipcachetypes.ResourceKindCCNP
		if p.Kind == KindCNP {
			kind = ipcachetypes.ResourceKindCNP
		}
		repo.ReplaceByResource(policyutils.RulesToPolicyEntries(p.Rules), ipcachetypes.NewResourceID(kind, p.Namespace, p.Name))
	}
	return &view{repo: repo, idmgr: idmgr, ids: ids}, nil
}

// Lookup is Cilium's verdict, on a node of the role, for a flow from one
// peer to another (either may be Host, that node's own host endpoint) to
// the port (or ICMP type) with the protocol. It is policy.LookupFlow
// (pkg/policy/lookup.go): the source's selector policy distilled and looked
// up for egress to the destination's identity, the destination's for
// ingress from the source's.
func (c *Cluster) Lookup(node Role, from, to Peer, proto Proto, port uint16) (Verdict, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.views[node]
	if !ok {
		return Verdict{}, fmt.Errorf("unknown node role %q", node)
	}
	src, ok := v.ids[from]
	if !ok {
		return Verdict{}, fmt.Errorf("unknown peer %q", from)
	}
	dst, ok := v.ids[to]
	if !ok {
		return Verdict{}, fmt.Errorf("unknown peer %q", to)
	}
	u8, err := proto.u8()
	if err != nil {
		return Verdict{}, err
	}
	if port == 0 {
		// LookupFlow refuses port 0: an ICMP type 0 (echo reply) is a
		// reply, which connection tracking lets through anyway.
		return Verdict{}, fmt.Errorf("%s %s→%s: port (or ICMP type) 0 cannot be looked up", proto, from, to)
	}
	res, egress, ingress, err := policy.LookupFlow(discardLogger(), v.repo, v.idmgr,
		types.Flow{From: src, To: dst, Proto: u8, Dport: port})
	if err != nil {
		return Verdict{}, fmt.Errorf("%s on %s %s→%s/%d: %w", node, proto, from, to, port, err)
	}
	return Verdict{
		Egress: res.Egress, Ingress: res.Ingress,
		EgressBy: policyNames(egress), IngressBy: policyNames(ingress),
	}, nil
}

// Ingress is the verdict for a flow from the peer into the host of a node of
// the role.
func (c *Cluster) Ingress(to Role, from Peer, proto Proto, port uint16) (Verdict, error) {
	return c.Lookup(to, from, Host, proto, port)
}

// Egress is the verdict for a flow from the host of a node of the role to
// the peer.
func (c *Cluster) Egress(from Role, to Peer, proto Proto, port uint16) (Verdict, error) {
	return c.Lookup(from, Host, to, proto, port)
}

// policyNames returns the names of the policies among a decision's rule
// labels (io.cilium.k8s.policy.name, GetPolicyLabels in
// pkg/k8s/apis/cilium.io/utils/utils.go), or of Cilium's own default rules
// in parentheses.
func policyNames(rm policy.RuleMeta) []string {
	set := map[string]bool{}
	for _, la := range rm.LabelArray() {
		name := ""
		for _, l := range la {
			switch l.Key {
			case k8sConst.PolicyLabelName:
				name = l.Value
			case policy.LabelKeyPolicyDerivedFrom:
				// Cilium's own entries (LabelsAllowAnyEgress and the
				// like, pkg/policy/mapstate.go):
				// "allow-any-egress" where no policy selects the
				// endpoint in that direction.
				if name == "" {
					name = "(" + l.Value + ")"
				}
			}
		}
		if name == "" && len(la) > 0 {
			name = la.String()
		}
		if name != "" {
			set[name] = true
		}
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Identity returns the numeric identity and the sorted labels
// ("source:key=value") of a peer as a node of the role sees it.
func (c *Cluster) Identity(node Role, p Peer) (uint32, []string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.views[node]
	if !ok {
		return 0, nil, fmt.Errorf("unknown node role %q", node)
	}
	id, ok := v.ids[p]
	if !ok {
		return 0, nil, fmt.Errorf("unknown peer %q", p)
	}
	var out []string
	for _, l := range id.LabelArray {
		out = append(out, l.String())
	}
	sort.Strings(out)
	return uint32(id.ID), out, nil
}
