package main

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The credentials of the source URLs below: they reach the server, and no
// output file, line of output or error may show them.
const (
	secretUser     = "user"
	secretPassword = "secret"
	secretToken    = "abc"
)

// credentialServer serves driftBase (and an invalid document, a redirect
// and a 404) over TLS to requests that carry the credentials, and sets the
// CLI's client to trust it for the test. It returns the server's address
// with the credentials in it: https://user:secret@127.0.0.1:port.
func credentialServer(t *testing.T) (withCreds, bare string) {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p, ok := r.BasicAuth()
		if !ok || u != secretUser || p != secretPassword || r.URL.Query().Get("token") != secretToken {
			http.Error(w, "no credentials", http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/doc.yml":
			w.Write([]byte(driftBase))
		case "/added.yml":
			w.Write([]byte(driftAdded))
		case "/bad.yml":
			w.Write([]byte(driftBase + "  - ports: \"70000\"\n    protocol: TCP\n"))
		case "/redirect":
			http.Redirect(w, r, "http://"+secretUser+":"+secretPassword+"@127.0.0.1:1/x?token="+secretToken, http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	httpClient = srv.Client()
	t.Cleanup(func() { httpClient = nil })
	bare = srv.URL
	return strings.Replace(srv.URL, "https://", "https://"+secretUser+":"+secretPassword+"@", 1), bare
}

// leaks returns the credentials found in s (the hex digests of documents,
// which may hold "abc" by chance, left out).
func leaks(s string, digests ...string) []string {
	for _, d := range digests {
		s = strings.ReplaceAll(s, d, "")
	}
	var found []string
	for _, c := range []string{secretUser + ":", secretPassword, "token=", secretToken} {
		if strings.Contains(s, c) {
			found = append(found, c)
		}
	}
	return found
}

// TestSourceCredentialsNeverShown: a source URL with a password and a
// token is fetched with them, and named everywhere without them: in every
// generated file (headers, the Go package's Source constant, the drift
// test), on stdout and stderr of every command, in positions and in errors.
func TestSourceCredentialsNeverShown(t *testing.T) {
	creds, bare := credentialServer(t)
	t.Chdir(t.TempDir())
	doc := creds + "/doc.yml?token=" + secretToken
	digest := sha256Hex(driftBase)
	check := func(what, s string) {
		t.Helper()
		for _, line := range strings.Split(s, "\n") {
			if l := leaks(line, digest, sha256Hex(driftAdded)); len(l) > 0 {
				t.Errorf("%s shows %q:\n%s", what, l, line)
			}
		}
	}

	code, out, errs := runGen(t, doc)
	if code != exitOK {
		t.Fatalf("generate from %s: exit %d\n%s\n%s", doc, code, out, errs)
	}
	check("generate's stdout", out)
	check("generate's stderr", errs)
	files := 0
	filepath.WalkDir("generated", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files++
		check(p, string(b))
		if !strings.Contains(string(b), bare+"/doc.yml") {
			t.Errorf("%s does not name the source (without its credentials) %s", p, bare+"/doc.yml")
		}
		return nil
	})
	if files < 5 {
		t.Fatalf("generate wrote %d files", files)
	}
	// The config's input is named the same way.
	os.WriteFile("portspec.yaml", []byte("version: 1\ninput: "+doc+"\nout: fromconfig\n"), 0o644)
	code, out, errs = runGen(t)
	check("generate (config input)", out+errs)
	if code != exitOK {
		t.Errorf("generate with the URL as the config's input: exit %d\n%s", code, errs)
	}
	os.Remove("portspec.yaml")

	for name, args := range map[string][]string{
		"parse json":       {"parse", doc},
		"parse table":      {"parse", "--format", "table", doc},
		"drift":            {"drift", "--snapshot", "generated/ports/drift_test.go", creds + "/added.yml?token=" + secretToken},
		"drift markdown":   {"drift", "--format", "markdown", "--snapshot", "generated/ports/drift_test.go", creds + "/added.yml?token=" + secretToken},
		"changes":          {"changes", doc, creds + "/added.yml?token=" + secretToken},
		"invalid document": {"parse", creds + "/bad.yml?token=" + secretToken},
		"drift invalid":    {"drift", "--snapshot", "generated/ports/drift_test.go", creds + "/bad.yml?token=" + secretToken},
		"not found":        {"parse", creds + "/missing.yml?token=" + secretToken},
		"redirect":         {"parse", creds + "/redirect?token=" + secretToken},
		"too large":        {"parse", "--max-bytes", "10", doc},
		"unreachable":      {"parse", "https://" + secretUser + ":" + secretPassword + "@127.0.0.1:1/doc.yml?token=" + secretToken},
		"unparsable":       {"parse", "https://" + secretUser + ":" + secretPassword + "@[::1/doc.yml?token=" + secretToken},
		"fragment":         {"parse", "--max-bytes", "10", creds + "/doc.yml#token=" + secretToken},
		"generate invalid": {"generate", "--out", "x", creds + "/bad.yml?token=" + secretToken},
		"check":            {"generate", "--check", "--out", "y", doc},
	} {
		code, out, errs := runCmd(t, "", args...)
		check(name+" (exit "+string(rune('0'+code))+"), stdout", out)
		check(name+", stderr", errs)
		if out+errs == "" {
			t.Errorf("%s printed nothing", name)
		}
	}
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
