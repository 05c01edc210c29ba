package mail

// Test-only exports for package mail_test, whose benchmark records into
// app/store: that package imports this one, so package mail's own tests
// cannot import it back.

const BenchReplies = benchReplies

var ConsentScopeForTest = consentScope

func BenchToken(i int) string { return benchToken(i) }
