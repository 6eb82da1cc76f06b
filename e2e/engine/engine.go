// Package engine answers "does Cilium allow this flow?" for a set of Cilium
// policy YAML files, using Cilium's own code from end to end: the cilium.io/v2
// types and their Parse (which runs the rules' Sanitize), the conversion to
// policy entries the agent's policy watcher uses, the policy repository with
// host-firewall semantics, and the lookup Cilium's own tests use. Nothing in
// it re-implements a policy decision; it only models a Deckhouse cluster as
// the identities Cilium would give its nodes, pods and the outside world
// (cluster.go).
//
// Cilium's policy code reads process-global options (option.Config and
// the like); the first NewCluster sets them as a cilium-agent with
// enable-host-firewall and otherwise default settings has them (setup in
// cluster.go), so a process using this package is such an agent.
//
// Every Cilium fact below names the file of the github.com/cilium/cilium
// v1.20.2 source it comes from.
package engine

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"strings"

	ciliumv2 "github.com/cilium/cilium/pkg/k8s/apis/cilium.io/v2"
	"github.com/cilium/cilium/pkg/policy/api"
	"sigs.k8s.io/yaml"
)

// APIVersion is the only apiVersion the loader accepts.
const APIVersion = "cilium.io/v2"

// Kinds of the objects the loader accepts.
const (
	KindCCNP = "CiliumClusterwideNetworkPolicy"
	KindCNP  = "CiliumNetworkPolicy"
)

// ClusterName is the cluster's name as the agent passes it to Parse. With
// policy-default-local-cluster on (its default: PolicyDefaultLocalCluster
// in pkg/clustermesh/types/option.go) the agent's policy watcher calls
// cnp.Parse(log, LocalClusterNameForPolicies(cfg, ClusterName))
// (pkg/policy/k8s/cilium_network_policy.go, upsertCiliumNetworkPolicyV2), so
// endpoint selectors gain a io.cilium.k8s.policy.cluster=<name> match
// (addClusterFilterByDefault, pkg/k8s/apis/cilium.io/utils/utils.go) and
// pods carry that label (SanitizePodLabels, pkg/k8s/utils/utils.go).
// "default" is the agent's default cluster-name.
const ClusterName = "default"

// Policy is one Cilium policy object of a file, parsed by Cilium.
type Policy struct {
	// Pos is "file:line:col" of the object's first line.
	Pos       string
	Kind      string
	Namespace string // empty for a CiliumClusterwideNetworkPolicy
	Name      string
	// Rules are what the object's Parse returned: the rules as the agent
	// holds them (selectors with their sources, namespace and cluster
	// matches added).
	Rules api.Rules
}

// LoadFiles reads and parses every policy of the named files, in order.
func LoadFiles(paths ...string) ([]Policy, error) {
	var all []Policy
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		pols, err := Parse(p, data)
		if err != nil {
			return nil, err
		}
		all = append(all, pols...)
	}
	return all, nil
}

// document is one YAML document of a multi-document file.
type document struct {
	line int // 1-based line of its first line
	text []byte
}

// splitDocuments splits a YAML stream at its "---" lines, the separator
// Kubernetes' own YAML reader splits at (k8s.io/apimachinery/pkg/util/yaml,
// YAMLReader.Read), keeping each document's first line for positions.
func splitDocuments(data []byte) []document {
	var docs []document
	cur := document{line: 1}
	lines := bytes.SplitAfter(data, []byte("\n"))
	for i, l := range lines {
		trimmed := strings.TrimRight(string(l), " \t\r\n")
		if trimmed == "---" {
			docs = append(docs, cur)
			cur = document{line: i + 2}
			continue
		}
		cur.text = append(cur.text, l...)
	}
	return append(docs, cur)
}

// isEmpty says whether a document holds only comments and blank lines (the
// generated files' headers).
func isEmpty(text []byte) bool {
	for _, l := range strings.Split(string(text), "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") {
			return false
		}
	}
	return true
}

// Parse parses the Cilium policies of one YAML stream (documents separated
// by "---" lines; documents holding only comments are skipped). Each
// object is decoded strictly into Cilium's own type (an unknown field is an
// error, as the API server's structural schema would prune it and the
// policy would silently mean less) and parsed by that type's Parse:
// CiliumClusterwideNetworkPolicy.Parse (pkg/k8s/apis/cilium.io/v2/ccnp_types.go)
// and CiliumNetworkPolicy.Parse (cnp_types.go) run each rule's Sanitize
// (pkg/policy/api/rule_validation.go) and ParseToCiliumRule
// (pkg/k8s/apis/cilium.io/utils/utils.go). Errors are "name:line:col: message".
func Parse(name string, data []byte) ([]Policy, error) {
	var out []Policy
	logger := discardLogger()
	for _, d := range splitDocuments(data) {
		if isEmpty(d.text) {
			continue
		}
		pos := fmt.Sprintf("%s:%d:1", name, d.line)
		var meta struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := yaml.Unmarshal(d.text, &meta); err != nil {
			return nil, fmt.Errorf("%s: %v", pos, err)
		}
		if meta.APIVersion != APIVersion {
			return nil, fmt.Errorf("%s: apiVersion %q: only %s objects are Cilium policies", pos, meta.APIVersion, APIVersion)
		}
		p := Policy{Pos: pos, Kind: meta.Kind}
		var err error
		switch meta.Kind {
		case KindCCNP:
			var obj ciliumv2.CiliumClusterwideNetworkPolicy
			if err := yaml.UnmarshalStrict(d.text, &obj); err != nil {
				return nil, fmt.Errorf("%s: %s: %v", pos, meta.Kind, err)
			}
			if obj.Namespace != "" {
				return nil, fmt.Errorf("%s: %s %q: a clusterwide policy has no namespace (got %q)", pos, meta.Kind, obj.Name, obj.Namespace)
			}
			p.Name = obj.Name
			p.Rules, err = obj.Parse(logger, ClusterName)
		case KindCNP:
			var obj ciliumv2.CiliumNetworkPolicy
			if err := yaml.UnmarshalStrict(d.text, &obj); err != nil {
				return nil, fmt.Errorf("%s: %s: %v", pos, meta.Kind, err)
			}
			// A CiliumNetworkPolicy without a namespace would be parsed
			// as a clusterwide one (cnp_types.go, "Temporary fix for
			// CCNPs"); the API server puts it into "default" instead.
			if obj.Namespace == "" {
				return nil, fmt.Errorf("%s: %s %q: metadata.namespace is missing (kubectl would apply it to the current namespace)", pos, meta.Kind, obj.Name)
			}
			p.Namespace, p.Name = obj.Namespace, obj.Name
			p.Rules, err = obj.Parse(logger, ClusterName)
		default:
			return nil, fmt.Errorf("%s: kind %q: want %s or %s", pos, meta.Kind, KindCCNP, KindCNP)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %s %q: Cilium refuses it: %v", pos, meta.Kind, p.Name, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// discardLogger is the logger handed to Cilium: its debug output is noise
// here, its warnings (an illegal namespace match, say) are not errors.
func discardLogger() *slog.Logger {
	return slog.New(slog.DiscardHandler)
}
