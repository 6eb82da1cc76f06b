// Package nftables is the "nftables" target: one standalone nftables
// ruleset per host role (master.nft, node.nft, frontend.nft) for hosts that
// are not managed with Ansible, with the same rules as the Ansible vars,
// and the systemd unit that loads one of them on boot
// (portspec-nftables.service).
//
// Each ruleset owns one table (inet portspec) and nothing else: it never
// flushes the ruleset, because that would wipe kube-proxy's and the CNI's
// rules. Loading it with `nft -f` replaces the table in one transaction
// (create it if absent, delete it, create it with its new contents).
//
// Policy, per host role:
//   - input: policy drop (option input_policy). Always accepted first:
//     established/related traffic, loopback, IPv6 neighbour discovery and
//     the trusted admin networks (option trusted, empty by default). Then
//     every ingress rule of the host's roles, once per address set of the
//     row's real clients as gen/clients names them: host processes of a
//     role from that role's set, pods from the pod subnets (option
//     podCIDRs), the world from the external set, joining nodes from the
//     node set. Masters and frontends are nodes too, so their rulesets
//     include the node rules. The cluster roles' sets have no default
//     (option cidrs, or privateRanges to accept every private address).
//   - output: policy accept (option output_policy). A drop policy here would
//     cut the node off from everything the document does not list (package
//     mirrors, cloud metadata, the pods of its own cluster); the
//     NodesToExternal rules are written as accept rules with counters, so
//     the table still documents and counts them, and output_policy: drop
//     turns them into the only way out besides the cluster's own addresses.
//   - a drop policy may log what it drops (option log); mode: audit makes
//     it accept and log what it would drop, for a first rollout.
//   - forward is not touched: pod traffic is the CNI's business.
package nftables

import (
	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/hostfw"
	"github.com/portspec/portspec/spec"
)

// Name is the target's key in portspec.yaml.
const Name = "nftables"

// DefaultDir is the target's folder under the output root when the config
// names none.
const DefaultDir = "nftables"

// Generator is the nftables target.
type Generator struct{}

// New returns the nftables target.
func New() Generator { return Generator{} }

func (Generator) Name() string       { return Name }
func (Generator) DefaultDir() string { return DefaultDir }

// Generate returns one ruleset per host role and the boot unit. Without
// any options (no targets.nftables in the config) it writes nothing and
// warns, because the rulesets cannot name the nodes' addresses; options
// without the cluster roles' addresses are an error.
func (Generator) Generate(req gen.Request) (*gen.Output, error) {
	if len(req.Options) == 0 || string(req.Options) == "null" {
		return &gen.Output{Warnings: []string{
			"targets." + Name + ".cidrs is not set: no rulesets written. Name the addresses of the master, node and frontend hosts " +
				"(targets." + Name + ".cidrs.master, .node, .frontend), or set targets." + Name + ".privateRanges: true to accept every private address where they are meant",
		}}, nil
	}
	var opts hostfw.Options
	if err := gen.DecodeOptions(Name, req.Options, &opts); err != nil {
		return nil, err
	}
	set, err := opts.Resolve(Name, hostfw.Required)
	if err != nil {
		return nil, err
	}
	plan := hostfw.Input{Doc: req.Doc, Clients: req.ClientTable()}.Build()
	out := &gen.Output{Warnings: plan.Warnings}
	for _, role := range hostfw.HostKinds() {
		out.Files = append(out.Files, gen.File{
			Path: FileName(role),
			Data: Ruleset(req.Doc, plan, set, role),
		})
	}
	out.Files = append(out.Files, gen.File{Path: UnitName, Data: Unit(req.Doc, set)})
	return out, nil
}

// FileName is the ruleset file of a host role ("master.nft").
func FileName(role spec.Role) string { return hostfw.RoleName(role) + ".nft" }
