package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/portspec/portspec/e2e/apiserver"
	"github.com/portspec/portspec/parser"
	"github.com/portspec/portspec/verify"
	"github.com/portspec/portspec/verify/cluster"
)

// TestVerifyCluster starts a real kube-apiserver, creates nodes of every
// role, hostNetwork pods and pods with host ports bound to them, and
// Services with node ports (one with externalTrafficPolicy: Local, whose
// health-check node port the API server allocates), and checks that
// portspec verify --cluster names exactly the undocumented ones, through
// the library and through the built command. A wrong token is exit 2.
func TestVerifyCluster(t *testing.T) {
	cfg := apiserver.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	kc, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	mustCreate := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("create %s: %v", what, err)
		}
	}
	for name, labels := range map[string]map[string]string{
		"master-0": {"node-role.kubernetes.io/control-plane": ""},
		"front-0":  {"node-role.deckhouse.io/frontend": ""},
		"worker-0": nil,
		"worker-1": {"node.deckhouse.io/group": "worker"},
	} {
		_, err := kc.CoreV1().Nodes().Create(ctx, &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: name, Labels: labels}}, metav1.CreateOptions{})
		mustCreate("node "+name, err)
	}
	for _, ns := range []string{"d8-monitoring", "apps"} {
		_, err := kc.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{})
		mustCreate("namespace "+ns, err)
		// No controller manager makes the default service account here.
		_, err = kc.CoreV1().ServiceAccounts(ns).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: "default"}}, metav1.CreateOptions{})
		mustCreate("service account "+ns+"/default", err)
	}
	yes := true
	owner := func(kind, name string) []metav1.OwnerReference {
		return []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: kind, Name: name, UID: types.UID(name + "-uid"), Controller: &yes}}
	}
	pod := func(ns, name, node string, hostNet bool, owners []metav1.OwnerReference, ports ...corev1.ContainerPort) {
		t.Helper()
		p := &corev1.Pod{
			ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, OwnerReferences: owners},
			Spec: corev1.PodSpec{NodeName: node, HostNetwork: hostNet, AutomountServiceAccountToken: new(false),
				Containers: []corev1.Container{{Name: "c", Image: "registry.example/none:1", Ports: ports}}},
		}
		_, err := kc.CoreV1().Pods(ns).Create(ctx, p, metav1.CreateOptions{})
		mustCreate("pod "+ns+"/"+name, err)
	}
	tcp := func(port int32) corev1.ContainerPort {
		return corev1.ContainerPort{ContainerPort: port, Protocol: corev1.ProtocolTCP}
	}
	for _, n := range []string{"master-0", "front-0", "worker-0", "worker-1"} {
		// Documented everywhere: node-exporter's NodesToNodes port.
		pod("d8-monitoring", "node-exporter-"+n, n, true, owner("DaemonSet", "node-exporter"), tcp(4206))
	}
	for _, n := range []string{"worker-0", "worker-1"} {
		// Undocumented: a metrics agent on the workers.
		pod("apps", "metrics-agent-"+n, n, true, owner("DaemonSet", "metrics-agent"), tcp(9100))
	}
	pod("d8-monitoring", "kube-apiserver-master-0", "master-0", true, nil, tcp(6443)) // a master's port, on a master
	pod("apps", "rogue-apiserver", "worker-0", true, nil, tcp(6443))                  // the same port on a plain node
	pod("apps", "edge", "front-0", true, owner("ReplicaSet", "edge-5d4b9"), tcp(443)) // ExternalToFrontends
	pod("apps", "hostport", "front-0", false, nil,
		corev1.ContainerPort{ContainerPort: 8443, HostPort: 8443, Protocol: corev1.ProtocolTCP},                      // undocumented host port
		corev1.ContainerPort{ContainerPort: 9000, HostPort: 9000, HostIP: "127.0.0.1", Protocol: corev1.ProtocolTCP}, // loopback only
		corev1.ContainerPort{ContainerPort: 8080, Protocol: corev1.ProtocolTCP})                                      // not on the node
	pod("apps", "pending", "", true, nil, tcp(7777)) // not scheduled: a note

	svc := func(name string, typ corev1.ServiceType, local bool, ports ...corev1.ServicePort) *corev1.Service {
		t.Helper()
		s := &corev1.Service{ObjectMeta: metav1.ObjectMeta{Namespace: "apps", Name: name}, Spec: corev1.ServiceSpec{Type: typ, Ports: ports, Selector: map[string]string{"app": name}}}
		if local {
			s.Spec.ExternalTrafficPolicy = corev1.ServiceExternalTrafficPolicyLocal
		}
		s, err := kc.CoreV1().Services("apps").Create(ctx, s, metav1.CreateOptions{})
		mustCreate("service "+name, err)
		return s
	}
	svc("web", corev1.ServiceTypeNodePort, false, corev1.ServicePort{Name: "http", Port: 80, NodePort: 30080, Protocol: corev1.ProtocolTCP})
	lb := svc("lb", corev1.ServiceTypeLoadBalancer, true, corev1.ServicePort{Name: "https", Port: 443, NodePort: 30443, Protocol: corev1.ProtocolTCP})
	svc("dns", corev1.ServiceTypeNodePort, false, corev1.ServicePort{Name: "dns", Port: 53, NodePort: 30053, Protocol: corev1.ProtocolUDP})
	svc("internal", corev1.ServiceTypeClusterIP, false, corev1.ServicePort{Name: "http", Port: 80, Protocol: corev1.ProtocolTCP})
	hc := lb.Spec.HealthCheckNodePort
	if hc == 0 {
		t.Fatal("the API server allocated no healthCheckNodePort for an externalTrafficPolicy: Local LoadBalancer")
	}
	hcKey := "TCP/" + strconv.Itoa(int(hc))

	rest3 := "master-0 (master, node); worker-0 (node); worker-1 (node)"
	all := "front-0 (node, frontend); master-0 (master, node); worker-0 (node); worker-1 (node)"
	want := map[string]string{
		"TCP/6443 Pod apps/rogue-apiserver":     "worker-0 (node)",
		"TCP/8443 Pod apps/hostport":            "front-0 (node, frontend)",
		"TCP/9100 DaemonSet apps/metrics-agent": "worker-0 (node); worker-1 (node)",
		"TCP/30080 Service apps/web":            rest3,
		"TCP/30443 Service apps/lb":             rest3,
		hcKey + " Service apps/lb":              rest3,
		"UDP/30053 Service apps/dns":            all,
	}
	// With a real cluster there is the API server's own Service (kubernetes,
	// ClusterIP): no node port, no finding.

	doc, err := parser.Load(ctx, "", parser.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pc, err := cluster.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	facts, err := cluster.Collect(ctx, pc, cluster.DefaultRoleLabels())
	if err != nil {
		t.Fatal(err)
	}
	r := verify.Cluster(doc, facts.Nodes, facts.Served, verify.ClusterOptions{Name: cfg.Host})
	got := map[string]string{}
	for _, f := range r.Failing() {
		got[f.Key()+" "+strings.Join(f.Who, ",")] = strings.Join(f.Where, "; ")
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("undocumented (library) (-want +got):\n%s", d)
	}
	if len(facts.Notes) != 1 || !strings.Contains(facts.Notes[0], "apps/pending") {
		t.Errorf("notes: %q", facts.Notes)
	}

	// The command, with a kubeconfig, as a nightly job runs it.
	bin := buildPortspec(t)
	kubeconfig := writeKubeconfig(t, cfg.Host, cfg.BearerToken)
	code, out, errOut := runPortspec(t, bin, "verify", "--cluster", "--kubeconfig", kubeconfig, "--format", "json")
	if code != 1 {
		t.Fatalf("verify --cluster: exit %d, want 1\n%s\n%s", code, out, errOut)
	}
	var jr struct {
		Clean    bool
		Findings []struct {
			Key, Kind string
			Where     []string
			Who       []string
			Entry     struct{ Group, Protocol, Ports string }
		}
	}
	if err := json.Unmarshal([]byte(out), &jr); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	got = map[string]string{}
	for _, f := range jr.Findings {
		if f.Kind == "undocumented" {
			got[f.Key+" "+strings.Join(f.Who, ",")] = strings.Join(f.Where, "; ")
			if f.Key == "TCP/9100" && f.Entry.Group != "NodesToNodes" {
				t.Errorf("TCP/9100: entry %+v", f.Entry)
			}
		}
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("undocumented (command) (-want +got):\n%s", d)
	}
	code, out, _ = runPortspec(t, bin, "verify", "--cluster", "--kubeconfig", kubeconfig)
	t.Logf("portspec verify --cluster:\n%s", out)

	var ignore []string
	for k := range want {
		ignore = append(ignore, "--ignore", strings.Fields(k)[0])
	}
	if code, out, errOut := runPortspec(t, bin, append([]string{"verify", "--cluster", "--kubeconfig", kubeconfig}, ignore...)...); code != 0 || !strings.Contains(out, "all as documented") {
		t.Errorf("every finding ignored: exit %d, want 0\n%s\n%s", code, out, errOut)
	}

	// A wrong token: the API server refuses, exit 2, no report.
	wrong := writeKubeconfig(t, cfg.Host, "not-the-token")
	code, out, errOut = runPortspec(t, bin, "verify", "--cluster", "--kubeconfig", wrong)
	if code != 2 || !strings.Contains(errOut, "401 Unauthorized") || out != "" {
		t.Errorf("wrong token: exit %d, want 2 and no report\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	// A user the API server knows nothing of is refused the same way through
	// the library.
	anon := rest.CopyConfig(cfg)
	anon.BearerToken = "nobody"
	ac, _ := cluster.NewClient(anon)
	if _, err := cluster.Collect(ctx, ac, nil); err == nil || !strings.Contains(err.Error(), "list nodes") {
		t.Errorf("library, wrong token: %v", err)
	}
}

// buildPortspec builds the command in the main module (the folder above),
// with the main module's requirements, as its users build it.
func buildPortspec(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "portspec")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/portspec")
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build portspec: %v\n%s", err, out)
	}
	return bin
}

func writeKubeconfig(t *testing.T, host, token string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "kubeconfig")
	body := "apiVersion: v1\nkind: Config\nclusters: [{name: e2e, cluster: {server: \"" + host + "\", insecure-skip-tls-verify: true}}]\n" +
		"users: [{name: e2e, user: {token: \"" + token + "\"}}]\ncontexts: [{name: e2e, context: {cluster: e2e, user: e2e}}]\ncurrent-context: e2e\n"
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func runPortspec(t *testing.T, bin string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "KUBECONFIG=", "HOME="+t.TempDir())
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), out.String(), errb.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, out.String(), errb.String()
}
