package main

import (
	"os"
	"strings"
	"testing"
)

// TestTargetOptionErrorsHavePositions: errors that the targets find in
// their own options (CIDRs, node selectors, name prefixes, identifier
// collisions, package folders) are at the option's file:line:col in
// portspec.yaml, every one of them, like the schema's errors.
func TestTargetOptionErrorsHavePositions(t *testing.T) {
	t.Chdir(t.TempDir())
	os.WriteFile("portspec.yaml", []byte(`version: 1
targets:
  go:
    dir: pkg/my-ports
  cilium:
    namePrefix: Port_Spec
    nodeCIDRs: [10.0.0.1/8, 192.168.0.0/33]
    nodeSelectors:
      masters: {kubernetes.io/hostname: m1}
  kubernetes:
    cni: flannel
  nftables:
    cidrs:
      master: [10.0.0.1/8]
idents:
  MastersToNodes/TCP/10250: Lookup
`), 0o644)
	_, errs := mustGen(t, exitInvalid)
	for _, want := range []string{
		`portspec.yaml:4:10: targets.go.dir: the folder "pkg/my-ports" ends in "my-ports", which is not a Go package name`,
		`portspec.yaml:6:17: targets.cilium.namePrefix: "Port_Spec" must be lower-case`,
		`portspec.yaml:7:17: targets.cilium.nodeCIDRs[0]: "10.0.0.1/8" is not a network`,
		`portspec.yaml:7:29: targets.cilium.nodeCIDRs[1]: "192.168.0.0/33" is not a network`,
		`portspec.yaml:9:16: targets.cilium.nodeSelectors.masters: label "kubernetes.io/hostname" is dropped`,
		`portspec.yaml:11:10: targets.kubernetes.cni: nodeCIDRs: required with cni: flannel`,
		`portspec.yaml:14:15: targets.nftables.cidrs.master: "10.0.0.1/8" has host bits set`,
		`targets.nftables.cidrs.node: missing`,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	// The identifier collision is the Go target's: alone, once the folder
	// is right.
	os.WriteFile("portspec.yaml", []byte("version: 1\nidents:\n  MastersToNodes/TCP/10250: Lookup\n"), 0o644)
	if _, errs := mustGen(t, exitInvalid); !strings.Contains(errs, `portspec.yaml:3:29: idents["MastersToNodes/TCP/10250"]: Lookup is already taken by package`) {
		t.Errorf("idents collision:\n%s", errs)
	}
	for _, line := range strings.Split(errs, "\n") {
		if line != "" && !strings.HasPrefix(line, "portspec.yaml:") && !strings.HasPrefix(line, "warning:") {
			t.Errorf("an error without a position: %q", line)
		}
	}
	// The drift test follows the Go target's folder: its error is at that
	// target's dir.
	os.WriteFile("portspec.yaml", []byte("version: 1\ntargets:\n  go:\n    dir: pkg/my-ports\n    enabled: false\n"), 0o644)
	if _, errs := mustGen(t, exitInvalid); !strings.Contains(errs, `portspec.yaml:4:10: targets.drifttest.dir: folder "pkg/my-ports"`) {
		t.Errorf("the drift test in the Go target's folder:\n%s", errs)
	}
}
