package gate

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"practicepost/app/guard"
)

// MailPost is an email to a patient as it will be sent: a consent request,
// a request for a testimonial, or a request to approve a testimonial's
// edited words.
type MailPost struct {
	PatientID int64 // the recipient
	// Note is the manager's own line, typed freely.
	Note string
	// Words are a testimonial's edited words the email asks the patient to
	// approve: the manager's wording of what the patient said. With the
	// note, the only words of the email PracticePost did not write.
	Words string
	// ConsentID is the consent the email asks about (a quote approval), 0
	// when none: a withdrawn consent, or one the patient asked by email to
	// withdraw, is not written to about its testimonial.
	ConsentID int64
}

// MailResult is the verdict on an email.
type MailResult struct {
	Findings []guard.Finding
	Blocked  bool
	// Field names the part of the form a blocking identifier was found in
	// ("note" or "words"), "" when none was.
	Field string
}

// Reasons are the blocking findings' messages, each once.
func (r MailResult) Reasons() []string {
	return Result{Report: guard.Report{Findings: r.Findings}}.Reasons()
}

// Mail judges an email to a patient against the data as r sees it, inside
// the transaction that records the request, at now. The recipient may read
// their own name; anyone else's, and any identifier, stays out of the note:
// an email passes through servers the practice does not control, and a
// note meant for one patient can name another.
func (g *Gate) Mail(ctx context.Context, r Reader, m MailPost, now time.Time) (MailResult, error) {
	s, err := g.Load(ctx, r, nil)
	if err != nil {
		return MailResult{}, err
	}
	out := MailResult{Findings: []guard.Finding{}}
	if _, ok := s.Patients[m.PatientID]; !ok {
		out.Findings = append(out.Findings, guard.Finding{Kind: "mail_no_patient", Severity: guard.Block,
			Message: "The patient this email is for is no longer in PracticePost.", Fix: "Open Patients, find the patient and send the request again from their page."})
	}
	allow := s.Practice.Allow
	allow.ConsentedPatients = append(append([]string(nil), allow.ConsentedPatients...), strconv.FormatInt(m.PatientID, 10))
	for _, part := range []struct{ field, text, what, fix string }{
		{"note", m.Note, "The personal note contains", "Take it out of the personal note: the email already says what the request is for."},
		{"words", m.Words, "The testimonial's new words contain", "Edit the testimonial to take it out of its words, then ask the patient to approve them."},
	} {
		if strings.TrimSpace(part.text) == "" {
			continue
		}
		for _, f := range guard.Scan(part.text, s.Practice.Names, allow) {
			out.Findings = append(out.Findings, guard.Finding{Kind: f.Kind, Severity: f.Severity, Start: f.Start, End: f.End, Text: f.Text,
				Message: fmt.Sprintf("%s %s (%s). An email passes through servers the practice does not control, and an email to one patient must not name another or carry their details.", part.what, guard.KindNoun(f.Kind), strings.Join(strings.Fields(f.Text), " ")),
				Fix:     part.fix})
			if f.Severity == guard.Block && out.Field == "" {
				out.Field = part.field
			}
		}
	}
	if m.ConsentID != 0 {
		e, ok := s.Consents[m.ConsentID]
		switch {
		case !ok:
			out.Findings = append(out.Findings, guard.Finding{Kind: "consent_missing", Severity: guard.Block,
				Message: "The consent this email asks about is no longer in PracticePost.", Fix: "Open the testimonial and record its consent again."})
		case e.Record.Revocation != nil && !e.Record.Revocation.At.After(now):
			out.Findings = append(out.Findings, guard.Finding{Kind: "consent_revoked", Severity: guard.Block,
				Message: "The patient has withdrawn this consent, so PracticePost will not email them about its testimonial.", Fix: "Nothing to send: the testimonial cannot be used whatever its words."})
		case e.Record.Hold.Active(now):
			out.Findings = append(out.Findings, guard.Finding{Kind: "consent_on_hold", Severity: guard.Block,
				Message: "The patient asked by email to withdraw this consent (it is on hold), so PracticePost will not ask them to approve new words for it.",
				Fix:     "On Home, under \"A patient asked by email to withdraw\", read their email. If they meant something else, release the hold with a note, then send the request again."})
		}
	}
	out.Blocked = guard.Blocked(out.Findings)
	return out, nil
}
