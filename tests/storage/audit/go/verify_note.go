// Checks a riskledger checkpoint with Go's signed-note package: the note
// must open with the verifier key, its text must be the checkpoint, and a
// note with one byte changed must not open.
// Usage: verify_note <verifier key file> <note file>
package main

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

func main() {
	key, err := os.ReadFile(os.Args[1])
	check(err)
	msg, err := os.ReadFile(os.Args[2])
	check(err)
	verifier, err := note.NewVerifier(string(key))
	check(err)
	n, err := note.Open(msg, note.VerifierList(verifier))
	check(err)
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 || lines[0] != "riskledger.test/log" || lines[1] != "4242" {
		fail("unexpected checkpoint text %q", n.Text)
	}
	tampered := []byte(strings.Replace(string(msg), "\n4242\n", "\n4243\n", 1))
	if _, err := note.Open(tampered, note.VerifierList(verifier)); err == nil {
		fail("a note with another tree size opened")
	}
	fmt.Printf("go: checkpoint of size %s signed by %s verified\n", lines[1], n.Sigs[0].Name)
}

func check(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "verify_note: "+format+"\n", args...)
	os.Exit(1)
}
