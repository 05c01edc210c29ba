package mail

import (
	"context"
	"regexp"
	"strings"

	"practicepost/app"
)

// A request that never reached the patient (a mistyped address, a full or
// closed mailbox) comes back as a delivery status notification. Read as an
// automatic reply it was dropped, and the manager waited for an answer that
// could not come; now it marks its request not sent, with the reason.

var (
	bounceFromRe     = regexp.MustCompile(`(?i)^(mailer-daemon|postmaster|mail-daemon|mailer)@`)
	bounceSubjectRe  = regexp.MustCompile(`(?i)undeliverable|undelivered mail|delivery status notification \(failure\)|mail delivery failed|returned mail|delivery has failed|failure notice|could not be delivered`)
	finalRecipientRe = regexp.MustCompile(`(?im)^(?:final|original)-recipient:\s*rfc822;\s*<?([^\s<>]+@[^\s<>]+?)>?\s*$`)
	diagnosticRe     = regexp.MustCompile(`(?im)^diagnostic-code:\s*smtp;\s*(.+)$`)
	statusRe         = regexp.MustCompile(`(?im)^status:\s*([245]\.\d{1,3}\.\d{1,3})`)
	actionRe         = regexp.MustCompile(`(?im)^action:\s*(\w+)`)
)

// bounce reads raw as a returned request: ok when it is a failure notice
// (not a delay) that names one of our requests, and the address it failed
// for, when it says, is the one that request went to.
func bounce(ctx context.Context, reqs Requests, raw []byte, p *Parsed) (req app.SentRequest, reason string, ok bool, err error) {
	text := string(raw)
	dsn := p.AutoReason == autoDeliveryReport
	if !dsn && !(bounceFromRe.MatchString(p.FromAddress) && bounceSubjectRe.MatchString(p.Subject)) {
		return req, "", false, nil
	}
	if a := actionRe.FindStringSubmatch(text); a != nil && !strings.EqualFold(a[1], "failed") {
		return req, "", false, nil // "delayed": the server is still trying
	}
	var status string
	if s := statusRe.FindStringSubmatch(text); s != nil {
		status = s[1]
	}
	if status != "" && !strings.HasPrefix(status, "5") && !strings.HasPrefix(status, "4") {
		return req, "", false, nil
	}
	var to string
	if m := finalRecipientRe.FindStringSubmatch(text); m != nil {
		to = strings.ToLower(m[1])
	}
	for _, t := range findTokens(text) {
		r, found, err := reqs.RequestByToken(ctx, t)
		if err != nil {
			return req, "", false, err
		}
		if found && (to == "" || strings.EqualFold(r.PatientEmail, to)) {
			return r, bounceReason(r.PatientEmail, status, text), true, nil
		}
	}
	return req, "", false, nil
}

// BouncedPrefix starts the reason a returned request gives.
const BouncedPrefix = "This email came back:"

// bounceReason says, for the manager, why the email came back and what to
// do: the server's own words are kept short and after ours.
func bounceReason(to, status, text string) string {
	why := "the patient's mail server could not deliver it"
	switch {
	case strings.HasPrefix(status, "5.1."):
		why = "the address does not exist at the patient's mail provider"
	case strings.HasPrefix(status, "5.2.2"), strings.HasPrefix(status, "4.2.2"):
		why = "the patient's mailbox is full"
	case strings.HasPrefix(status, "5.7."):
		why = "the patient's mail provider refused it"
	}
	out := BouncedPrefix + " " + why + " (" + to + ")."
	if d := diagnosticRe.FindStringSubmatch(text); d != nil {
		code := strings.TrimSpace(d[1])
		if r := []rune(code); len(r) > 120 {
			code = string(r[:119]) + "…"
		}
		out += " The server said: " + code + "."
	}
	return out + " Check the email address on the patient's record, then send the request again."
}
