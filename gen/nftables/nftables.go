// Package nftables is the "nftables" target: one standalone nftables
// ruleset per host role (master.nft, node.nft, frontend.nft) for hosts that
// are not managed with Ansible, with the same rules as the Ansible vars.
//
// Each ruleset owns one table (inet portspec) and nothing else: it never
// flushes the ruleset, because that would wipe kube-proxy's and the CNI's
// rules. Loading it with `nft -f` replaces the table in one transaction
// (create it if absent, delete it, create it with its new contents).
//
// Policy, per host role:
//   - input: policy drop (option input_policy). Always accepted first:
//     established/related traffic, loopback, IPv6 neighbour discovery and
//     the trusted sources (option trusted; by default Deckhouse's pod and
//     service subnets). Then every ingress rule of the host's roles, from
//     the source role's address set. Masters and frontends are nodes too,
//     so their rulesets include the node rules.
//   - output: policy accept (option output_policy). A drop policy here would
//     cut the node off from everything the document does not list (package
//     mirrors, cloud metadata, the pods of its own cluster); the
//     NodesToExternal rules are written as accept rules with counters, so
//     the table still documents and counts them, and output_policy: drop
//     turns them into the only way out besides the cluster's own addresses.
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

// Generate returns one ruleset per host role.
func (Generator) Generate(req gen.Request) (*gen.Output, error) {
	var opts hostfw.Options
	if err := gen.DecodeOptions(Name, req.Options, &opts); err != nil {
		return nil, err
	}
	set, err := opts.Resolve(Name)
	if err != nil {
		return nil, err
	}
	plan := hostfw.Build(req.Doc)
	out := &gen.Output{Warnings: plan.Warnings}
	for _, role := range hostfw.HostKinds() {
		out.Files = append(out.Files, gen.File{
			Path: FileName(role),
			Data: Ruleset(req.Doc, plan, set, role),
		})
	}
	return out, nil
}

// FileName is the ruleset file of a host role ("master.nft").
func FileName(role spec.Role) string { return hostfw.RoleName(role) + ".nft" }
