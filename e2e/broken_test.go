package e2e_test

import (
	"strconv"
	"strings"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// brokenObjects are deliberately wrong objects that every validation layer
// must reject: they prove the checks are not vacuous. The comment in each
// says what is wrong.
var brokenCCNPs = map[string]string{
	"lower-case protocol": `
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: broken-protocol}
spec:
  nodeSelector: {}
  ingress:
  - fromEntities: [world]
    toPorts: [{ports: [{port: "22", protocol: tcp}]}]
`,
	"unknown entity": `
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: broken-entity}
spec:
  nodeSelector: {}
  ingress:
  - fromEntities: [remote-nodes]
`,
	"unknown field": `
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: broken-field}
spec:
  nodeSelector: {}
  ingress:
  - fromEntity: [world]
`,
	"ICMP family": `
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: broken-icmp}
spec:
  nodeSelector: {}
  ingress:
  - fromEntities: [world]
    icmps: [{fields: [{family: IPv5, type: 8}]}]
`,
	// The v1.15.19 CRD has no maxItems on ports: this one is only broken
	// from Cilium 1.16 on (see brokenFor).
	"41 ports": `
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: broken-ports}
spec:
  nodeSelector: {}
  ingress:
  - fromEntities: [world]
    toPorts: [{ports: [` + fortyOnePorts() + `]}]
`,
}

var brokenNetworkPolicies = map[string]string{
	"endPort below port": `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: broken-endport, namespace: d8-monitoring}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to: [{ipBlock: {cidr: 10.0.0.0/8}}]
    ports: [{protocol: TCP, port: 7999, endPort: 7000}]
`,
	"bad CIDR": `
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: broken-cidr, namespace: d8-monitoring}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to: [{ipBlock: {cidr: 10.0.0.1/33}}]
    ports: [{protocol: TCP, port: 6443}]
`,
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
