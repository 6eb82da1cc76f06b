package systemtest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/ansible"
	"github.com/portspec/portspec/internal/gentest"
)

// TestRoleLint runs ansible-lint (production profile) over the collection
// portspec.firewall, its role included, and over the example playbook
// that uses the role.
func TestRoleLint(t *testing.T) {
	gentest.RequireTools(t, "ansible-lint")
	collection := filepath.Dir(filepath.Dir(roleDir(t)))
	for dir, args := range map[string][]string{
		collection:    nil,
		exampleDir(t): {"playbook.yml"},
	} {
		cmd := exec.Command("ansible-lint", append([]string{"--nocolor", "--profile", "production"}, args...)...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "ANSIBLE_LOCAL_TEMP="+t.TempDir(), "NO_COLOR=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !bytes.Contains(out, []byte("Passed")) {
			t.Errorf("ansible-lint in %s: %v\n%s", dir, err, out)
		}
	}
}

// TestRoleArgumentSpec: ansible-core checks meta/argument_specs.yml before
// the role's first task: a wrong type, a value outside the choices and
// missing generated vars each stop the play, naming the argument; the
// spec's defaults are the role's defaults.
func TestRoleArgumentSpec(t *testing.T) {
	gentest.RequireSystem(t, "ansible-playbook")
	dir := stageExample(t, varsOf(t, gen.Request{Doc: gentest.Small()}))
	for name, tc := range map[string]struct {
		extra string
		want  []string
	}{
		"a bool that is none": {`portspec_firewall_load=maybe`, []string{"portspec_firewall_load", "bool"}},
		"a dict that is text": {`{"portspec_rules": "not a dict"}`, []string{"portspec_rules", "dict"}},
		"a mode not listed":   {`{"portspec_mode": "permissive"}`, []string{"portspec_mode", "enforce, audit"}},
		"a list for a bool":   {`{"portspec_firewall_systemd": [1, 2]}`, []string{"portspec_firewall_systemd", "bool"}},
	} {
		t.Run(name, func(t *testing.T) {
			out := playbook(t, dir, false, "-i", "inventory", "playbook.yml", "--check", "-e", tc.extra)
			if !strings.Contains(out, "Validation of arguments failed") || ran(out, "Render the ruleset", "master-1") {
				t.Fatalf("-e %s was not refused by the argument spec before the role ran:\n%s", tc.extra, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("-e %s: the refusal does not name %q:\n%s", tc.extra, w, out)
				}
			}
		})
	}
	t.Run("no generated vars", func(t *testing.T) {
		if err := os.Remove(filepath.Join(dir, "inventory", ansible.VarsPath)); err != nil {
			t.Fatal(err)
		}
		out := playbook(t, dir, false, "-i", "inventory", "playbook.yml", "--check")
		if !strings.Contains(out, "Validation of arguments failed") || !strings.Contains(out, "missing required arguments") || !strings.Contains(out, "portspec_rules") {
			t.Errorf("without the generated vars the role was not refused:\n%s", out)
		}
	})

	var spec struct {
		ArgumentSpecs map[string]struct {
			Options map[string]struct {
				Type     string `yaml:"type"`
				Default  any    `yaml:"default"`
				Required bool   `yaml:"required"`
			} `yaml:"options"`
		} `yaml:"argument_specs"`
	}
	var defaults map[string]any
	for path, v := range map[string]any{"meta/argument_specs.yml": &spec, "defaults/main.yml": &defaults} {
		data, err := os.ReadFile(filepath.Join(roleDir(t), path))
		if err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(data, v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	opts := spec.ArgumentSpecs["main"].Options
	for name, o := range opts {
		if strings.HasPrefix(name, "portspec_firewall_") {
			if d, ok := defaults[name]; !ok || d != o.Default || o.Required {
				t.Errorf("%s: the spec's default %v, defaults/main.yml %v (present %v), required %v", name, o.Default, d, ok, o.Required)
			}
		} else if !o.Required {
			t.Errorf("%s: a generated var the role reads must be required", name)
		}
	}
	for name := range defaults {
		if _, ok := opts[name]; !ok {
			t.Errorf("defaults/main.yml sets %s, which the argument spec does not name", name)
		}
	}
}

// TestRoleCollectionBuild builds the collection with ansible-galaxy, as it
// is published, installs the archive into a folder of its own and runs the
// example in check mode with that installed copy: the layout is one a
// Galaxy collection can ship.
func TestRoleCollectionBuild(t *testing.T) {
	gentest.RequireSystem(t, "ansible-playbook", "ansible-galaxy", "nft")
	build, installed := t.TempDir(), t.TempDir()
	collection := filepath.Dir(filepath.Dir(roleDir(t)))
	if out, err := exec.Command("ansible-galaxy", "collection", "build", collection, "--output-path", build).CombinedOutput(); err != nil {
		t.Fatalf("ansible-galaxy collection build: %v\n%s", err, out)
	}
	archives, _ := filepath.Glob(filepath.Join(build, "portspec-firewall-*.tar.gz"))
	if len(archives) != 1 {
		t.Fatalf("want one archive portspec-firewall-VERSION.tar.gz, got %v", archives)
	}
	if out, err := exec.Command("ansible-galaxy", "collection", "install", "--offline", "-p", installed, archives[0]).CombinedOutput(); err != nil {
		t.Fatalf("ansible-galaxy collection install: %v\n%s", err, out)
	}
	dir := stageExample(t, varsOf(t, gen.Request{Doc: gentest.Small()}))
	write(t, filepath.Join(dir, "ansible.cfg"), []byte("[defaults]\ncollections_path = "+installed+"\n"))
	out := playbook(t, dir, true, "-i", "inventory", "playbook.yml", "--check")
	for host := range exampleHosts {
		if !ran(out, "Check the ruleset with nft", host) {
			t.Errorf("the installed collection did not check %s's ruleset:\n%s", host, out)
		}
	}
	if !strings.Contains(out, "portspec.firewall.portspec_firewall : ") {
		t.Errorf("the play did not run the role by its collection name:\n%s", out)
	}
}
