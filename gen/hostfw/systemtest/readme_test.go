package systemtest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/internal/upstream"
)

// readmePlaybook returns the playbook the documentation shows in
// docs/host-firewalls.md (the first yaml block after "A playbook consuming
// the vars"; the page moved there from the README).
func readmePlaybook(t *testing.T) string {
	data, err := os.ReadFile(filepath.Join(upstream.RepoRoot(), "docs", "host-firewalls.md"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i := strings.Index(s, "A playbook consuming the vars")
	if i < 0 {
		t.Fatal("docs/host-firewalls.md: no playbook consuming the vars")
	}
	s = s[i:]
	start := strings.Index(s, "```yaml\n")
	end := strings.Index(s[start+8:], "```")
	if start < 0 || end < 0 {
		t.Fatal("docs/host-firewalls.md: the playbook is not a yaml code block")
	}
	return s[start+8 : start+8+end]
}

// TestReadmePlaybook runs the documented playbook against a local "masters"
// host in check mode: it must pass community.general.ufw for every rule a
// master accepts, from the addresses of each rule's sources only (its real
// clients: the pod subnet only where pods are clients).
func TestReadmePlaybook(t *testing.T) {
	gentest.RequireSystem(t, "ansible-playbook", "ufw")
	dir := t.TempDir()
	write(t, filepath.Join(dir, "site.yml"), []byte(readmePlaybook(t)))
	write(t, filepath.Join(dir, "inventory", "hosts"), []byte("[masters]\nm1 ansible_connection=local ansible_python_interpreter=/usr/bin/python3\n"))
	vars := varsOf(t, gen.Request{Doc: gentest.Default(t), Options: []byte(
		`{"cidrs":{"master":["10.0.0.1"],"node":["10.0.0.2"],"frontend":["10.0.0.3"],"external":["0.0.0.0/0"]}}`)})
	write(t, filepath.Join(dir, "inventory", "group_vars", "all", "portspec.yml"), vars)
	out := playbookIn(t, "", []string{"ANSIBLE_STDOUT_CALLBACK=json"}, dir, true, "-i", "inventory", "site.yml", "--check")
	var res struct {
		Plays []struct {
			Tasks []struct {
				Task struct {
					Name string `json:"name"`
				} `json:"task"`
				Hosts map[string]struct {
					Results []struct {
						Item    [2]json.RawMessage `json:"item"`
						Skipped bool               `json:"skipped"`
						Failed  bool               `json:"failed"`
					} `json:"results"`
				} `json:"hosts"`
			} `json:"tasks"`
		} `json:"plays"`
	}
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	// Each checked rule (a rule and one ufw form) with the source address
	// it was allowed from.
	got := map[string][]string{}
	tasks := res.Plays[0].Tasks
	if len(tasks) == 0 || !strings.Contains(tasks[len(tasks)-1].Task.Name, "ufw") {
		t.Fatalf("no ufw task ran:\n%s", out)
	}
	for _, r := range tasks[len(tasks)-1].Hosts["m1"].Results {
		var form []json.RawMessage
		var rule struct{ Name string }
		var port, src string
		json.Unmarshal(r.Item[0], &form)
		json.Unmarshal(form[0], &rule)
		json.Unmarshal(form[1], &port)
		json.Unmarshal(r.Item[1], &src)
		if r.Failed {
			t.Errorf("%s %s from %s failed", rule.Name, port, src)
		}
		if !r.Skipped {
			got[rule.Name] = append(got[rule.Name], src)
		}
	}
	for name, want := range map[string][]string{
		"MastersToMasters/tcp/2379": {"10.0.0.1/32"},                                                // masters only
		"NodesToMasters/tcp/6443":   {"10.0.0.1/32", "10.0.0.2/32", "10.0.0.3/32", "10.111.0.0/16"}, // every node, every pod
		"NodesToMasters/udp/4234":   {"10.0.0.1/32", "10.0.0.2/32", "10.0.0.3/32"},                  // every node, no pod
		"ExternalToMaster/tcp/22":   {"0.0.0.0/0"},                                                  // anybody
		"MastersToNodes/tcp/10250":  {"10.0.0.1/32", "10.111.0.0/16"},                               // a master is a node; Prometheus
	} {
		if d := cmp.Diff(want, got[name]); d != "" {
			t.Errorf("%s allowed from (-want +got):\n%s", name, d)
		}
	}
	if len(got) < 20 {
		t.Errorf("only %d rules checked: %v", len(got), got)
	}
}
