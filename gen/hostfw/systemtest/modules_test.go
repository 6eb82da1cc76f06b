package systemtest

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/ansible"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

// modulesPlaybook feeds generated forms to the real modules in check mode,
// the way a user's playbook does: firewalld port forms into a zone, ICMP as
// a rich rule from the source role's addresses, ufw port lists with the
// rule's protocol, direction and the peer's addresses. The items are the
// distinct forms of several documents (one module call takes half a
// second), collected from their generated vars by formItems.
const modulesPlaybook = `- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: firewalld port forms
      ansible.posix.firewalld:
        port: "{{ item }}"
        zone: public
        permanent: true
        offline: true
        state: enabled
      loop: "{{ check_firewalld }}"
    - name: firewalld ICMP forms
      ansible.posix.firewalld:
        rich_rule: 'rule family="ipv4" source address="{{ item.ip }}" icmp-type name="{{ item.type }}" accept'
        zone: public
        permanent: true
        offline: true
        state: enabled
      loop: "{{ check_icmp }}"
    - name: ufw forms
      community.general.ufw:
        rule: allow
        direction: "{{ item.direction }}"
        proto: "{{ item.proto }}"
        from_ip: "{{ item.ip if item.direction == 'in' else 'any' }}"
        to_ip: "{{ item.ip if item.direction == 'out' else 'any' }}"
        to_port: "{{ item.port }}"
      loop: "{{ check_ufw }}"
      loop_control: {label: "ufw {{ item.direction }} {{ item.proto }} {{ item.port }}"}
`

type ufwItem struct {
	Direction string `json:"direction"`
	Proto     string `json:"proto"`
	IP        string `json:"ip"`
	Port      string `json:"port"`
}

type icmpItem struct {
	IP   string `json:"ip"`
	Type string `json:"type"`
}

// checkItems are the distinct forms of some vars files.
type checkItems struct {
	Firewalld []string   `json:"check_firewalld"`
	ICMP      []icmpItem `json:"check_icmp"`
	Ufw       []ufwItem  `json:"check_ufw"`
}

func (c *checkItems) add(t *testing.T, vars []byte) {
	var v ansible.Vars
	if err := yaml.Unmarshal(vars, &v); err != nil {
		t.Fatal(err)
	}
	seenF, seenI, seenU := map[string]bool{}, map[icmpItem]bool{}, map[ufwItem]bool{}
	for _, f := range c.Firewalld {
		seenF[f] = true
	}
	for _, i := range c.ICMP {
		seenI[i] = true
	}
	for _, u := range c.Ufw {
		seenU[u] = true
	}
	for _, role := range []string{"master", "node", "frontend", "external"} {
		for _, r := range v.Rules[role] {
			for _, f := range r.Firewalld {
				if !seenF[f] {
					seenF[f] = true
					c.Firewalld = append(c.Firewalld, f)
				}
			}
			if r.ICMP != nil {
				i := icmpItem{v.RoleCIDRs[r.From].IPv4[0], r.ICMP.Firewalld}
				if !seenI[i] {
					seenI[i] = true
					c.ICMP = append(c.ICMP, i)
				}
			}
			for _, p := range r.Ufw {
				u := ufwItem{"in", r.Protocol, v.RoleCIDRs[r.From].IPv4[0], p}
				if r.Direction == "egress" {
					u = ufwItem{"out", r.Protocol, v.RoleCIDRs[r.To].IPv4[0], p}
				}
				if !seenU[u] {
					seenU[u] = true
					c.Ufw = append(c.Ufw, u)
				}
			}
		}
	}
}

// firewalldCheck validates the forms with firewalld's own functions (the
// module's check mode only splits port/protocol).
const firewalldCheck = `
import json, sys
from firewall.functions import check_port, checkProtocol
from firewall.core.rich import Rich_Rule
forms = json.load(open(sys.argv[1]))
bad = []
for form in forms["ports"]:
    port, _, proto = form.partition("/")
    if not (check_port(port) and checkProtocol(proto)):
        bad.append(form)
for t in forms["icmp"]:
    try:
        Rich_Rule(rule_str='rule family="ipv4" source address="10.0.0.0/8" icmp-type name="%s" accept' % t)
    except Exception as e:
        bad.append("%s: %s" % (t, e))
print(json.dumps(bad))
`

func runModules(t *testing.T, items *checkItems, wantOK bool) string {
	dir := t.TempDir()
	data, err := json.Marshal(items)
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "items.json"), data)
	write(t, filepath.Join(dir, "modules.yml"), []byte(modulesPlaybook))
	return playbook(t, dir, wantOK, "-i", "localhost,", "-e", "@items.json", "modules.yml", "--check")
}

// TestFirewalldAndUfwForms: the forms of the default document, the newest
// upstream version and a document with a rule over ufw's limit pass
// ansible.posix.firewalld and community.general.ufw in check mode (ufw's
// check mode runs `ufw --dry-run`, which rejects a bad port list) and
// firewalld's own port and rich-rule parsers (the module's check mode only
// splits port and protocol). A form over ufw's limit fails: the check can
// fail.
func TestFirewalldAndUfwForms(t *testing.T) {
	gentest.RequireSystem(t, "ansible-playbook", "ufw", "firewall-offline-cmd", "/usr/bin/python3")
	var items checkItems
	for _, doc := range []*spec.Document{gentest.Default(t), gentest.Seed(t), gentest.Newest(t), gentest.Small()} {
		// The forms take each rule's peer set's first address: the private
		// ranges stand for any.
		items.add(t, varsOf(t, gen.Request{Doc: doc, Options: []byte(`{"privateRanges":true}`)}))
	}
	out := runModules(t, &items, true)
	for task, want := range map[string]int{"firewalld port forms": len(items.Firewalld), "firewalld ICMP forms": len(items.ICMP), "ufw forms": len(items.Ufw)} {
		got := 0
		for _, l := range taskResults(out, task) {
			if strings.HasPrefix(l, "changed: [localhost] => (item=") {
				got++
			}
		}
		if got != want {
			t.Errorf("%s: %d forms checked, want %d", task, got, want)
		}
	}
	t.Logf("checked %d firewalld port forms, %d ICMP rich rules, %d ufw forms", len(items.Firewalld), len(items.ICMP), len(items.Ufw))

	data, _ := json.Marshal(map[string]any{"ports": items.Firewalld, "icmp": []string{items.ICMP[0].Type}})
	path := filepath.Join(t.TempDir(), "forms.json")
	write(t, path, data)
	res, err := exec.Command("/usr/bin/python3", "-c", firewalldCheck, path).CombinedOutput()
	if err != nil || strings.TrimSpace(string(res)) != "[]" {
		t.Errorf("firewalld rejects forms: %v %s", err, res)
	}
	// Rich_Rule accepts any icmp-type name; firewalld's own list of ICMP
	// types is what a real rule is resolved against.
	known, err := exec.Command("firewall-offline-cmd", "--get-icmptypes").Output()
	if err != nil {
		t.Fatalf("firewall-offline-cmd --get-icmptypes: %v", err)
	}
	types := strings.Fields(string(known))
	for _, it := range items.ICMP {
		if !slices.Contains(types, it.Type) {
			t.Errorf("ICMP form %q is not an ICMP type firewalld knows (%d known)", it.Type, len(types))
		}
	}

	t.Run("over the ufw limit fails", func(t *testing.T) {
		out := runModules(t, &checkItems{Firewalld: []string{}, ICMP: []icmpItem{}, Ufw: []ufwItem{{"in", "tcp", "10.0.0.0/8", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16"}}}, false)
		if !strings.Contains(out, "ERROR: Bad port '1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16'") {
			t.Errorf("the run failed, but not on ufw's port limit:\n%s", out)
		}
	})
}
