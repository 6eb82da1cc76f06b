package systemtest

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/portspec/portspec/internal/gentest"
)

// report is the part of the JSON report the tests read.
type report struct {
	Clean    bool     `json:"clean"`
	Verdict  bool     `json:"verdict"`
	Checked  int      `json:"checked"`
	Summary  string   `json:"summary"`
	Errors   []string `json:"errors"`
	Notes    []string `json:"notes"`
	Findings []struct {
		Key    string   `json:"key"`
		Kind   string   `json:"kind"`
		Where  []string `json:"where"`
		Who    []string `json:"who"`
		State  string   `json:"state"`
		Detail string   `json:"detail"`
		Entry  *struct {
			Group, Protocol, Ports string
		} `json:"entry"`
	} `json:"findings"`
}

func decode(t *testing.T, out string) report {
	t.Helper()
	var r report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not a JSON report: %v\n%s", err, out)
	}
	return r
}

// TestVerifyNode starts listeners in a namespace of its own: documented
// ports (kubelet, VXLAN, node-exporter on one address), undocumented ones
// (TCP 8080 on every address of both families, UDP 9999), loopback-only
// ones. portspec verify, run inside the namespace, lists exactly the
// undocumented ones, each with the process that holds it, and the entry
// that would document it.
func TestVerifyNode(t *testing.T) {
	gentest.RequireSystem(t, "ip", "go")
	l := newLab(t)
	l.add("n")
	l.add("o") // the other end of the link: the node needs a real address
	l.link("n", "eth0", "10.202.0.1", "fd00:202::1", "o", "eth0", "10.202.0.2", "fd00:202::2")
	kubelet := l.listen("n", "psv-kubelet", "tcp :10250", "udp 0.0.0.0:8472", "tcp 10.202.0.1:4206")
	app := l.listen("n", "psv-app", "tcp [::]:8080", "tcp 127.0.0.1:7777")
	agent := l.listen("n", "psv-agent", "udp4 0.0.0.0:9999", "tcp [::1]:7778", "udp 127.0.0.1:7779")
	l.listen("o", "psv-elsewhere", "tcp :5555") // another namespace: not this node's

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	type row struct{ Key, Who, Entry string }
	undocumented := func(r report) []row {
		var out []row
		for _, f := range r.Findings {
			if f.Kind == "undocumented" {
				out = append(out, row{f.Key, strings.Join(f.Who, ","), f.Entry.Group + " " + f.Entry.Protocol + " " + f.Entry.Ports})
			}
		}
		return out
	}
	for _, role := range []string{"node", "master"} {
		group := map[string]string{"node": "NodesToNodes", "master": "NodesToMasters"}[role]
		code, out, errOut := l.portspec(ctx, "n", "verify", "--role", role, "--format", "json")
		if code != 1 {
			t.Fatalf("--role %s: exit %d, want 1\n%s\n%s", role, code, out, errOut)
		}
		r := decode(t, out)
		want := []row{
			{"TCP/8080", fmt.Sprintf("psv-app[%d]", app), group + " TCP 8080"},
			{"UDP/9999", fmt.Sprintf("psv-agent[%d]", agent), group + " UDP 9999"},
		}
		if d := cmp.Diff(want, undocumented(r)); d != "" {
			t.Errorf("--role %s: undocumented listeners (-want +got):\n%s", role, d)
		}
		if r.Checked != 5 || r.Clean {
			t.Errorf("--role %s: %d listeners checked (want 5: 10250, 8472, 4206, 8080, 9999), clean %v: %s", role, r.Checked, r.Clean, r.Summary)
		}
		for _, f := range r.Findings {
			if f.Kind == "idle" && slices.Contains([]string{"TCP/10250", "UDP/8472", "TCP/4206"}, f.Key) {
				t.Errorf("--role %s: %s is idle, yet psv-kubelet[%d] listens on it", role, f.Key, kubelet)
			}
			if strings.Contains(f.Key, "/777") || f.Key == "TCP/5555" {
				t.Errorf("--role %s: %s is a finding (loopback, or another namespace)", role, f.Key)
			}
		}
	}

	code, out, errOut := l.portspec(ctx, "n", "verify", "--ignore", "TCP/8080", "--ignore", "9999/udp")
	if code != 0 || !strings.Contains(out, "all as documented;") || !strings.Contains(out, ", 2 ignored") {
		t.Errorf("with both ignored: exit %d, want 0\n%s\n%s", code, out, errOut)
	}
	code, out, _ = l.portspec(ctx, "n", "verify")
	for _, frag := range []string{"undocumented:  TCP/8080 on :: by psv-app", "to document it: NodesToNodes TCP 8080 (psv-app)", "undocumented:  UDP/9999 on 0.0.0.0 by psv-agent"} {
		if code != 1 || !strings.Contains(out, frag) {
			t.Errorf("text report: exit %d, lacks %q:\n%s", code, frag, out)
		}
	}
	t.Logf("portspec verify in the namespace:\n%s", out)
}
