package e2e_test

import (
	"testing"

	networkingv1 "k8s.io/api/networking/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/kubernetes/pkg/apis/networking"
	networkingv1conv "k8s.io/kubernetes/pkg/apis/networking/v1"
	"k8s.io/kubernetes/pkg/apis/networking/validation"
)

func validateNetworkPolicy(t *testing.T, u *unstructured.Unstructured) field.ErrorList {
	t.Helper()
	var v1 networkingv1.NetworkPolicy
	if err := runtime.DefaultUnstructuredConverter.FromUnstructuredWithValidation(u.Object, &v1, true); err != nil {
		return field.ErrorList{field.Invalid(field.NewPath(""), nil, err.Error())}
	}
	networkingv1conv.SetObjectDefaults_NetworkPolicy(&v1)
	var internal networking.NetworkPolicy
	if err := networkingv1conv.Convert_v1_NetworkPolicy_To_networking_NetworkPolicy(&v1, &internal, nil); err != nil {
		t.Fatal(err)
	}
	return validation.ValidateNetworkPolicy(&internal, validation.NetworkPolicyValidationOptions{})
}

// TestNetworkPolicyValidation runs Kubernetes' own NetworkPolicy validation
// on every generated NetworkPolicy and on the broken ones.
func TestNetworkPolicyValidation(t *testing.T) {
	objs := byKind(generatedObjects(t), "NetworkPolicy")
	if len(objs) < 2 {
		t.Fatalf("only %d NetworkPolicies generated", len(objs))
	}
	for _, o := range objs {
		if errs := validateNetworkPolicy(t, o.obj); len(errs) > 0 {
			t.Errorf("%s (%s): invalid: %v", o.where, o.obj.GetName(), errs.ToAggregate())
		}
	}
	for name, src := range brokenNetworkPolicies {
		if errs := validateNetworkPolicy(t, brokenObject(t, name, src)); len(errs) == 0 {
			t.Errorf("broken NetworkPolicy %q was accepted", name)
		}
	}
}
