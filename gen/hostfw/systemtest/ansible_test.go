package systemtest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/portspec/portspec/gen"
	"github.com/portspec/portspec/gen/ansible"
	"github.com/portspec/portspec/internal/upstream"
)

// exampleDir is the example playbook in the repository.
func exampleDir(tb testing.TB) string {
	root := upstream.RepoRoot()
	if root == "" {
		tb.Fatal("cannot find the repository root")
	}
	return filepath.Join(root, "examples", "ansible")
}

// collectionsRoot is the folder holding ansible_collections/: the
// repository's root, where the collection portspec.firewall lives.
func collectionsRoot(tb testing.TB) string {
	root := upstream.RepoRoot()
	if root == "" {
		tb.Fatal("cannot find the repository root")
	}
	return root
}

// roleDir is the role portspec_firewall in the repository.
func roleDir(tb testing.TB) string {
	return filepath.Join(collectionsRoot(tb), "ansible_collections", "portspec", "firewall", "roles", "portspec_firewall")
}

// stageExample copies the example (playbook, ansible.cfg, inventory hosts)
// into a temporary folder and puts vars beside the inventory, where the
// committed example has its link to generated/ansible/group_vars. The
// staged ansible.cfg finds the collection in the repository, as the
// committed one does with its relative path.
func stageExample(t *testing.T, vars []byte) string {
	t.Helper()
	src, dir := exampleDir(t), t.TempDir()
	for _, rel := range []string{"playbook.yml", "ansible.cfg", "inventory/hosts"} {
		data, err := os.ReadFile(filepath.Join(src, rel))
		if err != nil {
			t.Fatal(err)
		}
		if rel == "ansible.cfg" {
			const committed = "collections_path = ../.."
			if !bytes.Contains(data, []byte(committed)) {
				t.Fatalf("examples/ansible/ansible.cfg: no %q line", committed)
			}
			data = bytes.Replace(data, []byte(committed), []byte("collections_path = "+collectionsRoot(t)), 1)
		}
		write(t, filepath.Join(dir, rel), data)
	}
	write(t, filepath.Join(dir, "inventory", ansible.VarsPath), vars)
	return dir
}

func write(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// playbook runs ansible-playbook in dir with a bounded time and returns its
// output; it fails the test when wantOK and the run fails, or the reverse.
func playbook(t *testing.T, dir string, wantOK bool, args ...string) string {
	t.Helper()
	return playbookIn(t, "", nil, dir, wantOK, args...)
}

// playbookIn is playbook run inside network namespace ns ("" for none),
// with extra environment variables.
func playbookIn(t *testing.T, ns string, env []string, dir string, wantOK bool, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	argv := append([]string{"ansible-playbook"}, args...)
	if ns != "" {
		argv = append([]string{"ip", "netns", "exec", ns}, argv...)
	}
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"ANSIBLE_NOCOLOR=1", "ANSIBLE_RETRY_FILES_ENABLED=0", "ANSIBLE_LOCALHOST_WARNING=0",
		"ANSIBLE_LOCAL_TEMP="+filepath.Join(dir, ".ansible-local"),
		"ANSIBLE_REMOTE_TEMP="+filepath.Join(dir, ".ansible-remote"),
	)
	cmd.Env = append(cmd.Env, env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if (err == nil) != wantOK {
		t.Fatalf("ansible-playbook %s: err %v, want ok=%v\n%s", strings.Join(args, " "), err, wantOK, out.String())
	}
	return out.String()
}

// taskResults returns the result lines ansible-playbook printed for the
// first task or handler whose name starts with task, with or without its
// role ("TASK [portspec.firewall.portspec_firewall : Check …]"): "ok:
// [host]", "changed: [host] => (item=…)", "skipping: [host]"; nil when no
// such task appeared. The header alone proves nothing: it is printed for a
// skipped task too.
func taskResults(out, task string) []string {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		name, ok := header(l)
		if !ok {
			continue
		}
		if _, inRole, found := strings.Cut(name, " : "); found {
			name = inRole
		}
		if !strings.HasPrefix(name, task) {
			continue
		}
		rest := lines[i+1:]
		for j, l := range rest {
			if _, ok := header(l); ok || strings.HasPrefix(l, "PLAY ") {
				return rest[:j]
			}
		}
		return rest
	}
	return nil
}

// header returns the name in a task's or handler's header line.
func header(line string) (string, bool) {
	for _, h := range []string{"TASK [", "RUNNING HANDLER ["} {
		if strings.HasPrefix(line, h) {
			name, _, _ := strings.Cut(line[len(h):], "] ")
			return strings.TrimSuffix(name, "]"), true
		}
	}
	return "", false
}

// ran reports whether task ran (ok or changed) on host.
func ran(out, task, host string) bool {
	for _, l := range taskResults(out, task) {
		if strings.HasPrefix(l, "ok: ["+host+"]") || strings.HasPrefix(l, "changed: ["+host+"]") {
			return true
		}
	}
	return false
}

func varsOf(t *testing.T, req gen.Request) []byte {
	t.Helper()
	out, err := ansible.New().Generate(req)
	if err != nil {
		t.Fatal(err)
	}
	return out.Files[0].Data
}
