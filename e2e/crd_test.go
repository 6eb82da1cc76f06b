package e2e_test

import (
	"context"
	"testing"

	"github.com/portspec/portspec/e2e/crd"
	"github.com/portspec/portspec/e2e/prereq"
)

func ccnpValidator(t *testing.T) *crd.Validator {
	t.Helper()
	dir, err := crd.ModuleDir(context.Background(), crd.Version())
	if err != nil {
		prereq.Missing(t, err.Error())
	}
	c, err := crd.Load(dir, "ciliumclusterwidenetworkpolicies.yaml")
	if err != nil {
		t.Fatal(err)
	}
	v, err := crd.NewValidator(c, "v2")
	if err != nil {
		t.Fatal(err)
	}
	return v
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
			t.Errorf("%s (%s): rejected by the Cilium %s CRD: %v", o.where, o.obj.GetName(), crd.Version(), errs.ToAggregate())
		}
	}
	t.Logf("%d CCNPs valid against Cilium %s", len(objs), crd.Version())
	for name, src := range brokenCCNPs {
		if errs := v.Validate(context.Background(), brokenObject(t, name, src).Object); len(errs) == 0 {
			t.Errorf("broken CCNP %q was accepted", name)
		} else {
			t.Logf("broken CCNP %q rejected: %v", name, errs.ToAggregate())
		}
	}
}
