// Package cluster reads, from the Kubernetes API, what a cluster serves on
// its nodes: hostNetwork pods' container ports, pods' host ports, Services'
// node ports and health-check node ports, and each node's roles from its
// labels. package verify compares them with the document.
//
// It is the only package of portspec that imports client-go (the layout
// test enforces it), so that generated/ports and the generators never pull
// it in; and of client-go only the kubeconfig loading (tools/clientcmd)
// and the transport (rest), not the typed clientset (see Client).
package cluster

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/portspec/portspec/spec"
	"github.com/portspec/portspec/verify"
)

// RoleLabel says that nodes with a label have a role: Key with Value, or
// with any value when AnyValue.
type RoleLabel struct {
	Role     spec.Role
	Key      string
	Value    string
	AnyValue bool
}

func (l RoleLabel) String() string {
	if l.AnyValue {
		return l.Role.String() + "=" + l.Key
	}
	return l.Role.String() + "=" + l.Key + "=" + l.Value
}

// DefaultRoleLabels are the labels of masters and frontends on a Deckhouse
// cluster (the cilium target selects them by the same labels): a master has
// node-role.kubernetes.io/control-plane (or the older .../master), a
// frontend node-role.deckhouse.io/frontend. Every node is a node.
func DefaultRoleLabels() []RoleLabel {
	return []RoleLabel{
		{Role: spec.RoleMaster, Key: "node-role.kubernetes.io/control-plane", AnyValue: true},
		{Role: spec.RoleMaster, Key: "node-role.kubernetes.io/master", AnyValue: true},
		{Role: spec.RoleFrontend, Key: "node-role.deckhouse.io/frontend", AnyValue: true},
	}
}

// ParseRoleLabel reads --role-label ROLE=KEY (any value) or
// ROLE=KEY=VALUE, for role master or frontend.
func ParseRoleLabel(s string) (RoleLabel, error) {
	name, rest, ok := strings.Cut(s, "=")
	if !ok || rest == "" {
		return RoleLabel{}, fmt.Errorf("--role-label %q: want ROLE=LABEL or ROLE=LABEL=VALUE (frontend=node-role.example.com/edge)", s)
	}
	r, ok := spec.ParseRole(name)
	if !ok || (r != spec.RoleMaster && r != spec.RoleFrontend) {
		return RoleLabel{}, fmt.Errorf("--role-label %q: unknown role %q: use master or frontend (every node is a node)", s, name)
	}
	key, value, hasValue := strings.Cut(rest, "=")
	if key == "" {
		return RoleLabel{}, fmt.Errorf("--role-label %q: empty label key", s)
	}
	return RoleLabel{Role: r, Key: key, Value: value, AnyValue: !hasValue}, nil
}

// Roles returns the roles of a node with labels: node, and those of
// labels that match.
func Roles(labels map[string]string, rls []RoleLabel) []spec.Role {
	roles := []spec.Role{spec.RoleNode}
	for _, l := range rls {
		v, ok := labels[l.Key]
		if ok && (l.AnyValue || v == l.Value) && !slices.Contains(roles, l.Role) {
			roles = append(roles, l.Role)
		}
	}
	slices.Sort(roles)
	return roles
}

// ConfigOptions say how to reach the API server.
type ConfigOptions struct {
	// Kubeconfig is a kubeconfig file; "" uses $KUBECONFIG, ~/.kube/config,
	// else the in-cluster service account.
	Kubeconfig string
	// Context is the kubeconfig context; "" is its current one.
	Context string
	// Timeout bounds each request (0: 30s).
	Timeout time.Duration
}

// Config returns the client config ConfigOptions name.
func Config(o ConfigOptions) (*rest.Config, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	rules.ExplicitPath = o.Kubeconfig
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: o.Context})
	cfg, err := cc.ClientConfig()
	if err != nil {
		if clientcmd.IsEmptyConfig(err) {
			return nil, errors.New("no kubeconfig (--kubeconfig, $KUBECONFIG, ~/.kube/config) and not in a cluster: nothing says where the API server is")
		}
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	cfg.Timeout = o.Timeout
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	cfg.UserAgent = "portspec-verify"
	return cfg, nil
}

// Connect returns a client of the API server ConfigOptions name, and the
// server's address for reports.
func Connect(o ConfigOptions) (*Client, string, error) {
	cfg, err := Config(o)
	if err != nil {
		return nil, "", err
	}
	c, err := NewClient(cfg)
	if err != nil {
		return nil, "", fmt.Errorf("client for %s: %w", cfg.Host, err)
	}
	return c, cfg.Host, nil
}

// Facts are what Collect read.
type Facts struct {
	Nodes  []verify.ClusterNode
	Served []verify.Served
	Notes  []string
}

// Collect reads the nodes (their roles from rls), the pods and the
// Services of the cluster and returns the ports served on nodes, each
// workload's ports once with every node it serves them on. An API error
// is returned as it is, with what was being read; a cluster without nodes
// is an error too (nothing could be compared).
func Collect(ctx context.Context, c *Client, rls []RoleLabel) (*Facts, error) {
	f := &Facts{}
	err := listAll(ctx, c, "nodes", func(l *corev1.NodeList) {
		for _, n := range l.Items {
			f.Nodes = append(f.Nodes, verify.ClusterNode{Name: n.Name, Roles: Roles(n.Labels, rls)})
		}
	})
	if err != nil {
		return nil, err
	}
	if len(f.Nodes) == 0 {
		return nil, errors.New("the API server lists no nodes: nothing to compare (is this the right cluster?)")
	}

	type key struct {
		protocol, workload, how string
		port                    uint16
	}
	served := map[key]*verify.Served{}
	var order []key
	addServed := func(k key, node string) {
		s, ok := served[k]
		if !ok {
			s = &verify.Served{Protocol: k.protocol, Port: k.port, Workload: k.workload, How: k.how}
			if node != "" {
				s.Nodes = []string{}
			}
			served[k] = s
			order = append(order, k)
		}
		if node != "" && !slices.Contains(s.Nodes, node) {
			s.Nodes = append(s.Nodes, node)
		}
	}
	var unscheduled []string
	err = listAll(ctx, c, "pods", func(l *corev1.PodList) {
		for i := range l.Items {
			p := &l.Items[i]
			if p.Status.Phase == corev1.PodSucceeded || p.Status.Phase == corev1.PodFailed {
				continue
			}
			ports := podPorts(p)
			if len(ports) == 0 {
				continue
			}
			if p.Spec.NodeName == "" {
				unscheduled = append(unscheduled, p.Namespace+"/"+p.Name)
				continue
			}
			for _, pp := range ports {
				addServed(key{pp.protocol, workload(p), pp.how, pp.port}, p.Spec.NodeName)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	err = listAll(ctx, c, "services", func(l *corev1.ServiceList) {
		for _, s := range l.Items {
			w := "Service " + s.Namespace + "/" + s.Name
			for _, p := range s.Spec.Ports {
				if p.NodePort != 0 {
					proto := protocol(p.Protocol)
					addServed(key{proto, w, fmt.Sprintf("nodePort of %d/%s (%s)", p.Port, proto, s.Spec.Type), uint16(p.NodePort)}, "")
				}
			}
			if s.Spec.HealthCheckNodePort != 0 {
				addServed(key{"TCP", w, "healthCheckNodePort (externalTrafficPolicy: Local)", uint16(s.Spec.HealthCheckNodePort)}, "")
			}
		}
	})
	if err != nil {
		return nil, err
	}
	for _, k := range order {
		s := served[k]
		slices.Sort(s.Nodes)
		f.Served = append(f.Served, *s)
	}
	slices.SortStableFunc(f.Served, func(a, b verify.Served) int {
		return cmp.Or(strings.Compare(a.Workload, b.Workload), strings.Compare(a.Protocol, b.Protocol), cmp.Compare(a.Port, b.Port))
	})
	if len(unscheduled) > 0 {
		slices.Sort(unscheduled)
		f.Notes = append(f.Notes, fmt.Sprintf("%d pods with host ports are not scheduled yet, not compared: %s", len(unscheduled), strings.Join(unscheduled, ", ")))
	}
	return f, nil
}

// apiError says what failed in words a person can act on.
func apiError(what string, err error) error {
	switch {
	case apierrors.IsUnauthorized(err):
		return fmt.Errorf("list %s: the API server refused the credentials (401 Unauthorized): check the kubeconfig's user: %w", what, err)
	case apierrors.IsForbidden(err):
		return fmt.Errorf("list %s: the API server forbids it (403): the account needs list on nodes, pods and services cluster-wide: %w", what, err)
	}
	return fmt.Errorf("list %s: %w", what, err)
}

type podPort struct {
	protocol string
	port     uint16
	how      string
}

// podPorts are the ports a pod serves on its node: every container port
// of a hostNetwork pod, the host ports of any other (except those bound to
// a loopback host IP).
func podPorts(p *corev1.Pod) []podPort {
	var out []podPort
	for _, cs := range [][]corev1.Container{p.Spec.InitContainers, p.Spec.Containers} {
		for _, c := range cs {
			for _, cp := range c.Ports {
				if a, err := netip.ParseAddr(cp.HostIP); err == nil && a.IsLoopback() {
					continue
				}
				switch {
				case p.Spec.HostNetwork:
					port := cp.ContainerPort
					if cp.HostPort != 0 {
						port = cp.HostPort
					}
					out = append(out, podPort{protocol(cp.Protocol), uint16(port), "hostNetwork container port"})
				case cp.HostPort != 0:
					out = append(out, podPort{protocol(cp.Protocol), uint16(cp.HostPort), fmt.Sprintf("hostPort (container port %d)", cp.ContainerPort)})
				}
			}
		}
	}
	return out
}

func protocol(p corev1.Protocol) string {
	if p == "" {
		return "TCP"
	}
	return string(p)
}

// workload names who runs a pod: its controller, else the pod.
func workload(p *corev1.Pod) string {
	if o := metav1.GetControllerOf(p); o != nil {
		return o.Kind + " " + p.Namespace + "/" + o.Name
	}
	return "Pod " + p.Namespace + "/" + p.Name
}
