package ansible

import (
	"errors"
	"strings"
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/config"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

// TestSchemaAndDecoderAgree: a config using every option of the target
// passes the config schema and the target's strict decoder, and the
// schema rejects a bad value and an unknown key with their positions.
func TestSchemaAndDecoderAgree(t *testing.T) {
	const full = `version: 1
targets:
  ansible:
    cidrs: {master: [192.0.2.1], node: [192.0.2.0/28], frontend: [2001:db8::1], external: [0.0.0.0/0]}
    privateRanges: false
    podCIDRs: [10.111.0.0/16]
    trusted: [192.0.2.128/25]
    input_policy: drop
    output_policy: drop
    table: fw
    log: true
    mode: enforce
    groups: {master: [cp], node: [workers], frontend: [edge]}
  nftables:
    cidrs: {master: [192.0.2.1], node: [192.0.2.2], frontend: [192.0.2.3]}
    trusted: []
    input_policy: accept
    output_policy: accept
    table: fw
`
	cfg, err := config.ParseConfig("portspec.yaml", []byte(full))
	if err != nil {
		t.Fatal(err)
	}
	doc := gentest.Small()
	if _, err := New().Generate(gen.Request{Doc: doc, Options: cfg.Targets[Name]}); err != nil {
		t.Errorf("ansible: %v", err)
	}
	bad := strings.Replace(strings.Replace(full, "input_policy: accept", "input_policy: reject", 1), "    groups:", "    zones: 1\n    groups:", 1)
	_, err = config.ParseConfig("portspec.yaml", []byte(bad))
	if err == nil {
		t.Fatal("bad config accepted")
	}
	msg := err.Error()
	var list spec.ErrorList
	if errors.As(err, &list) {
		msg = ""
		for _, e := range list {
			msg += e.Error() + "\n"
		}
	}
	for _, frag := range []string{`portspec.yaml:13:5: unknown key "zones" (at targets.ansible)`, `portspec.yaml:18:19: value must be one of`} {
		if !strings.Contains(msg, frag) {
			t.Errorf("error lacks %q:\n%s", frag, msg)
		}
	}
}
