package nftables

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/spec"
)

// exampleCIDRs are role sets for the tests (those of portspec.yaml).
const exampleCIDRs = `"cidrs":{"master":["10.201.0.0/29"],"node":["10.201.1.0/24"],"frontend":["10.201.2.0/28"]}`

// generate runs the target with opts, a JSON object's members (the
// example role sets unless opts names cidrs or privateRanges).
func generate(t *testing.T, doc *spec.Document, opts string) []gen.File {
	t.Helper()
	if !strings.Contains(opts, `"cidrs"`) && !strings.Contains(opts, `"privateRanges"`) {
		opts = strings.TrimPrefix(exampleCIDRs+","+opts, ",")
		opts = strings.TrimSuffix(opts, ",")
	}
	req := gen.Request{Doc: doc, Dir: "nftables", Options: json.RawMessage("{" + opts + "}")}
	out, err := New().Generate(req)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range out.Files {
		names = append(names, f.Path)
		if !gen.IsGenerated(f.Data) {
			t.Errorf("%s: no generated-file header", f.Path)
		}
	}
	if d := cmp.Diff([]string{"master.nft", "node.nft", "frontend.nft", UnitName}, names); d != "" {
		t.Fatalf("files (-want +got):\n%s", d)
	}
	return out.Files
}

func TestGolden(t *testing.T) {
	gentest.Golden(t, "testdata/default.txtar", generate(t, gentest.Default(t), ""))
	t.Run("small", func(t *testing.T) {
		gentest.Golden(t, "testdata/small.txtar", generate(t, gentest.Small(), `"privateRanges":true,"output_policy":"drop","table":"fw","log":true`))
	})
	t.Run("audit", func(t *testing.T) {
		gentest.Golden(t, "testdata/audit.txtar", generate(t, gentest.Small(), `"mode":"audit","output_policy":"drop"`)[:1])
	})
}

func TestDeterministic(t *testing.T) {
	a := generate(t, gentest.Default(t), "")
	for range 5 {
		if d := cmp.Diff(a, generate(t, gentest.Default(t), "")); d != "" {
			t.Fatalf("two runs differ:\n%s", d)
		}
	}
}

// code drops the comment lines: what nft reads.
func code(data []byte) string {
	var b strings.Builder
	for _, l := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			b.WriteString(l + "\n")
		}
	}
	return b.String()
}

// TestHostilePurposesStayInComments: hostile purposes (and source name)
// change no line nft reads, and each appears whole on its comment line.
func TestHostilePurposesStayInComments(t *testing.T) {
	plain := generate(t, gentest.Small(), "")
	hostile := generate(t, gentest.WithHostile(gentest.Small()), "")
	for i := range plain {
		if d := cmp.Diff(code(plain[i].Data), code(hostile[i].Data)); d != "" {
			t.Errorf("%s: hostile purposes changed the ruleset (-plain +hostile):\n%s", plain[i].Path, d)
		}
		if n, m := bytes.Count(plain[i].Data, []byte("\n")), bytes.Count(hostile[i].Data, []byte("\n")); n != m {
			t.Errorf("%s: %d lines, hostile %d", plain[i].Path, n, m)
		}
	}
	if !bytes.Contains(hostile[0].Data, []byte("\t\t# MastersToMasters: {{ lookup('pipe', 'id') }}\n")) {
		t.Errorf("master.nft lacks the hostile purpose on its comment line:\n%s", hostile[0].Data)
	}
}

func TestRolesAndPolicy(t *testing.T) {
	files := generate(t, gentest.Small(), `"cidrs":{"master":["192.0.2.1"],"node":["192.0.2.2"],"frontend":["192.0.2.3"]}`)
	byName := map[string]string{}
	for _, f := range files {
		byName[f.Path] = string(f.Data)
	}
	for name, want := range map[string][]string{
		"master.nft":   {"tcp dport { 2379, 2380 }", "tcp dport { 10250 }", "icmp type echo-request", "policy drop;", "udp dport { 53 }"},
		"node.nft":     {"tcp dport { 10250 }", "tcp dport { 7000-7999 }"},
		"frontend.nft": {"tcp dport { 80, 443 }", "tcp dport { 10250 }"},
	} {
		for _, w := range want {
			if !strings.Contains(byName[name], w) {
				t.Errorf("%s lacks %q", name, w)
			}
		}
	}
	for name, absent := range map[string][]string{
		"node.nft":     {"2379", "6443", "dport { 80, 443 }"},
		"frontend.nft": {"2379", "6443"},
	} {
		for _, a := range absent {
			if strings.Contains(byName[name], a) {
				t.Errorf("%s has %q", name, a)
			}
		}
	}
	if !strings.Contains(byName["master.nft"], "elements = { 192.0.2.1/32, 192.0.2.2/32, 192.0.2.3/32 }") {
		t.Errorf("node set is not the union of the cluster roles:\n%s", byName["master.nft"])
	}
	for _, f := range files {
		if strings.Contains(string(f.Data), "flush") {
			t.Errorf("%s flushes", f.Path)
		}
	}
}

// TestRoleSetsRequired: with no options at all the target writes nothing
// and says which option to set; options without the cluster roles' sets
// are an error naming each one.
func TestRoleSetsRequired(t *testing.T) {
	out, err := New().Generate(gen.Request{Doc: gentest.Small()})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Files) != 0 || len(out.Warnings) != 1 || !strings.Contains(out.Warnings[0], "targets.nftables.cidrs is not set: no rulesets written") ||
		!strings.Contains(out.Warnings[0], "privateRanges: true") {
		t.Errorf("no options: %d files, warnings %q", len(out.Files), out.Warnings)
	}
	_, err = New().Generate(gen.Request{Doc: gentest.Small(), Options: json.RawMessage(`{"table":"fw","cidrs":{"master":["192.0.2.1"]}}`)})
	for _, frag := range []string{"targets.nftables.cidrs.node: missing", "targets.nftables.cidrs.frontend: missing"} {
		if err == nil || !strings.Contains(err.Error(), frag) {
			t.Errorf("error lacks %q: %v", frag, err)
		}
	}
}

// TestSourcesAreTheClients: no rule accepts everything from the pod or
// service subnets; the pod set is a source exactly of the rows whose
// clients are pods; the service subnet is nowhere.
func TestSourcesAreTheClients(t *testing.T) {
	files := generate(t, gentest.Default(t), "")
	master := string(files[0].Data)
	for _, absent := range []string{"10.222.", "ip saddr @pod_v4 accept", "ip saddr @trusted_v4 tcp"} {
		if strings.Contains(master, absent) {
			t.Errorf("master.nft has %q", absent)
		}
	}
	for _, want := range []string{
		"\t\tip saddr @pod_v4 tcp dport { 6443 } counter accept\n",          // every pod, through the kubernetes Service
		"\t\tip saddr @pod_v4 tcp dport { 10250 } counter accept\n",         // Prometheus scrapes the kubelet
		"\t\tip saddr @pod_v4 tcp dport { 4206 } counter accept\n",          // node-exporter metrics
		"\t\tip saddr @master_v4 tcp dport { 2379, 2380 } counter accept\n", // etcd: masters only
		"\t\tip saddr @node_v4 tcp dport { 4219 } counter accept\n",         // joining nodes: the node set
		"\tset pod_v4 {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\tauto-merge\n\t\telements = { 10.111.0.0/16 }\n",
		"\tset trusted_v4 {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\tauto-merge\n\t}\n",
		"# clients: host of master; pods in d8-monitoring with app.kubernetes.io/name=prometheus,prometheus=main\n",
	} {
		if !strings.Contains(master, want) {
			t.Errorf("master.nft lacks %q", want)
		}
	}
	for _, absent := range []string{"@pod_v4 tcp dport { 2379", "@pod_v4 tcp dport { 4234", "@pod_v4 udp", "@pod_v4 icmp", "@pod_v4 tcp dport { 7000-7999 }", "@pod_v4 tcp dport { 4227 }"} {
		if strings.Contains(master, absent) {
			t.Errorf("master.nft accepts pods where no pod is a client: %q", absent)
		}
	}
	// The NodePort row says what governs it.
	frontend := string(files[2].Data)
	i := strings.Index(frontend, "# ExternalToFrontends: NodePort range")
	if i < 0 {
		t.Fatalf("frontend.nft has no NodePort row:\n%s", frontend)
	}
	note := frontend[i : i+strings.Index(frontend[i:], "ip saddr")]
	for _, frag := range []string{"FORWARD", "IPVS", "eBPF before netfilter", "health-check node port"} {
		if !strings.Contains(note, frag) {
			t.Errorf("NodePort comment lacks %q:\n%s", frag, note)
		}
	}
}

// TestLogAndAudit: log adds the rate-limited log before a drop policy;
// audit makes every drop policy accept and logs instead.
func TestLogAndAudit(t *testing.T) {
	const logLine = "\t\tcounter limit rate 5/minute log prefix \"portspec drop: \"\n\t}\n"
	plain := string(generate(t, gentest.Small(), "")[0].Data)
	if strings.Contains(plain, "log prefix") {
		t.Errorf("logs without log: true")
	}
	logged := string(generate(t, gentest.Small(), `"log":true,"output_policy":"drop"`)[0].Data)
	if strings.Count(logged, logLine) != 2 || !strings.Contains(logged, "policy drop;") {
		t.Errorf("log: want the log line before both drop policies:\n%s", logged)
	}
	audit := string(generate(t, gentest.Small(), `"mode":"audit","output_policy":"drop"`)[0].Data)
	if strings.Contains(audit, "policy drop;") || strings.Count(audit, "log prefix \"portspec audit: \"\n\t}\n") != 2 {
		t.Errorf("audit: want no drop policy and the audit log before both policies:\n%s", audit)
	}
	if d := cmp.Diff(strings.Count(plain, "counter accept"), strings.Count(audit, "counter accept")); d != "" {
		t.Errorf("audit changed the rules: %s", d)
	}
}

// TestUnit: the boot unit loads the ruleset path and deletes its own table
// only, after nftables.service and before the network.
func TestUnit(t *testing.T) {
	files := generate(t, gentest.Small(), `"table":"fw"`)
	unit := string(files[len(files)-1].Data)
	for _, want := range []string{
		"ExecStart=/usr/sbin/nft -f /etc/nftables.d/portspec.nft\n",
		"ExecReload=/usr/sbin/nft -f /etc/nftables.d/portspec.nft\n",
		"ExecStop=-/usr/sbin/nft delete table inet fw\n",
		"Before=network-pre.target shutdown.target\n",
		"After=nftables.service\n",
		"ReloadPropagatedFrom=nftables.service\n",
		"WantedBy=sysinit.target\n",
	} {
		if !strings.Contains(unit, want) {
			t.Errorf("unit lacks %q:\n%s", want, unit)
		}
	}
	if strings.Contains(code([]byte(unit)), "flush") {
		t.Errorf("unit flushes:\n%s", unit)
	}
}
