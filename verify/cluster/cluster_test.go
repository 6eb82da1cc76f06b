package cluster

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"

	"github.com/portspec/portspec/spec"
	"github.com/portspec/portspec/verify"
)

func node(name string, labels map[string]string) *corev1.Node {
	return &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}}
}

func TestCollect(t *testing.T) {
	yes := true
	ds := []metav1.OwnerReference{{Kind: "DaemonSet", Name: "exporter", Controller: &yes, APIVersion: "apps/v1", UID: "u"}}
	pod := func(ns, name, nodeName string, hostNet bool, owner []metav1.OwnerReference, ports ...corev1.ContainerPort) *corev1.Pod {
		return &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, OwnerReferences: owner},
			Spec:       corev1.PodSpec{NodeName: nodeName, HostNetwork: hostNet, Containers: []corev1.Container{{Name: "c", Ports: ports}}},
		}
	}
	done := pod("x", "done", "n0", true, nil, corev1.ContainerPort{ContainerPort: 7})
	done.Status.Phase = corev1.PodSucceeded
	c := fakeAPI(t, 2,
		node("m0", map[string]string{"node-role.kubernetes.io/control-plane": ""}),
		node("f0", map[string]string{"node-role.deckhouse.io/frontend": ""}),
		node("n0", nil),
		pod("mon", "exporter-a", "n0", true, ds, corev1.ContainerPort{ContainerPort: 9100}),
		pod("mon", "exporter-b", "f0", true, ds, corev1.ContainerPort{ContainerPort: 9100}),
		pod("app", "hp", "n0", false, nil, corev1.ContainerPort{ContainerPort: 80, HostPort: 8080, Protocol: corev1.ProtocolTCP},
			corev1.ContainerPort{ContainerPort: 53, HostPort: 5353, Protocol: corev1.ProtocolUDP},
			corev1.ContainerPort{ContainerPort: 81, HostPort: 8081, HostIP: "127.0.0.1"}, // loopback only
			corev1.ContainerPort{ContainerPort: 82}),                                     // no host port: not on the node
		pod("app", "pending", "", true, nil, corev1.ContainerPort{ContainerPort: 9999}),
		done,
		&corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "web"}, Spec: corev1.ServiceSpec{
			Type: corev1.ServiceTypeLoadBalancer, ExternalTrafficPolicy: corev1.ServiceExternalTrafficPolicyLocal, HealthCheckNodePort: 32000,
			Ports: []corev1.ServicePort{{Port: 80, NodePort: 30080, Protocol: corev1.ProtocolTCP}}}},
		&corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "default", Name: "plain"}, Spec: corev1.ServiceSpec{
			Type: corev1.ServiceTypeClusterIP, Ports: []corev1.ServicePort{{Port: 80}}}},
	)
	f, err := Collect(context.Background(), c, DefaultRoleLabels())
	if err != nil {
		t.Fatal(err)
	}
	wantNodes := []verify.ClusterNode{
		{Name: "f0", Roles: []spec.Role{spec.RoleNode, spec.RoleFrontend}},
		{Name: "m0", Roles: []spec.Role{spec.RoleMaster, spec.RoleNode}},
		{Name: "n0", Roles: []spec.Role{spec.RoleNode}},
	}
	if d := cmp.Diff(wantNodes, f.Nodes); d != "" {
		t.Errorf("nodes (-want +got):\n%s", d)
	}
	wantServed := []verify.Served{
		{Protocol: "TCP", Port: 9100, Nodes: []string{"f0", "n0"}, Workload: "DaemonSet mon/exporter", How: "hostNetwork container port"},
		{Protocol: "TCP", Port: 8080, Nodes: []string{"n0"}, Workload: "Pod app/hp", How: "hostPort (container port 80)"},
		{Protocol: "UDP", Port: 5353, Nodes: []string{"n0"}, Workload: "Pod app/hp", How: "hostPort (container port 53)"},
		{Protocol: "TCP", Port: 30080, Workload: "Service default/web", How: "nodePort of 80/TCP (LoadBalancer)"},
		{Protocol: "TCP", Port: 32000, Workload: "Service default/web", How: "healthCheckNodePort (externalTrafficPolicy: Local)"},
	}
	if d := cmp.Diff(wantServed, f.Served); d != "" {
		t.Errorf("served (-want +got):\n%s", d)
	}
	if len(f.Notes) != 1 || !strings.Contains(f.Notes[0], "app/pending") {
		t.Errorf("notes: %q", f.Notes)
	}

	if _, err := Collect(context.Background(), fakeAPI(t, 2), DefaultRoleLabels()); err == nil || !strings.Contains(err.Error(), "lists no nodes") {
		t.Errorf("a cluster without nodes: %v", err)
	}
}

func TestRoleLabels(t *testing.T) {
	l, err := ParseRoleLabel("frontend=example.com/edge=yes")
	if err != nil {
		t.Fatal(err)
	}
	if got := Roles(map[string]string{"example.com/edge": "yes"}, []RoleLabel{l}); !cmp.Equal(got, []spec.Role{spec.RoleNode, spec.RoleFrontend}) {
		t.Errorf("roles %v", got)
	}
	if got := Roles(map[string]string{"example.com/edge": "no"}, []RoleLabel{l}); !cmp.Equal(got, []spec.Role{spec.RoleNode}) {
		t.Errorf("a label with another value: roles %v", got)
	}
	if l, err := ParseRoleLabel("master=x"); err != nil || !l.AnyValue || l.String() != "master=x" {
		t.Errorf("%v %v", l, err)
	}
	for in, want := range map[string]string{"worker=x": `unknown role "worker"`, "node=x": `unknown role "node"`, "master": "want ROLE=LABEL", "master==v": "empty label key"} {
		if _, err := ParseRoleLabel(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}

// TestRefused: an API server that refuses says so, naming what was read.
func TestRefused(t *testing.T) {
	for code, want := range map[int]string{
		http.StatusUnauthorized: "list nodes: the API server refused the credentials (401 Unauthorized)",
		http.StatusForbidden:    "list nodes: the API server forbids it (403)",
	} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(code)
			w.Write([]byte(`{"kind":"Status","apiVersion":"v1","status":"Failure","message":"no","reason":"` + map[int]string{401: "Unauthorized", 403: "Forbidden"}[code] + `","code":` + map[int]string{401: "401", 403: "403"}[code] + `}`))
		}))
		c, err := NewClient(&rest.Config{Host: srv.URL, Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		_, err = Collect(context.Background(), c, nil)
		srv.Close()
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%d: %v, want %q", code, err, want)
		}
	}
	// Nothing listens on port 1 of the loopback.
	c, _ := NewClient(&rest.Config{Host: "https://127.0.0.1:1", Timeout: 5 * time.Second})
	if _, err := Collect(context.Background(), c, nil); err == nil || !strings.Contains(err.Error(), "list nodes") || !strings.Contains(err.Error(), "connection refused") {
		t.Errorf("connection refused: %v", err)
	}
}

func TestConfig(t *testing.T) {
	t.Setenv("KUBECONFIG", filepath.Join(t.TempDir(), "none"))
	t.Setenv("HOME", t.TempDir())
	t.Setenv("KUBERNETES_SERVICE_HOST", "")
	if _, err := Config(ConfigOptions{}); err == nil || !strings.Contains(err.Error(), "no kubeconfig") {
		t.Errorf("no config: %v", err)
	}
	kc := filepath.Join(t.TempDir(), "kc")
	os.WriteFile(kc, []byte(`apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://10.0.0.1:6443"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: a, context: {cluster: c, user: u}}]
current-context: a
`), 0o600)
	cfg, err := Config(ConfigOptions{Kubeconfig: kc, Timeout: 7 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Host != "https://10.0.0.1:6443" || cfg.Timeout != 7*time.Second || cfg.BearerToken != "t" {
		t.Errorf("config: host %q timeout %v", cfg.Host, cfg.Timeout)
	}
	if _, err := Config(ConfigOptions{Kubeconfig: kc, Context: "nope"}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown context: %v", err)
	}
	if _, err := Config(ConfigOptions{Kubeconfig: filepath.Join(t.TempDir(), "missing")}); err == nil {
		t.Error("a missing --kubeconfig accepted")
	}
}
