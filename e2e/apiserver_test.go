package e2e_test

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	apiextensionsclient "k8s.io/apiextensions-apiserver/pkg/client/clientset/clientset"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/portspec/portspec/e2e/apiserver"
	"github.com/portspec/portspec/e2e/crd"
	"github.com/portspec/portspec/e2e/prereq"
)

var (
	ccnpGVR = schema.GroupVersionResource{Group: "cilium.io", Version: "v2", Resource: "ciliumclusterwidenetworkpolicies"}
	cnpGVR  = schema.GroupVersionResource{Group: "cilium.io", Version: "v2", Resource: "ciliumnetworkpolicies"}
	npGVR   = schema.GroupVersionResource{Group: "networking.k8s.io", Version: "v1", Resource: "networkpolicies"}
)

// TestAPIServer starts a real etcd and kube-apiserver, applies Cilium's
// CRDs, and creates every generated object with server-side dry-run and
// strict field validation; each broken object must be rejected.
func TestAPIServer(t *testing.T) {
	objs := generatedObjects(t)
	cfg := apiserver.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	dir, err := crd.ModuleDir(ctx, ciliumVersion(t))
	if err != nil {
		prereq.Missing(t, err.Error())
	}
	ext, err := apiextensionsclient.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"ciliumclusterwidenetworkpolicies.yaml", "ciliumnetworkpolicies.yaml"} {
		c, err := crd.Load(dir, f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ext.ApiextensionsV1().CustomResourceDefinitions().Create(ctx, c, metav1.CreateOptions{}); err != nil {
			t.Fatalf("apply CRD %s: %v", f, err)
		}
		waitEstablished(ctx, t, ext, c.Name)
	}
	kc, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	namespaces := map[string]bool{}
	for _, o := range objs {
		if ns := o.obj.GetNamespace(); ns != "" {
			namespaces[ns] = true
		}
	}
	for ns := range namespaces {
		if _, err := kc.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
			t.Fatalf("create namespace %s: %v", ns, err)
		}
	}
	dryRun := metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}, FieldValidation: "Strict"}
	create := func(u *unstructured.Unstructured) error {
		switch u.GetKind() {
		case "CiliumClusterwideNetworkPolicy":
			_, err := dyn.Resource(ccnpGVR).Create(ctx, u, dryRun)
			return err
		case "CiliumNetworkPolicy":
			_, err := dyn.Resource(cnpGVR).Namespace(u.GetNamespace()).Create(ctx, u, dryRun)
			return err
		case "NetworkPolicy":
			_, err := dyn.Resource(npGVR).Namespace(u.GetNamespace()).Create(ctx, u, dryRun)
			return err
		}
		t.Fatalf("unexpected kind %s", u.GetKind())
		return nil
	}
	accepted := 0
	for _, o := range objs {
		if err := create(o.obj); err != nil {
			t.Errorf("%s (%s %s): rejected by kube-apiserver: %v", o.where, o.obj.GetKind(), o.obj.GetName(), err)
			continue
		}
		accepted++
	}
	t.Logf("kube-apiserver accepted %d of %d generated objects (dry-run, strict field validation)", accepted, len(objs))
	for name, src := range brokenFor(t, ciliumVersion(t)) {
		if err := create(brokenObject(t, name, src)); err == nil {
			t.Errorf("broken CCNP %q was accepted by kube-apiserver", name)
		} else {
			t.Logf("broken CCNP %q rejected: %v", name, err)
		}
	}
	for name, src := range brokenNetworkPolicies {
		if err := create(brokenObject(t, name, src)); err == nil {
			t.Errorf("broken NetworkPolicy %q was accepted by kube-apiserver", name)
		} else {
			t.Logf("broken NetworkPolicy %q rejected: %v", name, err)
		}
	}
}

func waitEstablished(ctx context.Context, t *testing.T, ext apiextensionsclient.Interface, name string) {
	t.Helper()
	for ctx.Err() == nil {
		c, err := ext.ApiextensionsV1().CustomResourceDefinitions().Get(ctx, name, metav1.GetOptions{})
		if err == nil {
			for _, cond := range c.Status.Conditions {
				if cond.Type == apiextensionsv1.Established && cond.Status == apiextensionsv1.ConditionTrue {
					// Discovery of the new resource lags a little behind.
					time.Sleep(2 * time.Second)
					return
				}
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("CRD %s not established", name)
}
