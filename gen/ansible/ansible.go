// Package ansible is the "ansible" target: one vars file,
// group_vars/all/portspec.yml, that playbooks use to open the documented
// ports with whatever firewall module they already use (firewalld, ufw,
// iptables, nftables). It is one file on purpose: Ansible keeps only one of
// two group_vars files that define the same variable for a host in two
// groups, so no variable is ever split across groups.
//
// Every string that comes from the document is tagged !unsafe, so that
// Ansible never evaluates a "{{ … }}" or "{% … %}" a purpose may contain.
package ansible

import (
	"bytes"
	"errors"
	"fmt"
	"slices"

	"github.com/portspec/portspec/internal/lazyre"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/hostfw"
	"github.com/portspec/portspec/spec"
)

// Name is the target's key in portspec.yaml.
const Name = "ansible"

// DefaultDir is the target's folder under the output root when the config
// names none.
const DefaultDir = "ansible"

// VarsPath is the one file the target writes, relative to its folder.
const VarsPath = "group_vars/all/portspec.yml"

// Options are "targets.ansible" in portspec.yaml: the shared host-firewall
// options, and the inventory groups of each role.
type Options struct {
	hostfw.Options
	// Groups maps a role (master, node, frontend) to the inventory groups
	// whose hosts have it. "node" names the groups of the other nodes:
	// every master and frontend is a node as well.
	Groups map[string][]string `json:"groups,omitempty"`
}

var defaultGroups = map[string][]string{
	"master":   {"masters"},
	"node":     {"nodes"},
	"frontend": {"frontends"},
}

// groupName is what Ansible accepts as a group name without a warning.
var groupName = lazyre.New(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Generator is the Ansible target.
type Generator struct{}

// New returns the Ansible target.
func New() Generator { return Generator{} }

func (Generator) Name() string       { return Name }
func (Generator) DefaultDir() string { return DefaultDir }

// Generate returns the vars file.
func (Generator) Generate(req gen.Request) (*gen.Output, error) {
	var opts Options
	if err := gen.DecodeOptions(Name, req.Options, &opts); err != nil {
		return nil, err
	}
	set, err := opts.Options.Resolve(Name, hostfw.Inventory)
	groups, gerrs := resolveGroups(opts.Groups)
	// Both are lists of gen.OptionError, which the driver places one by
	// one in portspec.yaml.
	if err := errors.Join(err, gen.JoinOptionErrors(gerrs)); err != nil {
		return nil, err
	}
	plan := hostfw.Input{Doc: req.Doc, Clients: req.ClientTable()}.Build()
	data, err := Marshal(req.Doc, buildVars(req.Doc, plan, set, groups))
	if err != nil {
		return nil, err
	}
	return &gen.Output{Files: []gen.File{{Path: VarsPath, Data: data}}, Warnings: plan.Warnings}, nil
}

func resolveGroups(in map[string][]string) (map[string][]string, []*gen.OptionError) {
	var errs []*gen.OptionError
	out := map[string][]string{}
	for role, def := range defaultGroups {
		out[role] = def
	}
	for role, list := range in {
		if _, ok := defaultGroups[role]; !ok {
			errs = append(errs, gen.OptionErrorf(gen.Option(Name, "groups", role), "unknown role %q: use master, node or frontend", role))
			continue
		}
		for _, g := range list {
			if !groupName().MatchString(g) {
				errs = append(errs, gen.OptionErrorf(gen.Option(Name, "groups", role), "%q is not an Ansible group name: use letters, digits and _", g))
			}
		}
		out[role] = slices.Clone(list)
	}
	return out, errs
}

// comment is the line under the header.
const comment = "# Host firewall rules of the document for Ansible: see docs/host-firewalls.md and examples/ansible.\n"

// Marshal writes the vars with the generated-file header. yaml.v3 is used
// (not sigs.k8s.io/yaml, which goes through JSON and cannot write tags)
// because the !unsafe tag is what keeps Ansible from templating the
// document's text; the vars are still typed structs, never a template.
//
// The bytes are those of one yaml.v3 document of v, but it is encoded in
// pieces (see encodeVars): yaml.v3's emitter keeps every event of a
// document until the document ends (go-yaml/yaml#873), which made the
// whole vars file's events most of generate's memory.
func Marshal(doc *spec.Document, v *Vars) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(gen.Header("#", doc) + "\n")
	b.WriteString(comment)
	if err := encodeVars(&b, v); err != nil {
		return nil, fmt.Errorf("ansible: marshal vars: %w", err)
	}
	return b.Bytes(), nil
}
