package systemtest

import (
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

// fromTable is a ruleset from its first "table inet" line: the part the
// example template and the nftables target must agree on.
func fromTable(t *testing.T, data []byte) string {
	s := string(data)
	i := strings.Index(s, "\ntable inet ")
	if i < 0 {
		t.Fatalf("no table line in:\n%s", s)
	}
	return s[i+1:]
}

// TestExamplePlaybook runs examples/ansible against localhost, in check
// mode and for real, for the default document, the newest upstream version
// and a document of hostile purposes. Each host's rendered ruleset must be
// accepted by `nft -c -f` and say exactly what the nftables target says for
// its role; hostile purposes must come out literally.
func TestExamplePlaybook(t *testing.T) {
	gentest.RequireSystem(t, "ansible-playbook", "nft")
	for name, doc := range docs(t) {
		t.Run(name, func(t *testing.T) {
			dir := stageExample(t, varsOf(t, gen.Request{Doc: doc}))
			out := playbook(t, dir, true, "-i", "inventory", "playbook.yml", "--check")
			for host := range exampleHosts {
				if !ran(out, "Check the ruleset with nft", host) {
					t.Errorf("check mode skipped the nft check of %s:\n%s", host, out)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
				t.Errorf("check mode installed rulesets")
			}
			playbook(t, dir, true, "-i", "inventory", "playbook.yml")

			nft, err := nftables.New().Generate(gen.Request{Doc: doc})
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
				if d := cmp.Diff(fromTable(t, want[nftables.FileName(role)]), fromTable(t, got)); d != "" {
					t.Errorf("%s: the example's ruleset differs from generated %s (-generated +example):\n%s", host, nftables.FileName(role), d)
				}
				if name == "hostile" {
					for _, lit := range []string{"{{ lookup('pipe', 'id') }}", "{% raw %}{{ 7 * 7 }}{% endraw %} {# comment #}"} {
						if !strings.Contains(string(got), lit) {
							t.Errorf("%s: hostile purpose %q not printed literally:\n%s", host, lit, got)
						}
					}
				}
			}
		})
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
