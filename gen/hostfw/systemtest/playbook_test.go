package systemtest

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/nftables"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

// hosts of the example inventory and their roles.
var exampleHosts = map[string]spec.Role{"master-1": spec.RoleMaster, "node-1": spec.RoleNode, "frontend-1": spec.RoleFrontend}

func docs(t *testing.T) map[string]*spec.Document {
	return map[string]*spec.Document{
		"default": gentest.Default(t),
		"seed":    gentest.Seed(t),
		"newest":  gentest.Newest(t),
		"hostile": gentest.WithHostile(gentest.Small()),
	}
}

// exampleCIDRs are the addresses of the example inventory's hosts (their
// ansible_host): the role sets the playbook must work out by itself.
const exampleCIDRs = `"cidrs":{"master":["10.201.0.1"],"node":["10.201.0.2"],"frontend":["10.201.0.3"]}`

// fromLine is data from its first line that starts with prefix: the part
// the example and the nftables target must agree on.
func fromLine(t *testing.T, data []byte, prefix string) string {
	s := string(data)
	if strings.HasPrefix(s, prefix) {
		return s
	}
	i := strings.Index(s, "\n"+prefix)
	if i < 0 {
		t.Fatalf("no %q line in:\n%s", prefix, s)
	}
	return s[i+1:]
}

// TestExamplePlaybook runs examples/ansible against localhost, in check
// mode and for real, for the default document, the seed, the newest
// upstream version and a document of hostile purposes, with vars that name
// no cidrs: the playbook takes each role's set from the inventory. Each
// host's rendered ruleset must be accepted by `nft -c -f` and say exactly
// what the nftables target says for its role when given those addresses;
// its unit must pass `systemd-analyze verify` and equal the target's;
// hostile purposes must come out literally. Then the vars' cidrs (with
// IPv6, log and audit) must win over the inventory.
func TestExamplePlaybook(t *testing.T) {
	gentest.RequireSystem(t, "ansible-playbook", "nft")
	for name, doc := range docs(t) {
		t.Run(name, func(t *testing.T) {
			checkExample(t, doc, "", exampleCIDRs, name == "hostile")
		})
	}
	t.Run("cidrs override the inventory", func(t *testing.T) {
		opts := `"cidrs":{"master":["10.9.0.0/29","fd00:9::/64"],"node":["10.9.1.0/24"],"frontend":["10.9.2.0/28"]},"podCIDRs":["10.111.0.0/16","fd00:111::/56"],"log":true,"mode":"audit"`
		checkExample(t, gentest.Default(t), opts, opts, false)
	})
}

// checkExample runs the example with vars of doc and the ansible options
// varsOpts, and compares what it renders with the nftables target's
// output for nftOpts.
func checkExample(t *testing.T, doc *spec.Document, varsOpts, nftOpts string, hostile bool) {
	t.Helper()
	dir := stageExample(t, varsOf(t, gen.Request{Doc: doc, Options: []byte("{" + varsOpts + "}")}))
	out := playbook(t, dir, true, "-i", "inventory", "playbook.yml", "--check")
	for host := range exampleHosts {
		if !ran(out, "Check the ruleset with nft", host) {
			t.Errorf("check mode skipped the nft check of %s:\n%s", host, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Errorf("check mode installed rulesets")
	}
	out = playbook(t, dir, true, "-i", "inventory", "playbook.yml")
	if ran(out, "Enable the unit", "master-1") {
		t.Errorf("the demo inventory enabled a unit on this machine:\n%s", out)
	}

	nft, err := nftables.New().Generate(gen.Request{Doc: doc, Options: []byte("{" + nftOpts + "}")})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{}
	for _, f := range nft.Files {
		want[f.Path] = f.Data
	}
	for host, role := range exampleHosts {
		path := filepath.Join(dir, "out", host+".nft")
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("nft", "-c", "-f", path).CombinedOutput(); err != nil {
			t.Errorf("nft -c -f %s: %v\n%s", host, err, out)
		}
		if d := cmp.Diff(fromLine(t, want[nftables.FileName(role)], "table inet "), fromLine(t, got, "table inet ")); d != "" {
			t.Errorf("%s: the example's ruleset differs from generated %s (-generated +example):\n%s", host, nftables.FileName(role), d)
		}
		if hostile {
			for _, lit := range []string{"{{ lookup('pipe', 'id') }}", "{% raw %}{{ 7 * 7 }}{% endraw %} {# comment #}"} {
				if !strings.Contains(string(got), lit) {
					t.Errorf("%s: hostile purpose %q not printed literally:\n%s", host, lit, got)
				}
			}
		}
		unitPath := filepath.Join(dir, "out", host, nftables.UnitName)
		unit, err := os.ReadFile(unitPath)
		if err != nil {
			t.Fatal(err)
		}
		// The demo installs the ruleset in out/, not /etc/nftables.d.
		unit = []byte(strings.ReplaceAll(string(unit), path, nftables.RulesetPath))
		if d := cmp.Diff(fromLine(t, want[nftables.UnitName], "[Unit]"), fromLine(t, unit, "[Unit]")); d != "" {
			t.Errorf("%s: the example's unit differs from generated %s (-generated +example):\n%s", host, nftables.UnitName, d)
		}
		if _, err := exec.LookPath("systemd-analyze"); err == nil {
			if out, err := exec.Command("systemd-analyze", "verify", unitPath).CombinedOutput(); err != nil || len(bytes.TrimSpace(out)) > 0 {
				t.Errorf("systemd-analyze verify %s: %v\n%s", unitPath, err, out)
			}
		}
	}
}

// TestExampleNeedsAddresses: a host of a role without a usable address
// stops the example before it renders anything, naming the host.
func TestExampleNeedsAddresses(t *testing.T) {
	gentest.RequireSystem(t, "ansible-playbook")
	dir := stageExample(t, varsOf(t, gen.Request{Doc: gentest.Small()}))
	hosts := filepath.Join(dir, "inventory", "hosts")
	data, err := os.ReadFile(hosts)
	if err != nil {
		t.Fatal(err)
	}
	write(t, hosts, []byte(strings.Replace(string(data), "node-1 ansible_host=10.201.0.2", "node-1 ansible_host=node-1.example", 1)))
	out := playbook(t, dir, false, "-i", "inventory", "playbook.yml", "--check")
	if !strings.Contains(out, "no usable address for node-1 (no address)") || ran(out, "Render the ruleset", "master-1") {
		t.Errorf("a host without an address did not stop the example:\n%s", out)
	}
}

// dumpPlaybook writes the vars as Ansible sees them after templating, and
// prints the master purposes.
const dumpPlaybook = `- hosts: master-1
  gather_facts: false
  tasks:
    - name: Dump the vars as Ansible sees them
      ansible.builtin.copy:
        content: "{{ {'source': portspec_source, 'rules': portspec_rules} | to_nice_json }}"
        dest: "{{ playbook_dir }}/seen.json"
    - name: Print the purposes
      ansible.builtin.debug:
        msg: "{{ portspec_rules.master | map(attribute='purpose') | list }}"
`

// TestAnsibleSeesHostileTextLiterally: after Ansible has templated every
// variable, each rule (every field) and the source name are exactly what
// the generator wrote: no "{{ }}" or "{% %}" was evaluated.
func TestAnsibleSeesHostileTextLiterally(t *testing.T) {
	gentest.RequireSystem(t, "ansible-playbook")
	doc := gentest.WithHostile(gentest.Small())
	vars := varsOf(t, gen.Request{Doc: doc})
	dir := stageExample(t, vars)
	write(t, filepath.Join(dir, "dump.yml"), []byte(dumpPlaybook))
	out := playbook(t, dir, true, "-i", "inventory", "dump.yml")
	if strings.Contains(out, "uid=") || !strings.Contains(out, "lookup('pipe', 'id')") {
		t.Errorf("the debug output evaluated or lost the hostile purpose:\n%s", out)
	}

	var gen struct {
		Source string `yaml:"portspec_source"`
		Rules  any    `yaml:"portspec_rules"`
	}
	if err := yaml.Unmarshal(vars, &gen); err != nil {
		t.Fatal(err)
	}
	want := normalize(t, map[string]any{"source": gen.Source, "rules": gen.Rules})
	raw, err := os.ReadFile(filepath.Join(dir, "seen.json"))
	if err != nil {
		t.Fatal(err)
	}
	var got any
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Ansible's view of the vars differs from the generated file (-generated +ansible):\n%s", d)
	}
	if !strings.Contains(string(raw), `{% raw %}{{ 7 * 7 }}{% endraw %}`) || strings.Contains(string(raw), "49") {
		t.Errorf("raw/endraw was interpreted:\n%s", raw)
	}
}

func normalize(t *testing.T, v any) any {
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}
