package release

import (
	"archive/tar"
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"debug/elf"
	"debug/macho"
	"encoding/hex"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/portspec/portspec/internal/gentest"
	"github.com/portspec/portspec/internal/upstream"
)

// releaseTargets are the platforms .goreleaser.yaml builds.
var releaseTargets = []struct{ goos, goarch string }{
	{"linux", "amd64"}, {"linux", "arm64"}, {"darwin", "amd64"}, {"darwin", "arm64"},
}

// TestReleaseSnapshot runs the pinned goreleaser (Makefile GORELEASER)
// offline: `check` over .goreleaser.yaml, then `release --snapshot`, which
// builds and archives without publishing, into a folder of its own. The
// archives are one per platform with a binary of that platform, the
// checksums file lists each with its sha256, and the host's binary runs.
// The first run cross-compiles the CLI four times (minutes on two cores);
// later runs take it from the build cache.
func TestReleaseSnapshot(t *testing.T) {
	gentest.RequireTools(t, "go", "git")
	root := upstream.RepoRoot()
	pin := gentest.Pinned(t, "GORELEASER")
	// Any request to the network fails at once: nothing listens there.
	offline := []string{"HTTP_PROXY=http://127.0.0.1:9", "HTTPS_PROXY=http://127.0.0.1:9", "GOFLAGS=-buildvcs=false"}
	if out, err := gentest.GoRun(t, root, offline, 5*time.Minute, pin, "check"); err != nil {
		t.Fatalf("goreleaser check: %v\n%s", err, out)
	}

	cfg, err := os.ReadFile(filepath.Join(root, ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(cfg, []byte("\ndist:")) {
		t.Fatal(".goreleaser.yaml names dist: the test puts its own")
	}
	tmp := t.TempDir()
	dist := filepath.Join(tmp, "dist")
	cfgPath := filepath.Join(tmp, "goreleaser.yaml")
	if err := os.WriteFile(cfgPath, append(cfg, []byte("\ndist: "+dist+"\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out, err := gentest.GoRun(t, root, offline, 20*time.Minute, pin, "release", "--snapshot", "--clean", "--config", cfgPath)
	if err != nil {
		t.Fatalf("goreleaser release --snapshot: %v\n%s", err, out)
	}
	t.Logf("goreleaser release --snapshot took %s", time.Since(start).Round(time.Second))

	sums := map[string]string{}
	f, err := os.Open(filepath.Join(dist, "checksums.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok || len(sum) != 64 {
			t.Fatalf("checksums.txt: line %q is not SHA256  NAME", sc.Text())
		}
		sums[name] = sum
	}
	var names []string
	for name := range sums {
		names = append(names, name)
	}
	if len(sums) != len(releaseTargets) {
		t.Errorf("checksums.txt lists %v, want one archive per platform", names)
	}
	for _, tg := range releaseTargets {
		matches, _ := filepath.Glob(filepath.Join(dist, "portspec_*_"+tg.goos+"_"+tg.goarch+".tar.gz"))
		if len(matches) != 1 {
			t.Errorf("%s/%s: want one archive portspec_VERSION_%s_%s.tar.gz, got %v", tg.goos, tg.goarch, tg.goos, tg.goarch, matches)
			continue
		}
		data, err := os.ReadFile(matches[0])
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(data)
		if got := sums[filepath.Base(matches[0])]; got != hex.EncodeToString(h[:]) {
			t.Errorf("%s: checksums.txt says %q, the file's sha256 is %x", filepath.Base(matches[0]), got, h)
		}
		files := untar(t, data)
		for _, want := range []string{"README.md", "docs/cli.md"} {
			if _, ok := files[want]; !ok {
				t.Errorf("%s: no %s in the archive", filepath.Base(matches[0]), want)
			}
		}
		bin, ok := files["portspec"]
		if !ok {
			t.Errorf("%s: no portspec binary in the archive (has %v)", filepath.Base(matches[0]), keys(files))
			continue
		}
		if got := platform(t, bin); got != tg.goos+"/"+tg.goarch {
			t.Errorf("%s: the binary is for %s", filepath.Base(matches[0]), got)
		}
		if tg.goos == runtime.GOOS && tg.goarch == runtime.GOARCH {
			exe := filepath.Join(tmp, "portspec")
			if err := os.WriteFile(exe, bin, 0o755); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(exe, "parse", "--format", "table").CombinedOutput()
			if err != nil || !strings.Contains(string(out), "6443") {
				t.Errorf("the released binary: %v\n%s", err, out)
			}
		}
	}
}

// untar returns the regular files of a .tar.gz by name.
func untar(t *testing.T, data []byte) map[string][]byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	files := map[string][]byte{}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return files
		}
		if err != nil {
			t.Fatal(err)
		}
		if hdr.Typeflag == tar.TypeReg {
			b, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			files[hdr.Name] = b
		}
	}
}

// platform reads GOOS/GOARCH from an executable's headers.
func platform(t *testing.T, bin []byte) string {
	t.Helper()
	if f, err := elf.NewFile(bytes.NewReader(bin)); err == nil {
		return "linux/" + map[elf.Machine]string{elf.EM_X86_64: "amd64", elf.EM_AARCH64: "arm64"}[f.Machine]
	}
	if f, err := macho.NewFile(bytes.NewReader(bin)); err == nil {
		return "darwin/" + map[macho.Cpu]string{macho.CpuAmd64: "amd64", macho.CpuArm64: "arm64"}[f.Cpu]
	}
	return "unknown"
}

func keys(m map[string][]byte) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	slices.Sort(k)
	return k
}
