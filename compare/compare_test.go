package compare

import (
	"fmt"
	"go/token"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/portspec/portspec/spec"
)

// Small documents built by hand: each rule is "PROTO PORTS | en purpose |
// ru purpose" (ru optional), ports "80,443" or "7000-7999" or "" for ICMP.

type tgroup struct {
	id    string
	rules []string
}

func tdoc(src string, langs []string, groups ...tgroup) *spec.Document {
	d := &spec.Document{Source: src, Kind: "data", SHA256: "x", Languages: langs}
	line := 1
	for _, tg := range groups {
		k, ok := spec.LookupGroup(tg.id)
		g := spec.Group{ID: tg.id, Known: ok, From: k.From, To: k.To, Direction: k.Direction,
			Titles: map[string]string{"en": tg.id + " title"}, Pos: token.Position{Filename: src, Line: line, Column: 1}}
		line++
		for _, rs := range tg.rules {
			parts := strings.Split(rs, "|")
			head := strings.Fields(parts[0])
			r := spec.Rule{Pos: token.Position{Filename: src, Line: line, Column: 1}}
			line++
			switch head[0] {
			case "TCP":
				r.Protocol = spec.TCP
			case "UDP":
				r.Protocol = spec.UDP
			case "ICMP":
				r.Protocol = spec.ICMP
			}
			if len(head) > 1 {
				for _, p := range strings.Split(head[1], ",") {
					var pr spec.PortRange
					if a, b, ok := strings.Cut(p, "-"); ok {
						pr = spec.PortRange{First: atou(a), Last: atou(b)}
					} else {
						pr = spec.PortRange{First: atou(p), Last: atou(p)}
					}
					r.Ports = append(r.Ports, pr)
				}
			}
			for i, l := range langs {
				if i+1 < len(parts) {
					t := strings.TrimSpace(parts[i+1])
					r.Purposes.Set(l, spec.Purpose{Text: t, Markdown: t})
				}
			}
			g.Rules = append(g.Rules, r)
		}
		d.Groups = append(d.Groups, g)
	}
	return d
}

func atou(s string) uint16 {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return uint16(n)
}

var en, enru = []string{"en"}, []string{"en", "ru"}

// brief lists changes as "kind key" lines, which is what most tests assert.
func brief(d *Report) []string {
	var out []string
	for _, c := range d.Changes {
		out = append(out, c.Severity.String()+" "+c.Key())
	}
	return out
}

func TestCompareEqualAcrossForms(t *testing.T) {
	data := tdoc("data.yml", enru,
		tgroup{"MastersToMasters", []string{"TCP 2379,2380 | etcd replication | Репликация etcd", "TCP 4200 | Cluster API webhook handler | Webhook"}},
		tgroup{"NodesToNodes", []string{"ICMP | ICMP for monitoring | ICMP", "TCP 7000-7999 | DRBD | DRBD"}},
		tgroup{"NodesToMasters", []string{"TCP 6443 | kube-apiserver for node's host network | x"}},
	)
	// The same state as rendered markdown: English only, other positions,
	// another source and kind, headings worded differently, rows reordered,
	// a list split into rows, typographic quote and emphasis left over.
	md := tdoc("page.md", en,
		tgroup{"MastersToMasters", []string{"TCP 4200 | Cluster API webhook handler.", "TCP 2379 | etcd replication", "TCP 2380 | etcd  replication"}},
		tgroup{"NodesToMasters", []string{"TCP 6443 | *kube-apiserver* for node’s host network"}},
		tgroup{"NodesToNodes", []string{"TCP 7000-7999 | DRBD", "ICMP | ICMP for monitoring"}},
	)
	md.Kind, md.SHA256 = "markdown", "y"
	for i := range md.Groups {
		md.Groups[i].Titles = map[string]string{"en": "Something else"}
	}
	if d := Documents(data, md); !d.Empty() {
		t.Errorf("data vs markdown of the same state: want no changes, got %q", brief(d))
	}
	if d := Documents(md, data); !d.Empty() {
		t.Errorf("markdown vs data of the same state: want no changes, got %q", brief(d))
	}
	if d := Documents(data, data); !d.Empty() || len(d.Notes) != 0 {
		t.Errorf("a document vs itself: got %q, notes %q", brief(d), d.Notes)
	}
}

func TestCompareKinds(t *testing.T) {
	old := tdoc("old.yml", enru,
		tgroup{"MastersToNodes", []string{
			"TCP 9680 | runtime-audit-engine webhook | вебхук",
			"TCP 10250 | kubelet | kubelet",
			"TCP 8443 | ingress webhook | вебхук ingress",
			"UDP 53 | DNS | DNS",
			"TCP 10354,10355 | cloud provider | облако",
		}},
		tgroup{"NodesToMasters", []string{"TCP 6443 | kube-apiserver | kube-apiserver"}},
		tgroup{"NodesToNodes", []string{"UDP 123 | NTP for time synchronization between nodes | NTP", "TCP 4205 | ebpf-exporter metrics | метрики"}},
		tgroup{"ExternalToMaster", []string{"TCP 22322 | SSH | SSH"}},
	)
	new := tdoc("new.yml", enru,
		tgroup{"MastersToNodes", []string{
			"TCP 4227 | runtime-audit-engine webhook handler | Вебхук-обработчик",
			"TCP 10250 | kubelet | kubelet",
			"UDP 53 | DNS | DNS",
			"TCP 53 | DNS | DNS",
			"TCP 4207,4208 | cloud provider | облако",
			"TCP 4300 | something new | новое",
		}},
		tgroup{"NodesToMasters", []string{"TCP 6443 | kube-apiserver | kube-apiserver", "UDP 4234 | NTP for time synchronization between nodes | NTP"}},
		tgroup{"NodesToNodes", []string{"TCP 4205 | oom-kills-exporter metrics | метрики"}},
		tgroup{"ExternalToFrontends", []string{"TCP 80,443 | ingress | ingress"}},
	)
	got := brief(Documents(old, new))
	want := []string{
		"drift moved MastersToNodes TCP/10354,10355 -> MastersToNodes TCP/4207,4208",
		"drift moved MastersToNodes TCP/9680 -> MastersToNodes TCP/4227",
		"drift port-added MastersToNodes TCP/4300",
		"drift protocol-added MastersToNodes TCP/53",
		"drift port-removed MastersToNodes TCP/8443",
		"drift moved NodesToNodes UDP/123 -> NodesToMasters UDP/4234",
		"warning purpose-changed NodesToNodes TCP/4205 en",
		"drift group-added ExternalToFrontends",
		"drift port-added ExternalToFrontends TCP/80,443",
		"drift group-removed ExternalToMaster",
		"drift port-removed ExternalToMaster TCP/22322",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

func TestCompareMoveDetails(t *testing.T) {
	old := tdoc("old.yml", en,
		tgroup{"NodesToMasters", []string{"TCP 6443 | kube-apiserver"}},
		tgroup{"NodesToNodes", []string{"UDP 123 | NTP between nodes", "TCP 7946,7947 | metallb speakers"}})
	new := tdoc("new.yml", en,
		tgroup{"NodesToMasters", []string{"TCP 6443 | kube-apiserver", "UDP 4234 | NTP between nodes"}},
		tgroup{"NodesToNodes", []string{"TCP 4218 | metallb speakers"}})
	d := Documents(old, new)
	if len(d.Changes) != 2 {
		t.Fatalf("want 2 moves, got %q", brief(d))
	}
	ntp := d.Changes[0]
	if ntp.Kind != PortMoved || ntp.OldGroup != "NodesToNodes" || ntp.Group != "NodesToMasters" ||
		ntp.OldTo != spec.RoleNode || ntp.To != spec.RoleMaster || ntp.Pos.Line != 3 || ntp.OldPos.Line != 4 ||
		ntp.Pos.Filename != "new.yml" {
		t.Errorf("NTP move: %+v", ntp)
	}
	mlb := d.Changes[1]
	if diff := cmp.Diff([]spec.PortRange{{First: 7946, Last: 7946}, {First: 7947, Last: 7947}}, mlb.OldPorts); diff != "" || len(mlb.Ports) != 1 || mlb.Ports[0].First != 4218 {
		t.Errorf("metallb move: old %v new %v", mlb.OldPorts, mlb.Ports)
	}
	// Per role, the NTP move shows under the node's firewall (closed there)
	// and the master's (opened there).
	var b strings.Builder
	if err := d.WriteText(&b, ByRole); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"master, ingress\n  drift:   move 123/UDP [NodesToNodes] → 4234/UDP [NodesToMasters] from node",
		"node, ingress\n  drift:   move 7946, 7947/TCP → 4218/TCP from node [NodesToNodes]",
		"key: moved NodesToNodes TCP/7946,7947 -> NodesToNodes TCP/4218\n  drift:   close 123/UDP from node [NodesToNodes] (moved to NodesToMasters as 4234/UDP)",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("by-role report lacks %q:\n%s", want, b.String())
		}
	}
}

// TestFirewallsAndActions: the per-firewall sections that the text report
// and the report pages share, with what each change means on each.
func TestFirewallsAndActions(t *testing.T) {
	old := tdoc("old.yml", en,
		tgroup{"NodesToMasters", []string{"TCP 6443 | kube-apiserver"}},
		tgroup{"NodesToNodes", []string{"UDP 123 | NTP between nodes", "TCP 4300 | gone"}})
	new := tdoc("new.yml", en,
		tgroup{"NodesToMasters", []string{"TCP 6443 | kube-apiserver", "UDP 4234 | NTP between nodes"}},
		tgroup{"NodesToNodes", []string{"TCP 4301 | new thing"}})
	var got []string
	for _, f := range Documents(old, new).Firewalls() {
		for _, c := range f.Changes {
			got = append(got, fmt.Sprintf("%s %s: %s %s", f.Role, f.Direction, c.ActionFor(f.Role), c.Key()))
		}
	}
	want := []string{
		"master ingress: move moved NodesToNodes UDP/123 -> NodesToMasters UDP/4234",
		"node ingress: open port-added NodesToNodes TCP/4301",
		"node ingress: close moved NodesToNodes UDP/123 -> NodesToMasters UDP/4234",
		"node ingress: close port-removed NodesToNodes TCP/4300",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("firewalls (-want +got):\n%s", d)
	}
}

func TestCompareUnrelatedPurposesAreNoMove(t *testing.T) {
	old := tdoc("old.yml", en, tgroup{"NodesToMasters", []string{"TCP 9889 | Deckhouse controller metrics"}})
	new := tdoc("new.yml", en, tgroup{"NodesToMasters", []string{"TCP 4203 | machine-controller-manager metrics"}})
	want := []string{"drift port-added NodesToMasters TCP/4203", "drift port-removed NodesToMasters TCP/9889"}
	if diff := cmp.Diff(want, brief(Documents(old, new))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestCompareNoSharedLanguage(t *testing.T) {
	old := tdoc("old.yml", []string{"ru"}, tgroup{"NodesToNodes", []string{"UDP 123 | NTP"}})
	new := tdoc("new.yml", en, tgroup{"NodesToNodes", []string{"UDP 4234 | NTP"}})
	d := Documents(old, new)
	if len(d.Notes) != 1 || !strings.Contains(d.Notes[0], "share no language") {
		t.Errorf("notes: %q", d.Notes)
	}
	// Without a shared language there are no moves, only ports.
	want := []string{"drift port-added NodesToNodes UDP/4234", "drift port-removed NodesToNodes UDP/123"}
	if diff := cmp.Diff(want, brief(d)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestCompareRolesChanged(t *testing.T) {
	old := tdoc("old.yml", en, tgroup{"NodesToExternal", []string{"UDP 53 | DNS"}})
	new := tdoc("new.yml", en, tgroup{"NodesToExternal", []string{"UDP 53 | DNS"}})
	new.Groups[0].Direction = spec.Ingress
	got := brief(Documents(old, new))
	if diff := cmp.Diff([]string{"drift roles-changed NodesToExternal"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestAcknowledgeAndFailing(t *testing.T) {
	old := tdoc("old.yml", en, tgroup{"NodesToNodes", []string{"UDP 123 | NTP", "TCP 4205 | ebpf-exporter"}})
	new := tdoc("new.yml", en, tgroup{"NodesToNodes", []string{"UDP 4234 | NTP", "TCP 4205 | oom-kills-exporter"}})
	d := Documents(old, new)
	if n := len(d.Failing(false)); n != 1 {
		t.Fatalf("failing (not strict): want the move, got %d in %q", n, brief(d))
	}
	if n := len(d.Failing(true)); n != 2 {
		t.Fatalf("failing (strict): want 2, got %d", n)
	}
	unused := d.Acknowledge([]string{"moved NodesToNodes UDP/123 -> NodesToNodes UDP/4234", "port-added NodesToNodes TCP/1"})
	if diff := cmp.Diff([]string{"port-added NodesToNodes TCP/1"}, unused); diff != "" {
		t.Errorf("unused keys (-want +got):\n%s", diff)
	}
	if n := len(d.Failing(false)); n != 0 {
		t.Errorf("after acknowledging the move: %d failing", n)
	}
	if n := len(d.Failing(true)); n != 1 {
		t.Errorf("strict after acknowledging the move: want the purpose warning, got %d", n)
	}
}
