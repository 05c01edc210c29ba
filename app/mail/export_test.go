package mail

import "testing"

// Test-only exports for package mail_test, whose benchmark records into
// app/store: that package imports this one, so package mail's own tests
// cannot import it back.

const (
	BenchMessages = benchMessages
	BenchReplies  = benchReplies
)

var ConsentScopeForTest = consentScope

func BenchToken(i int) string { return benchToken(i) }

// PopulateMaildir fills mailDir/user as populateMaildir does.
func PopulateMaildir(b *testing.B, mailDir, user string) { populateMaildir(b, mailDir, user) }
