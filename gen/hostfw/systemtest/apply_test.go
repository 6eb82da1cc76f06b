package systemtest

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/ansible"
	"github.com/portspec/portspec/gen/nftables"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/internal/upstream"
)

// foreignTables stand for kube-proxy's and a CNI's rules, which loading
// portspec's ruleset must leave alone.
const foreignTables = `table ip kubesim {
	chain prerouting {
		type nat hook prerouting priority dstnat; policy accept;
		tcp dport 30080 counter
	}
}
table inet cnisim {
	chain input {
		type filter hook input priority filter - 5; policy accept;
		iifname "lxc*" counter
	}
}
`

// TestExampleAppliesInNamespace runs the example playbook (the role
// portspec_firewall) inside a network namespace of its own: in check mode
// (loads and installs nothing), then with portspec_firewall_load=true,
// twice: with the default document's vars, then with the newest
// version's. The second load must replace portspec's table (a port only
// the default document has is gone, one only the newest has is there) and
// both loads must leave the other tables alone.
func TestExampleAppliesInNamespace(t *testing.T) {
	gentest.RequireSystem(t, "ansible-playbook", "nft", "ip")
	ns := fmt.Sprintf("psfw%d-apply", os.Getpid())
	if out, err := exec.Command("ip", "netns", "add", ns).CombinedOutput(); err != nil {
		upstream.Missing(t, fmt.Sprintf("cannot make a network namespace: %v %s", err, bytes.TrimSpace(out)))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", ns).CombinedOutput(); err != nil {
			t.Errorf("cleanup: %v %s", err, out)
		}
	})
	nft := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("ip", append([]string{"netns", "exec", ns, "nft"}, args...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("nft %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	foreign := filepath.Join(t.TempDir(), "foreign.nft")
	write(t, foreign, []byte(foreignTables))
	nft("-f", foreign)
	before := nft("list", "table", "ip", "kubesim") + nft("list", "table", "inet", "cnisim")

	dir := stageExample(t, varsOf(t, gen.Request{Doc: gentest.Default(t)}))
	// Check mode, asked to load: it checks the ruleset and changes nothing.
	out := playbookIn(t, ns, nil, dir, true, "-i", "inventory", "playbook.yml", "--limit", "master-1", "--check", "-e", "portspec_firewall_load=true")
	if !ran(out, "Check the ruleset with nft", "master-1") {
		t.Errorf("check mode in the namespace skipped the nft check:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); err == nil {
		t.Errorf("check mode installed the ruleset")
	}
	if out, err := exec.Command("ip", "netns", "exec", ns, "nft", "list", "table", "inet", "portspec").CombinedOutput(); err == nil {
		t.Fatalf("check mode loaded the table:\n%s", out)
	}
	// Installed without loading first: the next run with apply must load.
	playbookIn(t, ns, nil, dir, true, "-i", "inventory", "playbook.yml", "--limit", "master-1")
	if out, err := exec.Command("ip", "netns", "exec", ns, "nft", "list", "table", "inet", "portspec").CombinedOutput(); err == nil {
		t.Fatalf("loaded without portspec_firewall_load:\n%s", out)
	}
	// ansible-playbook runs inside the namespace, so its `nft -f` loads there.
	apply := func() string {
		t.Helper()
		out := playbookIn(t, ns, nil, dir, true, "-i", "inventory", "playbook.yml", "--limit", "master-1", "-e", "portspec_firewall_load=true")
		if !ran(out, "Load the portspec table with nft", "master-1") {
			t.Fatalf("the handler that loads the table did not run:\n%s", out)
		}
		return nft("list", "table", "inet", "portspec")
	}
	first := apply()
	if !strings.Contains(first, "22322") || strings.Contains(first, "dport 179 ") {
		t.Errorf("after loading the default document's ruleset:\n%s", first)
	}
	// The sets are the inventory's addresses (the vars name no cidrs;
	// auto-merge joins the three nodes into one range).
	if !strings.Contains(first, "elements = { 10.201.0.1-10.201.0.3 }") || !strings.Contains(first, "elements = { 10.201.0.1 }") {
		t.Errorf("the node set is not the inventory's hosts:\n%s", first)
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "master-1", nftables.UnitName)); err != nil {
		t.Errorf("the boot unit was not installed: %v", err)
	}
	write(t, filepath.Join(dir, "inventory", ansible.VarsPath), varsOf(t, gen.Request{Doc: gentest.Newest(t)}))
	second := apply()
	if strings.Contains(second, "22322") || !strings.Contains(second, "dport 179 ") {
		t.Errorf("the newest document's ruleset did not replace the table:\n%s", second)
	}
	// A run with nothing new changes nothing and loads nothing.
	out = playbookIn(t, ns, nil, dir, true, "-i", "inventory", "playbook.yml", "--limit", "master-1", "-e", "portspec_firewall_load=true")
	if !strings.Contains(out, "changed=0") {
		t.Errorf("a second run with the same vars changed something:\n%s", out)
	}
	if after := nft("list", "table", "ip", "kubesim") + nft("list", "table", "inet", "cnisim"); after != before {
		t.Errorf("foreign tables changed:\n-- before --\n%s\n-- after --\n%s", before, after)
	}
	if tables := nft("list", "tables"); strings.Count(tables, "table ") != 3 {
		t.Errorf("want kubesim, cnisim and portspec, got:\n%s", tables)
	}
}
