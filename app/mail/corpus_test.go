package mail

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
)

// corpusScope is the tick list the app sends (app/service scopeOptions):
// the consent form's boxes with the words patients type for them.
func corpusScope() []app.ScopeOption {
	aliases := map[string][]string{}
	for _, o := range DefaultScope() {
		key := o.Key
		if key == "tag" {
			key = string(app.IdentitySocialTag)
		}
		aliases[key] = append([]string{o.Label}, o.Aliases...)
	}
	var out []app.ScopeOption
	for _, c := range consent.IdentityChoices {
		out = append(out, app.ScopeOption{Key: string(c.Value), Label: c.Label, Aliases: aliases[string(c.Value)]})
	}
	for _, c := range consent.ChannelChoices {
		out = append(out, app.ScopeOption{Key: string(c.Value), Label: c.Label, Aliases: aliases[string(c.Value)]})
	}
	return out
}

// What a reply turns out to be.
const (
	outConsent    = "consent"    // an answer, confirmable exactly as ticked
	outHeld       = "held"       // an answer held until the manager records how it was resolved
	outWithdrawal = "withdrawal" // withdrawal words: holds the patient's consents
	outNeedsLook  = "needs_look" // a later reply to an answered request
	outIgnored    = "ignored"    // automatic reply, or no reference
	outBounced    = "bounced"    // a request returned undelivered: marks it, needs no review
	outFlagged    = "flagged"    // the sender must be verified before confirming
	outUnmatched  = "unmatched"  // a reference no request has: header only
	outNoAnswer   = "no_answer"  // answers no box at all
	outWords      = "testimonial"
)

// The corpus: realistic replies (Gmail, Outlook, Apple Mail, phone
// clients; HTML only; quoted above and below; forwarded; ticks as [x], [X],
// ☑, ✅, "yes"; withdrawals in many words; auto-replies; spoofed senders),
// each with what it must turn out to be.
var corpus = []struct {
	file    string
	out     string
	agreed  string          // space-separated box keys, checked for consents and held answers ("-" skips)
	flags   []app.ReplyFlag // flags that must be set
	unclear string          // boxes read two ways (held)
}{
	{"a01-gmail-x-top", outConsent, "first_name face facebook instagram", nil, ""},
	{"a02-outlook-caps-X", outConsent, "full_name website facebook google_business", nil, ""},
	{"a03-apple-ballot-box", outConsent, "initials before_after instagram", nil, ""},
	{"a04-iphone-green-tick", outConsent, "first_name facebook", nil, ""},
	{"a05-android-outlook", outConsent, "anonymous website newsletter print", nil, ""},
	{"a06-outlook-web-html-only", outConsent, "first_name face facebook instagram", nil, ""},
	{"a07-yes-no-words", outConsent, "first_name face facebook instagram", nil, ""},
	{"a08-thunderbird-signed-pdf", outConsent, "full_name face video facebook instagram linkedin", nil, ""},
	{"a09-bottom-posted", outConsent, "first_name facebook", nil, ""},
	{"a10-yahoo-android", outConsent, "first_name town facebook instagram review_sites", nil, ""},
	{"a11-samsung", outConsent, "initials google_business", nil, ""},
	{"a12-latin1-quoted-printable", outConsent, "first_name facebook instagram", nil, ""},
	{"a13-multipart-alternative", outConsent, "first_name face facebook instagram", nil, ""},
	{"a14-bullets-and-spacing", outConsent, "first_name facebook mastodon bluesky", nil, ""},
	{"a15-gmail-answer-with-dmarc-pass", outConsent, "full_name facebook x", nil, ""},
	{"a16-ticked-inside-quote", outConsent, "first_name facebook", []app.ReplyFlag{app.FlagAnsweredInQuote}, ""},

	{"b01-tick-and-no-in-words", outHeld, "first_name face facebook", []app.ReplyFlag{app.FlagAmbiguous}, "instagram"},
	{"b02-edited-wording", outHeld, "first_name", []app.ReplyFlag{app.FlagAmbiguous}, "facebook"},
	{"b03-missing-boxes", outHeld, "first_name facebook instagram", []app.ReplyFlag{app.FlagMissingBoxes}, ""},
	{"b04-yes-to-all", outHeld, "", []app.ReplyFlag{app.FlagAmbiguous}, ""},
	{"b05-two-names", outHeld, "first_name facebook", []app.ReplyFlag{app.FlagAmbiguous}, ""},
	{"b06-odd-mark", outHeld, "first_name facebook", []app.ReplyFlag{app.FlagAmbiguous}, "instagram"},
	{"b07-contradicting-lines", outHeld, "first_name facebook", []app.ReplyFlag{app.FlagAmbiguous}, "instagram"},
	{"b08-free-text", outHeld, "", []app.ReplyFlag{app.FlagAmbiguous, app.FlagMissingBoxes}, "first_name facebook instagram paid_ads"},
	{"b09-yes-list-no-rest", outHeld, "facebook instagram", []app.ReplyFlag{app.FlagMissingBoxes}, ""},
	{"b10-html-only-partial", outHeld, "first_name facebook", []app.ReplyFlag{app.FlagMissingBoxes}, ""},
	{"b11-first-reply-with-dont-use", outWithdrawal, "first_name facebook instagram", []app.ReplyFlag{app.FlagWithdrawal, app.FlagAmbiguous}, "full_name"},
	{"b12-yes-x-lowercase-mixed", outHeld, "first_name instagram", []app.ReplyFlag{app.FlagAmbiguous}, "facebook"},

	{"c01-withdraw-consent-uk", outWithdrawal, "-", []app.ReplyFlag{app.FlagAfterAnswer}, ""},
	{"c02-revoke-us", outWithdrawal, "-", nil, ""},
	{"c03-take-down", outWithdrawal, "-", nil, ""},
	{"c04-remove-my-photo", outWithdrawal, "-", nil, ""},
	{"c05-dont-use", outWithdrawal, "-", nil, ""},
	{"c06-stop-using", outWithdrawal, "-", nil, ""},
	{"c07-changed-my-mind", outWithdrawal, "-", nil, ""},
	{"c08-no-longer-consent", outWithdrawal, "-", nil, ""},
	{"c09-typo-withdrawl", outWithdrawal, "-", nil, ""},
	{"c10-phone-pls-dont", outWithdrawal, "-", nil, ""},
	{"c11-opt-out", outWithdrawal, "-", nil, ""},
	{"c12-delete-review", outWithdrawal, "-", nil, ""},
	{"c13-not-comfortable", outWithdrawal, "-", nil, ""},
	{"c14-cancel-consent", outWithdrawal, "-", nil, ""},
	{"c15-take-it-down-short", outWithdrawal, "-", nil, ""},
	{"c16-revoke-typo", outWithdrawal, "-", nil, ""},
	{"c17-html-only-withdrawal", outWithdrawal, "-", []app.ReplyFlag{app.FlagAfterAnswer}, ""},
	{"c18-withdraw-in-first-reply", outWithdrawal, "", []app.ReplyFlag{app.FlagNoScope}, ""},

	{"d01-thanks", outNeedsLook, "-", []app.ReplyFlag{app.FlagAfterAnswer}, ""},
	{"d02-copy-please", outNeedsLook, "-", nil, ""},
	{"d03-ticks-again", outNeedsLook, "-", nil, ""},

	{"e01-out-of-office-outlook", outIgnored, "-", nil, ""},
	{"e02-gmail-vacation", outIgnored, "-", nil, ""},
	{"e03-exchange-rule", outIgnored, "-", nil, ""},
	{"e04-bounce", outBounced, "-", nil, ""},
	{"e05-icloud-autoreply", outIgnored, "-", nil, ""},
	{"e06-precedence-bulk", outIgnored, "-", nil, ""},

	{"f01-spoofed-dmarc-fail", outFlagged, "first_name face facebook instagram", []app.ReplyFlag{app.FlagSenderFailed}, ""},
	{"f02-forged-lower-pass", outFlagged, "first_name face facebook instagram", []app.ReplyFlag{app.FlagForgedAuth}, ""},
	{"f03-other-address", outFlagged, "first_name face facebook instagram", []app.ReplyFlag{app.FlagSenderMismatch}, ""},
	{"f04-dmarc-pass-other-domain", outFlagged, "first_name face facebook instagram", []app.ReplyFlag{app.FlagSenderFailed}, ""},
	{"f05-softfail-no-dmarc", outFlagged, "first_name face facebook instagram", []app.ReplyFlag{app.FlagSenderFailed}, ""},
	{"f06-forwarded-by-partner", outFlagged, "-", []app.ReplyFlag{app.FlagSenderMismatch}, ""},
	// No header from the practice's provider at all: nothing to believe or
	// to flag; the reply reads as an ordinary answer.
	{"f07-no-provider-header-forged-only", outConsent, "first_name face facebook instagram", nil, ""},

	{"g01-unknown-reference", outUnmatched, "-", []app.ReplyFlag{app.FlagNoMatchingRequest}, ""},
	{"g02-no-reference", outIgnored, "-", nil, ""},

	{"h01-testimonial-words", outWords, "-", nil, ""},
	{"h02-testimonial-html-only", outWords, "-", nil, ""},

	// No reference at all: kept only as a withdrawal from an address a
	// request went to.
	{"i01-new-email-withdrawal-no-reference", outWithdrawal, "-", []app.ReplyFlag{app.FlagNoReference}, ""},
	{"i02-new-email-from-patient-not-withdrawal", outIgnored, "-", nil, ""},
	{"i03-withdrawal-from-stranger-no-reference", outIgnored, "-", nil, ""},
}

func keys(s string) []string {
	f := strings.Fields(s)
	slices.Sort(f)
	return f
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	if s == nil {
		return []string{}
	}
	return s
}

func TestReplyCorpus(t *testing.T) {
	if len(corpus) < 60 {
		t.Fatalf("the corpus has %d replies, want at least 60", len(corpus))
	}
	files, err := filepath.Glob("testdata/replies/*.eml")
	if err != nil || len(files) != len(corpus) {
		t.Fatalf("%d files for %d expectations (%v)", len(files), len(corpus), err)
	}
	store := NewMemStore()
	scope := corpusScope()
	at := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	for _, r := range []app.SentRequest{
		{Ref: "1", Token: "PP-AAAA01", Kind: app.KindConsent, PatientName: "Zoë Brontë", PatientEmail: "zoe@example.org", Scope: scope, SentAt: at},
		{Ref: "2", Token: "PP-BBBB02", Kind: app.KindConsent, PatientName: "Zoë Brontë", PatientEmail: "zoe@example.org", Scope: scope, SentAt: at, Answered: true},
		{Ref: "3", Token: "PP-CCCC03", Kind: app.KindTestimonial, PatientName: "Zoë Brontë", PatientEmail: "zoe@example.org", SentAt: at},
	} {
		store.AddRequest(r)
	}
	in := Intake{ProviderIDs: []string{"mx.google.com"}}
	counts := map[string]int{}
	for _, c := range corpus {
		t.Run(c.file, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", "replies", c.file+".eml"))
			if err != nil {
				t.Fatal(err)
			}
			it, keep, err := BuildItem(context.Background(), store, raw, in)
			if err != nil {
				t.Fatal(err)
			}
			counts[c.out]++
			if c.out == outIgnored {
				if keep {
					t.Fatalf("kept: intent %s flags %v", it.Intent, it.Flags)
				}
				return
			}
			if !keep || it == nil {
				t.Fatal("not kept")
			}
			for _, f := range c.flags {
				if !it.HasFlag(f) {
					t.Errorf("flag %s missing; flags %v notes %v", f, it.Flags, it.Notes)
				}
			}
			if c.agreed != "-" && !slices.Equal(sorted(it.Scope.Agreed), keys(c.agreed)) {
				t.Errorf("agreed %v, want %v (declined %v, unclear %v %v)", it.Scope.Agreed, keys(c.agreed), it.Scope.Declined, it.Scope.Ambiguous, it.Scope.Unclear)
			}
			if c.unclear != "" && !slices.Equal(sorted(it.Scope.Ambiguous), keys(c.unclear)) {
				t.Errorf("read two ways %v, want %v", it.Scope.Ambiguous, keys(c.unclear))
			}
			if want := strings.Contains(c.file, "html-only"); want != it.HTMLOnly {
				t.Errorf("HTMLOnly %v, want %v", it.HTMLOnly, want)
			}
			switch c.out {
			case outConsent:
				if it.Intent != app.IntentAnswer || it.NeedsResolution() || it.NeedsSenderCheck() || it.RequestKind != app.KindConsent || it.HasFlag(app.FlagNoScope) {
					t.Errorf("not a clean consent: intent %s flags %v notes %v", it.Intent, it.Flags, it.Notes)
				}
				if len(it.Scope.Ambiguous)+len(it.Scope.Unanswered)+len(it.Scope.Unclear) != 0 {
					t.Errorf("left open: %+v", it.Scope)
				}
				if it.TypedName != "Zoë Brontë" {
					t.Errorf("typed name %q", it.TypedName)
				}
			case outHeld:
				if it.Intent != app.IntentAnswer || !it.NeedsResolution() || it.NeedsSenderCheck() {
					t.Errorf("not held: intent %s flags %v", it.Intent, it.Flags)
				}
			case outWithdrawal:
				if it.Intent != app.IntentWithdrawal || it.Withdrawal == "" || !it.HasFlag(app.FlagWithdrawal) {
					t.Errorf("not a withdrawal: intent %s flags %v words %q", it.Intent, it.Flags, it.Words)
				}
				if !it.HasFlag(app.FlagAfterAnswer) && !it.NeedsResolution() {
					t.Error("a withdrawal in a first answer must be held")
				}
			case outNeedsLook:
				if it.Intent != app.IntentNeedsLook || it.Withdrawal != "" {
					t.Errorf("intent %s withdrawal %q", it.Intent, it.Withdrawal)
				}
			case outFlagged:
				if !it.NeedsSenderCheck() || it.Intent != app.IntentAnswer {
					t.Errorf("sender not flagged: %+v flags %v", it.Sender, it.Flags)
				}
			case outUnmatched:
				if it.Intent != app.IntentUnmatched || !it.HeadersOnly || it.Words != "" || len(it.Attachments) != 0 || strings.Contains(string(it.Raw), "NHS") {
					t.Errorf("unmatched kept more than its header: intent %s words %q files %d", it.Intent, it.Words, len(it.Attachments))
				}
			case outBounced:
				if it.Intent != app.IntentBounced || it.RequestToken == "" || len(it.Notes) != 1 || !strings.Contains(it.Notes[0], "does not exist") {
					t.Errorf("not read as returned: intent %s token %q notes %v", it.Intent, it.RequestToken, it.Notes)
				}
			case outNoAnswer:
				if !it.HasFlag(app.FlagNoScope) {
					t.Errorf("flags %v", it.Flags)
				}
			case outWords:
				if it.Intent != app.IntentAnswer || it.RequestKind != app.KindTestimonial || it.Words == "" {
					t.Errorf("testimonial: intent %s kind %s words %q", it.Intent, it.RequestKind, it.Words)
				}
			}
		})
	}
	t.Logf("outcomes: %v", counts)
}
