// Command portspec reads the Deckhouse network interaction page into one
// typed model and generates Go constants, firewall policies and rulesets
// from it. It is thin: flags and wiring; the work is in the library.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
)

// Exit codes, the same on every command (and listed once, in usageText).
const (
	exitOK      = 0
	exitInvalid = 1 // an invalid document or config, drift found, outputs out of date
	exitUsage   = 2 // a usage error, or an input that could not be read (I/O, a refused URL)
)

// stdio carries the streams of one run so that tests can run commands in
// process.
type stdio struct {
	in       io.Reader
	out, err io.Writer
	// client fetches URLs and version sources; nil is parser's default
	// (tests pass one that trusts their local https server).
	client *http.Client
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, std stdio) int
}

var commands = []command{
	{"parse", "read a document and print its model (json or table)", runParse},
	{"generate", "write (or --check) the generated outputs", runGenerate},
	{"drift", "compare the current upstream document with the model behind generated/", runDrift},
	{"changes", "list the firewall changes between two versions of the document", runChanges},
	{"report", "write the document for people: csv, xlsx, html page or mermaid diagram", runReport},
	{"verify", "compare this node's listeners (or --cluster: the cluster's served ports) with the document", runVerify},
	{"probe", "try the documented flows from this host to named peers, and ports the document does not open", runProbe},
}

func main() {
	startGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], stdio{in: os.Stdin, out: os.Stdout, err: os.Stderr})
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, std stdio) int {
	if len(args) == 0 {
		usage(std.err)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(std.out)
		return exitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run(ctx, args[1:], std)
		}
	}
	fmt.Fprintf(std.err, "portspec: unknown command %q\n\n", args[0])
	usage(std.err)
	return exitUsage
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: portspec <command> [flags] [DOCUMENT...]\n\ncommands:")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, usageText)
}

// usageText is the grammar every command shares, and the exit codes.
const usageText = `
A DOCUMENT is a file, "-" (standard input), an https:// URL, a version of
the page (deckhouse@v1.68.3: the data file at that ref; deckhouse-site@v1.68,
deckhouse-site@latest#ru: the site's HTML page), or omitted for the embedded
default document (or the config's input, for generate and drift): markdown,
the site's HTML, a text copy or the data file. Flags may come before or
after it. Every command that reads a document takes --kind, --allow-http,
--timeout, --max-bytes and the version sources' --deckhouse-url,
--site-url and --site-url-ru.

Exit status, on every command:
  0  done: the document is valid, outputs are current, no drift, everything
     live is as documented (verify, probe)
  1  the answer is no: an invalid document or config, outputs out of date
     (generate --check), drift found or an overlay entry that no longer
     matches (drift), undocumented listeners or served ports (verify), a
     documented flow dropped or an undocumented port passing (probe)
  2  no answer: a usage error, an input that could not be read (/proc, a
     kubeconfig; drift: or a current document that looks cut short), an
     API server that refuses, a peer that answers nothing

Run 'portspec <command> --help' for a command's flags.
`

// helpOrUsage handles a flag-parsing error: --help prints the usage on
// stdout and exits 0, anything else exits 2 (the flag package has already
// said why on stderr).
func helpOrUsage(fs *flag.FlagSet, err error, std stdio) int {
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(std.out)
		fs.Usage()
		return exitOK
	}
	return exitUsage
}
