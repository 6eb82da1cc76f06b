// Package crd loads Cilium's CustomResourceDefinitions from the
// github.com/cilium/cilium module zip of a given version and validates
// objects against them the way a kube-apiserver does for custom resources:
// OpenAPI schema, structural-schema pruning (unknown fields) and CEL rules.
package crd

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	apiextensionsv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	"k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apimachinery/pkg/util/validation/field"
	celconfig "k8s.io/apiserver/pkg/apis/cel"
	"sigs.k8s.io/yaml"

	"github.com/portspec/portspec/gen/cilium"
	"github.com/portspec/portspec/gen/config"
)

// Version returns the Cilium version to validate against:
// $PORTSPEC_CILIUM_VERSION, else targets.cilium.ciliumVersion of the
// repository's portspec.yaml (configPath), else the cilium target's default.
func Version(configPath string) (string, error) {
	if v := os.Getenv("PORTSPEC_CILIUM_VERSION"); v != "" {
		return v, nil
	}
	var opts cilium.Options
	if cfg, err := config.LoadConfig(configPath); err == nil {
		// Only ciliumVersion is read: the section may also hold the
		// config's dir and enabled, which the target's strict decoding
		// would refuse.
		var loose struct {
			CiliumVersion string `json:"ciliumVersion"`
		}
		if raw := cfg.Targets[cilium.Name]; len(raw) > 0 {
			if err := json.Unmarshal(raw, &loose); err != nil {
				return "", fmt.Errorf("%s: targets.%s: %w", configPath, cilium.Name, err)
			}
		}
		opts.CiliumVersion = loose.CiliumVersion
	} else if !os.IsNotExist(err) {
		return "", err
	}
	return opts.Version(), nil
}

// ModuleDir downloads (or finds in the module cache) the Cilium module of
// the version and returns its directory.
func ModuleDir(ctx context.Context, version string) (string, error) {
	cmd := exec.CommandContext(ctx, "go", "mod", "download", "-json", "github.com/cilium/cilium@"+version)
	cmd.Dir = os.TempDir()
	out, err := cmd.Output()
	var info struct{ Dir, Error string }
	_ = json.Unmarshal(out, &info)
	if err != nil || info.Dir == "" {
		return "", fmt.Errorf("go mod download github.com/cilium/cilium@%s: %v %s", version, err, info.Error)
	}
	return info.Dir, nil
}

// Path is where the CRDs live inside the module.
const Path = "pkg/k8s/apis/cilium.io/client/crds/v2"

// Load reads one CRD file (for example ciliumclusterwidenetworkpolicies.yaml).
func Load(moduleDir, file string) (*apiextensionsv1.CustomResourceDefinition, error) {
	data, err := os.ReadFile(filepath.Join(moduleDir, Path, file))
	if err != nil {
		return nil, err
	}
	var c apiextensionsv1.CustomResourceDefinition
	if err := yaml.UnmarshalStrict(data, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return &c, nil
}

// Validator checks objects of one version of one CRD.
type Validator struct {
	structural *structuralschema.Structural
	schema     validation.SchemaValidator
	cel        *cel.Validator
}

// NewValidator builds a validator for the named version of the CRD; it
// fails when that version's schema is not structural.
func NewValidator(c *apiextensionsv1.CustomResourceDefinition, version string) (*Validator, error) {
	var internal apiextensions.CustomResourceDefinition
	if err := apiextensionsv1.Convert_v1_CustomResourceDefinition_To_apiextensions_CustomResourceDefinition(c, &internal, nil); err != nil {
		return nil, err
	}
	var props *apiextensions.JSONSchemaProps
	for _, v := range internal.Spec.Versions {
		if v.Name == version && v.Schema != nil {
			props = v.Schema.OpenAPIV3Schema
		}
	}
	if props == nil && internal.Spec.Validation != nil {
		props = internal.Spec.Validation.OpenAPIV3Schema
	}
	if props == nil {
		return nil, fmt.Errorf("%s: no schema for version %s", c.Name, version)
	}
	ss, err := structuralschema.NewStructural(props)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.Name, err)
	}
	if errs := structuralschema.ValidateStructural(nil, ss); len(errs) > 0 {
		return nil, fmt.Errorf("%s: schema is not structural: %v", c.Name, errs.ToAggregate())
	}
	sv, _, err := validation.NewSchemaValidator(props)
	if err != nil {
		return nil, err
	}
	return &Validator{structural: ss, schema: sv, cel: cel.NewValidator(ss, true, celconfig.PerCallLimit)}, nil
}

// Validate returns every problem the apiserver would find with obj: schema
// violations, fields the schema does not know (which the apiserver would
// drop, or reject with strict field validation) and failed CEL rules.
func (v *Validator) Validate(ctx context.Context, obj map[string]any) field.ErrorList {
	errs := validation.ValidateCustomResource(nil, obj, v.schema)
	var copied map[string]any
	if b, err := json.Marshal(obj); err == nil {
		_ = json.Unmarshal(b, &copied)
	}
	for _, p := range pruning.PruneWithOptions(copied, v.structural, true, structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true}) {
		errs = append(errs, field.Invalid(field.NewPath(p), nil, "unknown field (the schema would prune it)"))
	}
	if v.cel != nil {
		celErrs, _ := v.cel.Validate(ctx, nil, v.structural, obj, nil, celconfig.RuntimeCELCostBudget)
		errs = append(errs, celErrs...)
	}
	return errs
}
