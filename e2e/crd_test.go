package e2e_test

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/portspec/portspec/e2e/crd"
	"github.com/portspec/portspec/e2e/prereq"
)

// ciliumVersion is the Cilium release whose CRDs the suite uses.
func ciliumVersion(t *testing.T) string {
	t.Helper()
	v, err := crd.Version(filepath.Join("..", "portspec.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// crdFiles are the CRD files of the kinds portspec writes.
var crdFiles = map[string]string{
	"CiliumClusterwideNetworkPolicy": "ciliumclusterwidenetworkpolicies.yaml",
	"CiliumNetworkPolicy":            "ciliumnetworkpolicies.yaml",
}

func validator(t *testing.T, kind string) *crd.Validator {
	t.Helper()
	dir, err := crd.ModuleDir(context.Background(), ciliumVersion(t))
	if err != nil {
		prereq.Missing(t, err.Error())
	}
	c, err := crd.Load(dir, crdFiles[kind])
	if err != nil {
		t.Fatal(err)
	}
	v, err := crd.NewValidator(c, "v2")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func ccnpValidator(t *testing.T) *crd.Validator {
	return validator(t, "CiliumClusterwideNetworkPolicy")
}

// TestCNPSchema checks every generated CiliumNetworkPolicy (the kubernetes
// target's pod-egress policies with Cilium) against the CRD.
func TestCNPSchema(t *testing.T) {
	v := validator(t, "CiliumNetworkPolicy")
	objs := byKind(generatedObjects(t), "CiliumNetworkPolicy")
	if len(objs) < 3 {
		t.Fatalf("only %d CNPs generated", len(objs))
	}
	for _, o := range objs {
		if errs := v.Validate(context.Background(), o.obj.Object); len(errs) > 0 {
			t.Errorf("%s (%s): rejected by the Cilium %s CRD: %v", o.where, o.obj.GetName(), ciliumVersion(t), errs.ToAggregate())
		}
	}
	t.Logf("%d CNPs valid against Cilium %s", len(objs), ciliumVersion(t))
}

// TestCCNPSchema checks every generated CiliumClusterwideNetworkPolicy
// against the CRD of the configured Cilium version (schema, unknown fields,
// CEL), and that the same checks reject the broken objects.
func TestCCNPSchema(t *testing.T) {
	v := ccnpValidator(t)
	objs := byKind(generatedObjects(t), "CiliumClusterwideNetworkPolicy")
	if len(objs) < 4 {
		t.Fatalf("only %d CCNPs generated", len(objs))
	}
	for _, o := range objs {
		if errs := v.Validate(context.Background(), o.obj.Object); len(errs) > 0 {
			t.Errorf("%s (%s): rejected by the Cilium %s CRD: %v", o.where, o.obj.GetName(), ciliumVersion(t), errs.ToAggregate())
		}
	}
	t.Logf("%d CCNPs valid against Cilium %s", len(objs), ciliumVersion(t))
	for name, src := range brokenFor(t, ciliumVersion(t)) {
		if errs := v.Validate(context.Background(), brokenObject(t, name, src).Object); len(errs) == 0 {
			t.Errorf("broken CCNP %q was accepted", name)
		} else {
			t.Logf("broken CCNP %q rejected: %v", name, errs.ToAggregate())
		}
	}
}
