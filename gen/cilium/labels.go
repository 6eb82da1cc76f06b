package cilium

import (
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/portspec/portspec/gen"
	"k8s.io/apimachinery/pkg/util/validation"
)

// Cilium derives a host endpoint's identity labels from its node's labels
// through its default label filter (pkg/labelsfilter, defaultLabelPrefixCfg,
// checked in v1.20.2), and a nodeSelector can only match labels that survive
// it. Each pattern is anchored at the start of the key; a label is kept when
// no ignore pattern matches, or when an include pattern matches a longer
// part of the key than the shortest matching ignore pattern. So
// `kubernetes.io/hostname` is dropped, while
// `node-role.kubernetes.io/control-plane` (where `kubernetes.io` is not at
// the start) is kept. Clusters that pass their own --label-prefix-file or
// --labels may filter differently.
var (
	ciliumLabelInclude = []string{
		`io\.kubernetes\.pod\.namespace`,
		`io\.cilium\.k8s\.namespace\.labels`,
		`app\.kubernetes\.io`,
		`io\.cilium\.k8s\.policy\.cluster`,
		`io\.cilium\.k8s\.policy\.serviceaccount`,
	}
	ciliumLabelIgnore = []string{
		`io\.kubernetes`,
		`kubernetes\.io`,
		`statefulset\.kubernetes\.io/pod-name`,
		`apps\.kubernetes\.io/pod-index`,
		`batch\.kubernetes\.io/job-completion-index`,
		`batch\.kubernetes\.io/controller-uid`,
		`.*beta\.kubernetes\.io`,
		`k8s\.io`,
		`pod-template-generation`,
		`pod-template-hash`,
		`controller-revision-hash`,
		`controller-uid`,
		`annotation.*`,
		`etcd_node`,
		`topology\.kubernetes\.io`,
	}
)

// The patterns compiled once, on first use (not in every process's
// start-up); read-only afterwards.
var (
	ciliumLabelIncludeRE = sync.OnceValue(func() []*regexp.Regexp { return compileAll(ciliumLabelInclude) })
	ciliumLabelIgnoreRE  = sync.OnceValue(func() []*regexp.Regexp { return compileAll(ciliumLabelIgnore) })
)

func compileAll(ps []string) []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(ps))
	for i, p := range ps {
		out[i] = regexp.MustCompile(p)
	}
	return out
}

// longestMatch returns the length of the longest (or, with shortest, the
// shortest non-zero) match of the patterns at the start of key.
func longestMatch(patterns []*regexp.Regexp, key string, shortest bool) int {
	best := 0
	for _, re := range patterns {
		loc := re.FindStringIndex(key)
		if loc == nil || loc[0] != 0 {
			continue
		}
		if best == 0 || (shortest && loc[1] < best) || (!shortest && loc[1] > best) {
			best = loc[1]
		}
	}
	return best
}

// hostLabelFiltered reports whether Cilium's default label filter drops
// the label key from host endpoints.
func hostLabelFiltered(key string) bool {
	ignored := longestMatch(ciliumLabelIgnoreRE(), key, true)
	if ignored == 0 {
		return false
	}
	return longestMatch(ciliumLabelIncludeRE(), key, false) <= ignored
}

// checkNodeSelector validates a node selector's labels: Kubernetes syntax,
// and not one that Cilium filters out of host endpoints (a policy selecting
// on it would select no node and silently protect nothing).
func checkNodeSelector(field []string, labels map[string]string) []*gen.OptionError {
	var errs []*gen.OptionError
	keys := make([]string, 0, len(labels))
	for k := range labels {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if msgs := validation.IsQualifiedName(k); len(msgs) > 0 {
			errs = append(errs, gen.OptionErrorf(field, "label key %q: %s", k, strings.Join(msgs, "; ")))
			continue
		}
		if msgs := validation.IsValidLabelValue(labels[k]); len(msgs) > 0 {
			errs = append(errs, gen.OptionErrorf(field, "label %q value %q: %s", k, labels[k], strings.Join(msgs, "; ")))
			continue
		}
		if hostLabelFiltered(k) {
			errs = append(errs, gen.OptionErrorf(field, "label %q is dropped from host endpoints by Cilium's default label filter "+
				"(keys starting with kubernetes.io, k8s.io, io.kubernetes, topology.kubernetes.io or containing beta.kubernetes.io), "+
				"so the policy would select no node; label the nodes with a key outside those prefixes, "+
				"for example node-role.kubernetes.io/<role> or node.deckhouse.io/<name>", k))
		}
	}
	return errs
}
