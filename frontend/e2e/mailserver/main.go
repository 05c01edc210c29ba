//go:build e2e

// Command mailserver is the end-to-end tests' practice mailbox: go-imap's
// in-memory IMAP server and a go-smtp server on loopback ports, plus a small
// HTTP control port the test uses to read what the app sent and to deliver
// a patient's reply into the INBOX. It prints its ports as one JSON line and
// runs until its stdin closes. Test-only: built with -tags e2e.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"time"

	"practicepost/app/mail/mailtest"
)

var (
	user     = envOr("MAILSERVER_USER", "hello@harbourdental.example")
	password = envOr("MAILSERVER_PASSWORD", "app-password-for-tests")
)

func envOr(k, d string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return d
}

func main() {
	m, err := mailtest.NewIMAP(user, password, mailtest.IMAPOptions{})
	if err != nil {
		log.Fatal(err)
	}
	iln := listen()
	go m.Server.Serve(iln)

	out := &mailtest.SMTP{User: user, Password: password}
	ssrv := mailtest.NewSMTPServer(out, nil)
	sln := listen()
	go ssrv.Serve(sln)

	mux := http.NewServeMux()
	mux.HandleFunc("GET /sent", func(w http.ResponseWriter, r *http.Request) {
		var sent []string // null until something was sent, as before
		for _, msg := range out.Messages() {
			sent = append(sent, string(msg.Data))
		}
		json.NewEncoder(w).Encode(sent)
	})
	mux.HandleFunc("POST /deliver", func(w http.ResponseWriter, r *http.Request) {
		raw, err := io.ReadAll(r.Body)
		if err != nil || len(raw) == 0 {
			http.Error(w, "empty message", http.StatusBadRequest)
			return
		}
		if err := m.Deliver("INBOX", raw, time.Now()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	cln := listen()
	go http.Serve(cln, mux)

	fmt.Printf("{\"imap\":%d,\"smtp\":%d,\"control\":%d,\"user\":%q,\"password\":%q}\n",
		port(iln), port(sln), port(cln), user, password)
	io.Copy(io.Discard, os.Stdin) // the test closes stdin (or exits) to stop us
}

func listen() net.Listener {
	ln, err := mailtest.Listen()
	if err != nil {
		log.Fatal(err)
	}
	return ln
}

func port(ln net.Listener) int { return mailtest.Port(ln) }
