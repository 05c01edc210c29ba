package mail

import (
	"practicepost/app"
	"slices"
	"testing"
)

func TestCheckSender(t *testing.T) {
	google := []string{"mx.google.com"}
	tests := []struct {
		name    string
		headers []string
		ids     []string
		from    string
		verdict string
		forged  bool
	}{
		{"dmarc pass", []string{"mx.google.com; dkim=pass header.i=@example.org; spf=pass smtp.mailfrom=a@example.org; dmarc=pass (p=NONE) header.from=example.org"}, google, "a@example.org", app.VerdictPass, false},
		{"dmarc fail", []string{"mx.google.com; spf=fail smtp.mailfrom=a@example.org; dmarc=fail (p=REJECT) header.from=example.org"}, google, "a@example.org", app.VerdictFail, false},
		{"pass for another domain", []string{"mx.google.com; dmarc=pass header.from=other.example"}, google, "a@example.org", app.VerdictFail, false},
		{"softfail without dmarc", []string{"mx.google.com; spf=softfail smtp.mailfrom=a@example.org"}, google, "a@example.org", app.VerdictFail, false},
		{"spf pass without dmarc proves nothing", []string{"mx.google.com; spf=pass smtp.mailfrom=a@example.org"}, google, "a@example.org", app.VerdictUnknown, false},
		{"only someone else's header", []string{"mx.evil.example; dmarc=pass header.from=example.org"}, google, "a@example.org", app.VerdictUnknown, false},
		{"forged lower pass", []string{
			"mx.google.com; spf=none smtp.mailfrom=a@example.org; dmarc=none header.from=example.org",
			"mx.google.com; spf=pass smtp.mailfrom=a@example.org; dkim=pass; dmarc=pass header.from=example.org",
		}, google, "a@example.org", app.VerdictUnknown, true},
		{"topmost wins over a lower fail", []string{
			"other.example; dmarc=fail",
			"mx.google.com; dmarc=pass header.from=example.org",
			"mx.google.com; dmarc=fail header.from=example.org",
		}, google, "a@example.org", app.VerdictPass, false},
		{"Microsoft 365 writes no authserv-id", []string{"spf=pass (sender IP is 192.0.2.1) smtp.mailfrom=example.org; dkim=pass (signature was verified) header.d=example.org;dmarc=pass action=none header.from=example.org;compauth=pass reason=100"}, []string{""}, "a@example.org", app.VerdictPass, false},
		{"several DKIM signatures, one passes", []string{"mx.google.com; dkim=fail header.i=@x.example; dkim=pass header.i=@example.org; dmarc=pass header.from=example.org"}, google, "a@example.org", app.VerdictPass, false},
		{"no headers", nil, google, "a@example.org", app.VerdictUnknown, false},
	}
	for _, tt := range tests {
		got := CheckSender(tt.headers, tt.ids, tt.from)
		if got.Verdict != tt.verdict || got.Forged != tt.forged {
			t.Errorf("%s: %+v, want verdict %s forged %v", tt.name, got, tt.verdict, tt.forged)
		}
	}
}

func TestProviderIDs(t *testing.T) {
	for host, want := range map[string][]string{
		"imap.gmail.com":        {"mx.google.com"},
		"outlook.office365.com": {""},
		"mail.practice.example": {"mail.practice.example"},
	} {
		if got := (Settings{IMAP: Server{Host: host}}).ProviderIDs(); !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", host, got, want)
		}
	}
	if got := (Settings{IMAP: Server{Host: "imap.gmail.com"}, AuthServID: "mx.one.example, MX.two.example"}).ProviderIDs(); !slices.Equal(got, []string{"mx.one.example", "mx.two.example"}) {
		t.Errorf("configured: %q", got)
	}
}

func TestReadWithdrawalLeavesOrdinaryAnswersAlone(t *testing.T) {
	for _, words := range []string{
		"[ ] Paid or boosted adverts on the channels I ticked",
		"No: Paid adverts",
		"☐ Instagram",
		"You can change your mind and withdraw at any time by replying to this email.",
		"I don't mind you using it at all!",
		"Happy for you to share it on Facebook.",
		"Thanks, see you on Tuesday.",
		"The photo came out really well, please use it.",
		"Full name: Zoë Brontë",
	} {
		if p, ok := ReadWithdrawal(words); ok {
			t.Errorf("%q read as a withdrawal (%q)", words, p)
		}
	}
	for _, words := range []string{
		"Please withdraw my consent",
		"WITHDRAW",
		"I want to widthdraw",
		"could you take them down",
		"Please take my before and after photos down",
		"remove the pictures of my teeth please",
		"Do not use my name or photo",
		"I am no longer happy for you to use my review",
		"stop usign my photo",
		"rescind",
	} {
		if _, ok := ReadWithdrawal(words); !ok {
			t.Errorf("%q not read as a withdrawal", words)
		}
	}
}
