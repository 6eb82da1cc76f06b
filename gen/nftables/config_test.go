package nftables

import (
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/config"
	"github.com/portspec/portspec/internal/gentest"
)

// TestSchemaAndDecoderAgree: a config using every option of the target
// passes the config schema and the target's strict decoder.
func TestSchemaAndDecoderAgree(t *testing.T) {
	const full = `version: 1
targets:
  nftables:
    cidrs: {master: [192.0.2.1], node: [192.0.2.0/28], frontend: [2001:db8::1], external: [0.0.0.0/0]}
    privateRanges: true
    podCIDRs: [10.111.0.0/16, fd00:111::/56]
    trusted: []
    input_policy: accept
    output_policy: drop
    table: fw
    log: true
    mode: audit
`
	cfg, err := config.ParseConfig("portspec.yaml", []byte(full))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := New().Generate(gen.Request{Doc: gentest.Small(), Options: cfg.Targets[Name]}); err != nil {
		t.Error(err)
	}
}
