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

// TestCNPSchema checks every generated CiliumNetworkPolicy (the kubernetes
// target's pod-egress policies with Cilium) against the CRD.
func TestCNPSchema(t *testing.T) {
	checkSchema(t, "CiliumNetworkPolicy", 3)
}

// TestCCNPSchema checks every generated CiliumClusterwideNetworkPolicy
// against the CRD of the configured Cilium version (schema, unknown fields,
// CEL), and that the same checks reject the broken objects.
func TestCCNPSchema(t *testing.T) {
	v := checkSchema(t, "CiliumClusterwideNetworkPolicy", 4)
	for name, src := range brokenFor(t, ciliumVersion(t)) {
		if errs := v.Validate(context.Background(), brokenObject(t, name, src).Object); len(errs) == 0 {
			t.Errorf("broken CCNP %q was accepted", name)
		} else {
			t.Logf("broken CCNP %q rejected: %v", name, errs.ToAggregate())
		}
	}
}

// checkSchema validates every generated object of a kind (at least min of
// them) against its CRD and returns the validator.
func checkSchema(t *testing.T, kind string, min int) *crd.Validator {
	t.Helper()
	v := validator(t, kind)
	objs := byKind(generatedObjects(t), kind)
	if len(objs) < min {
		t.Fatalf("only %d %s objects generated", len(objs), kind)
	}
	for _, o := range objs {
		if errs := v.Validate(context.Background(), o.obj.Object); len(errs) > 0 {
			t.Errorf("%s (%s): rejected by the Cilium %s CRD: %v", o.where, o.obj.GetName(), ciliumVersion(t), errs.ToAggregate())
		}
	}
	t.Logf("%d %s objects valid against Cilium %s", len(objs), kind, ciliumVersion(t))
	return v
}
