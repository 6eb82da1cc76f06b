package engine_test

import (
	"slices"
	"testing"

	"github.com/portspec/portspec/e2e/engine"
)

// TestIdentities pins the model: the identity numbers and labels Cilium's
// own functions gave each peer (see cluster.go for where each comes from).
func TestIdentities(t *testing.T) {
	c, err := engine.NewCluster(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		node   engine.Role
		peer   engine.Peer
		id     uint32 // 0: any pod identity (>= 256)
		has    []string
		hasNot []string
	}{
		{engine.Master, engine.Host, 1,
			[]string{"reserved:host", "reserved:kube-apiserver", "k8s:node-role.kubernetes.io/control-plane", "k8s:node.deckhouse.io/group=master"},
			// Cilium's label filter drops kubernetes.io/ keys.
			[]string{"k8s:kubernetes.io/hostname=master-0", "k8s:kubernetes.io/os=linux"}},
		{engine.Frontend, engine.Host, 1,
			[]string{"reserved:host", "k8s:node-role.deckhouse.io/frontend"},
			[]string{"reserved:kube-apiserver", "k8s:node-role.kubernetes.io/control-plane"}},
		{engine.Worker, engine.Host, 1,
			[]string{"reserved:host", "k8s:node.deckhouse.io/group=worker"},
			[]string{"reserved:kube-apiserver", "k8s:node-role.deckhouse.io/frontend"}},
		{engine.Worker, engine.RemoteMaster, 7, []string{"reserved:kube-apiserver", "reserved:remote-node"}, nil},
		{engine.Worker, engine.RemoteNode, 6, []string{"reserved:remote-node"}, []string{"reserved:kube-apiserver"}},
		{engine.Worker, engine.World, 2, []string{"reserved:world"}, nil},
		{engine.Worker, engine.WorldIPv4, 9, []string{"reserved:world-ipv4"}, nil},
		{engine.Worker, engine.WorldIPv6, 10, []string{"reserved:world-ipv6"}, nil},
		{engine.Worker, engine.Health, 4, []string{"reserved:health"}, nil},
		{engine.Worker, engine.Metadata, 1<<24 + 1, []string{"cidr:169.254.169.254/32", "reserved:world"}, nil},
		{engine.Worker, engine.PrometheusPod, 0, []string{
			"k8s:io.kubernetes.pod.namespace=d8-monitoring",
			"k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=d8-monitoring",
			"k8s:io.cilium.k8s.policy.cluster=default",
			"k8s:io.cilium.k8s.policy.serviceaccount=prometheus",
			"k8s:app.kubernetes.io/name=prometheus",
		}, []string{"reserved:host"}},
		{engine.Worker, engine.HubbleRelayPod, 0, []string{"k8s:io.kubernetes.pod.namespace=d8-cni-cilium", "k8s:app=hubble-relay"}, nil},
	} {
		id, lbls, err := c.Identity(tc.node, tc.peer)
		if err != nil {
			t.Errorf("%s %s: %v", tc.node, tc.peer, err)
			continue
		}
		if tc.id != 0 && id != tc.id || tc.id == 0 && id < 256 {
			t.Errorf("%s %s: identity %d, want %d (0: a global one, >= 256)", tc.node, tc.peer, id, tc.id)
		}
		for _, l := range tc.has {
			if !slices.Contains(lbls, l) {
				t.Errorf("%s %s: labels %v lack %s", tc.node, tc.peer, lbls, l)
			}
		}
		for _, l := range tc.hasNot {
			if slices.Contains(lbls, l) {
				t.Errorf("%s %s: labels %v have %s", tc.node, tc.peer, lbls, l)
			}
		}
	}
	// Every peer exists on every node.
	for _, r := range engine.Roles() {
		for _, p := range engine.Peers() {
			if _, _, err := c.Identity(r, p); err != nil {
				t.Error(err)
			}
		}
	}
}
