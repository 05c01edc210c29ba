// Package loopback hands tests a free port on 127.0.0.1, for servers that
// must be told their port before they start (an OAuth redirect, Dovecot).
package loopback

import (
	"net"
	"testing"
)

// FreePort returns a port nothing listens on at this moment. Another process
// may take it before the caller binds it; tests accept that small race.
func FreePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
