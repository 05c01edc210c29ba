package mail

import (
	"context"
	"os"
	"path/filepath"
	"practicepost/app"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestReadScope(t *testing.T) {
	tests := []struct {
		name                    string
		words, quoted           string
		agreed, declined, ambig []string
		unclear                 int
		fromQuote               bool
	}{
		{name: "checkboxes", words: "[x] Facebook\n[X] Instagram\n[ ] Practice website\n[✓] Face visible",
			agreed: []string{"facebook", "instagram", "face"}, declined: []string{"website"}},
		{name: "round brackets and bullets", words: "- (x) FB\n* ( ) Insta\n1. [*] Paid ads",
			agreed: []string{"facebook", "paid_ads"}, declined: []string{"instagram"}},
		{name: "glyphs", words: "☑ Facebook\n✅ Instagram\n☐ Practice website\n☒ Paid ads",
			agreed: []string{"facebook", "instagram"}, declined: []string{"website"}, ambig: []string{"paid_ads"}},
		{name: "yes prefix list", words: "Yes: Facebook, Instagram and website\nNo: Paid ads",
			agreed: []string{"facebook", "instagram", "website"}, declined: []string{"paid_ads"}},
		{name: "yes to", words: "yes to Instagram\nno to paid ads please", agreed: []string{"instagram"}, declined: []string{"paid_ads"}},
		{name: "suffix forms", words: "Facebook - yes\nInstagram: no\nwebsite = yes please\nFace visible ✓",
			agreed: []string{"facebook", "website", "face"}, declined: []string{"instagram"}},
		{name: "contradiction", words: "[x] Facebook\nFacebook - no", ambig: []string{"facebook"}},
		{name: "prose is ambiguous", words: "Facebook is fine but I'd rather not be on Instagram", ambig: []string{"facebook", "instagram"}},
		{name: "yes to all is not guessed", words: "Yes to all of them!", unclear: 1},
		{name: "none is not guessed", words: "None", unclear: 1},
		{name: "odd mark", words: "[?] Facebook\n[maybe] Instagram", ambig: []string{"facebook", "instagram"}},
		{name: "unknown item in list", words: "Yes: Facebook, TikTok", agreed: []string{"facebook"}, unclear: 1},
		{name: "typed name is not a box", words: "[x] Facebook\nFull name: Face Visible-Smith", agreed: []string{"facebook"}},
		{name: "nothing", words: "Thanks, see you soon"},
		{name: "ticks inside the quote", words: "Done, see below", quoted: "Dear Zoë,\n[x] Facebook\n[ ] Instagram",
			agreed: []string{"facebook"}, declined: []string{"instagram"}, fromQuote: true},
		{name: "unticked quote is no answer", words: "I'll think about it", quoted: "[ ] Facebook\n[ ] Instagram"},
		{name: "own words win over quote", words: "Yes: Instagram", quoted: "[x] Facebook", agreed: []string{"instagram"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ReadScope(tt.words, tt.quoted, consentScope)
			if !slices.Equal(r.Agreed, tt.agreed) || !slices.Equal(r.Declined, tt.declined) || !slices.Equal(r.Ambiguous, tt.ambig) ||
				len(r.Unclear) != tt.unclear || r.FromQuote != tt.fromQuote {
				t.Errorf("got agreed %v declined %v ambiguous %v unclear %q fromQuote %v", r.Agreed, r.Declined, r.Ambiguous, r.Unclear, r.FromQuote)
			}
			total := len(r.Agreed) + len(r.Declined) + len(r.Ambiguous) + len(r.Unanswered)
			if total != len(consentScope) {
				t.Errorf("%d boxes accounted for, want %d", total, len(consentScope))
			}
		})
	}
}

func TestReadTypedName(t *testing.T) {
	tests := []struct {
		words, patient, want string
		ambiguous            bool
	}{
		{"Full name: Zoë Brontë", "Zoë Brontë", "Zoë Brontë", false},
		{"name - Mary-Jane O'Neil.", "Mary-Jane O'Neil", "Mary-Jane O'Neil", false},
		{"/s/ Sam Patel", "Sam Patel", "Sam Patel", false},
		{"Signed by Sam Patel", "Sam Patel", "Sam Patel", false},
		{"Thanks!\nSam Patel", "Sam Patel", "Sam Patel", false},
		{"Thanks!\nSam", "Sam Patel", "", false},
		{"Full name: Sam", "Sam Patel", "", false},
		{"Full name: ____", "Sam Patel", "", false},
		{"Signed copy attached", "Sam Patel", "", false},
		{"Signature: see attached form", "Sam Patel", "", false},
		{"Name: Sam Patel\nSigned: Priya Patel", "Sam Patel", "Sam Patel", true},
		{"Name: Sam Patel\nSigned: sam  patel", "Sam Patel", "Sam Patel", false},
		{"Name: R2 D2", "Sam Patel", "", false},
	}
	for _, tt := range tests {
		got, amb := ReadTypedName(tt.words, tt.patient)
		if got != tt.want || amb != tt.ambiguous {
			t.Errorf("ReadTypedName(%q) = %q, %v; want %q, %v", tt.words, got, amb, tt.want, tt.ambiguous)
		}
	}
	if !SameName("zoe  BRONTË", "Zoe Brontë") || !SameName("Zoë A. Brontë", "Zoë Brontë") || SameName("Ann Brontë", "Zoë Brontë") ||
		!SameName("Zoe Bronte", "Zoë Brontë") || SameName("Zoe Brontes", "Zoë Brontë") {
		t.Error("SameName")
	}
}

func TestStripQuoted(t *testing.T) {
	tests := []struct {
		name, text, words, quotedHas string
	}{
		{"gmail wrapped attribution", "Yes: Facebook\n\nOn Sat, 1 Mar 2025 at 09:00, Riverside Dental <\nhello@riversidedental.co.uk> wrote:\n> [ ] Facebook", "Yes: Facebook", "[ ] Facebook"},
		{"outlook header block", "Yes: Facebook\n\n________________________________\nFrom: Riverside Dental <hello@x.co.uk>\nSent: 01 March 2025 09:00\nTo: Zoe\nSubject: consent\n\n[ ] Facebook", "Yes: Facebook", "Sent: 01 March"},
		{"original message", "ok\n-----Original Message-----\nFrom: x\n[ ] Facebook", "ok", "[ ] Facebook"},
		{"interleaved quote", "> [ ] Facebook\nyes please\n> [ ] Instagram\nno", "yes please\nno", "[ ] Instagram"},
		{"no history", "Just my words\non two lines", "Just my words\non two lines", ""},
		{"'on' in own words", "On balance yes: Facebook\nthanks", "On balance yes: Facebook\nthanks", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, q := stripQuoted(tt.text)
			if w != tt.words || !strings.Contains(q, tt.quotedHas) {
				t.Errorf("words %q quoted %q", w, q)
			}
		})
	}
}

func TestHTMLToText(t *testing.T) {
	in := `<html><head><title>x</title><style>.a{}</style><script>alert(1)</script></head><body>
<p>Yes:&nbsp;Facebook &amp; Instagram</p><ul><li>one</li><li>two</li></ul>
<table><tr><td>Full name:</td><td>Zoë</td></tr></table>
<input type="checkbox" checked> Website<br><input type="checkbox"> Paid ads
<blockquote><p>quoted line</p></blockquote><!-- comment --></body></html>`
	got := htmlToText(strings.NewReader(in))
	for _, want := range []string{"Yes: Facebook & Instagram", "\none\ntwo\n", "Full name: Zoë", "[x] Website", "[ ] Paid ads", "> quoted line"} {
		if !strings.Contains(got, want) {
			t.Errorf("%q lacks %q", got, want)
		}
	}
	for _, bad := range []string{"alert", ".a{}", "comment", "<"} {
		if strings.Contains(got, bad) {
			t.Errorf("%q contains %q", got, bad)
		}
	}
}

func TestParseMessageOddInput(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		flag app.ReplyFlag
	}{
		{"unknown charset", "From: a@b.c\r\nSubject: Re: [PP-7K3M9Q]\r\nContent-Type: text/plain; charset=x-klingon\r\n\r\n[x] Facebook\r\n", app.FlagUnreadableText},
		{"broken multipart", "From: a@b.c\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n--zz\r\nContent-Type: text/plain\r\n\r\nhello", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseMessage([]byte(tt.raw), Limits{})
			if err != nil {
				t.Fatalf("error %v", err)
			}
			if tt.flag != "" && !slices.Contains(p.Flags, tt.flag) {
				t.Errorf("flags %v", p.Flags)
			}
		})
	}
	if _, err := ParseMessage([]byte("just text"), Limits{}); err == nil {
		t.Error("text without a header parsed as mail")
	}
	// A reply the parser cannot read as mail is still kept for a person.
	item, keep, err := BuildItem(context.Background(), NewMemStore(), []byte("\x00\x01 not mail: :\r\n\r\n"), Intake{})
	if err != nil || !keep || item == nil {
		t.Fatalf("unreadable message: %+v %v %v", item, keep, err)
	}
}

// FuzzParseReply feeds arbitrary bytes through everything a reply goes
// through. Seeds are in testdata/fuzz/FuzzParseReply.
func FuzzParseReply(f *testing.F) {
	f.Add(realisticReply(tokA))
	f.Add(reply(replySpec{subject: "Re: [" + tokA + "]", html: "<p>Yes: Facebook</p><blockquote>[ ] x</blockquote>"}))
	// The reply corpus seeds it too.
	files, _ := filepath.Glob("testdata/replies/*.eml")
	for _, fn := range files {
		if b, err := os.ReadFile(fn); err == nil {
			f.Add(b)
		}
	}
	store := NewMemStore()
	store.AddRequest(testRequest(tokA, "zoe@example.org"))
	answered := testRequest(tokB, "zoe@example.org")
	answered.Answered = true
	store.AddRequest(answered)
	f.Fuzz(func(t *testing.T, raw []byte) {
		item, keep, err := BuildItem(context.Background(), store, raw, Intake{Limits: Limits{MaxAttachment: 1 << 16, MaxMessage: 1 << 20}, ProviderIDs: []string{"mx.google.com"}})
		if err != nil {
			t.Fatalf("lookup error from a memory store: %v", err)
		}
		if !keep {
			return
		}
		if item.Key == "" || item.RawSHA256 == "" {
			t.Fatal("kept item without key or evidence hash")
		}
		switch item.Intent {
		case app.IntentAnswer, app.IntentWithdrawal, app.IntentNeedsLook, app.IntentUnmatched:
		default:
			t.Fatalf("intent %q", item.Intent)
		}
		if item.Intent == app.IntentUnmatched && (!item.HeadersOnly || item.Words != "" || len(item.Attachments) != 0) {
			t.Fatal("an unmatched reference kept more than its header")
		}
		if item.HasFlag(app.FlagAfterAnswer) && item.Intent == app.IntentAnswer {
			t.Fatal("a reply to an answered request read as an answer")
		}
		if item.Sender.Forged && item.Sender.Verdict == app.VerdictPass {
			t.Fatal("a forged check passed")
		}
		if !utf8.ValidString(item.Words) || !utf8.ValidString(item.TypedName) {
			t.Fatal("invalid UTF-8 reached the review item")
		}
		// Boxes are read from answers to an open consent request only.
		answer := item.Intent == app.IntentAnswer || (item.Intent == app.IntentWithdrawal && !item.HasFlag(app.FlagAfterAnswer) && !item.HasFlag(app.FlagNoReference))
		if item.RequestKind == app.KindConsent && answer {
			s := item.Scope
			if len(s.Agreed)+len(s.Declined)+len(s.Ambiguous)+len(s.Unanswered) != len(consentScope) {
				t.Fatalf("scope does not account for every box: %+v", s)
			}
			for _, k := range s.Agreed {
				if slices.Contains(s.Declined, k) || slices.Contains(s.Ambiguous, k) {
					t.Fatalf("box %s read two ways", k)
				}
			}
		}
		for _, a := range item.Attachments {
			if a.Size > 1<<16 || sniff(a.Data) == "" {
				t.Fatalf("attachment kept against the rules: %s %d", a.ContentType, a.Size)
			}
		}
	})
}

// FuzzReadScope checks the scope reader on arbitrary text: every box is
// accounted for exactly once. Seeds are in testdata/fuzz/FuzzReadScope.
func FuzzReadScope(f *testing.F) {
	f.Add("[x] Facebook\nYes: Instagram, website\nPaid ads - no", "[ ] Facebook")
	f.Fuzz(func(t *testing.T, words, quoted string) {
		r := ReadScope(words, quoted, consentScope)
		seen := map[string]int{}
		for _, l := range [][]string{r.Agreed, r.Declined, r.Ambiguous, r.Unanswered} {
			for _, k := range l {
				seen[k]++
			}
		}
		for _, o := range consentScope {
			if seen[o.Key] != 1 {
				t.Fatalf("box %s appears %d times in %+v", o.Key, seen[o.Key], r)
			}
		}
		ReadTypedName(words, "Zoë Brontë")
	})
}

// FuzzReadWithdrawal: any text is read without panicking, and a tick-box
// line alone is never a withdrawal.
func FuzzReadWithdrawal(f *testing.F) {
	f.Add("Please withdraw my consent")
	f.Add("[ ] Paid or boosted adverts")
	f.Add("pls dont use my pics anymore")
	f.Fuzz(func(t *testing.T, words string) {
		phrase, ok := ReadWithdrawal(words)
		if ok && phrase == "" {
			t.Fatal("a withdrawal without its words")
		}
		if _, ok := ReadWithdrawal("[ ] " + strings.ReplaceAll(words, "\n", " ")); ok && !strings.ContainsAny(words, "\r\u0085\u2028\u2029") {
			t.Fatalf("a box line read as a withdrawal: %q", words)
		}
	})
}

// FuzzCheckSender: any Authentication-Results values give a known verdict,
// and a forged check never passes.
func FuzzCheckSender(f *testing.F) {
	f.Add("mx.google.com; dmarc=pass header.from=example.org", "mx.google.com; dmarc=fail", "a@example.org")
	f.Add("spf=pass (x) smtp.mailfrom=example.org;dmarc=pass action=none header.from=example.org", "", "b@example.org")
	f.Fuzz(func(t *testing.T, top, lower, from string) {
		for _, ids := range [][]string{{"mx.google.com"}, {""}} {
			c := CheckSender([]string{top, lower}, ids, from)
			switch c.Verdict {
			case app.VerdictPass, app.VerdictFail, app.VerdictUnknown:
			default:
				t.Fatalf("verdict %q", c.Verdict)
			}
			if c.Forged && c.Verdict == app.VerdictPass {
				t.Fatal("forged and passing")
			}
		}
	})
}
