package e2e_test

import (
	"strconv"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// brokenCCNPs and brokenNetworkPolicies are deliberately wrong objects
// that every validation layer must reject: they prove the checks are not
// vacuous. The key says what is wrong; each object differs from a valid one
// only in its one rule.
var brokenCCNPs = map[string]string{
	"lower-case protocol": brokenCCNP("broken-protocol", `{fromEntities: [world], toPorts: [{ports: [{port: "22", protocol: tcp}]}]}`),
	"unknown entity":      brokenCCNP("broken-entity", `{fromEntities: [remote-nodes]}`),
	"unknown field":       brokenCCNP("broken-field", `{fromEntity: [world]}`),
	"ICMP family":         brokenCCNP("broken-icmp", `{fromEntities: [world], icmps: [{fields: [{family: IPv5, type: 8}]}]}`),
	// The v1.15.19 CRD has no maxItems on ports: this one is only broken
	// from Cilium 1.16 on (see brokenFor).
	"41 ports": brokenCCNP("broken-ports", `{fromEntities: [world], toPorts: [{ports: [`+fortyOnePorts()+`]}]}`),
}

var brokenNetworkPolicies = map[string]string{
	"endPort below port": brokenNetworkPolicy("broken-endport", `{to: [{ipBlock: {cidr: 10.0.0.0/8}}], ports: [{protocol: TCP, port: 7999, endPort: 7000}]}`),
	"bad CIDR":           brokenNetworkPolicy("broken-cidr", `{to: [{ipBlock: {cidr: 10.0.0.1/33}}], ports: [{protocol: TCP, port: 6443}]}`),
}

// brokenCCNP is a policy selecting every node with one ingress rule.
func brokenCCNP(name, ingress string) string {
	return `
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: ` + name + `}
spec:
  nodeSelector: {}
  ingress:
  - ` + ingress + "\n"
}

// brokenNetworkPolicy is an egress policy for every pod of d8-monitoring
// with one egress rule.
func brokenNetworkPolicy(name, egress string) string {
	return `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ` + name + `, namespace: d8-monitoring}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - ` + egress + "\n"
}

func fortyOnePorts() string {
	s := ""
	for i := 0; i < 41; i++ {
		if i > 0 {
			s += ", "
		}
		s += `{port: "` + strconv.Itoa(4200+i) + `", protocol: TCP}`
	}
	return s
}

func brokenObject(t *testing.T, name, src string) *unstructured.Unstructured {
	return mustObject(t, "broken "+name, []byte(src))
}

// brokenFor returns the broken CCNPs that are invalid for a Cilium release.
func brokenFor(t *testing.T, version string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, src := range brokenCCNPs {
		if name == "41 ports" && strings.HasPrefix(strings.TrimPrefix(version, "v"), "1.15.") {
			continue
		}
		out[name] = src
	}
	return out
}
