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
	// Note is the manager's own line, typed freely: the only words of the
	// email that PracticePost did not write.
	Note string
	// ConsentID is the consent the email asks about (a quote approval), 0
	// when none: a withdrawn consent, or one the patient asked by email to
	// withdraw, is not written to about its testimonial.
	ConsentID int64
}

// MailResult is the verdict on an email.
type MailResult struct {
	Findings []guard.Finding
	Blocked  bool
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
	if strings.TrimSpace(m.Note) != "" {
		allow := s.Practice.Allow
		allow.ConsentedPatients = append(append([]string(nil), allow.ConsentedPatients...), strconv.FormatInt(m.PatientID, 10))
		for _, f := range guard.Scan(m.Note, s.Practice.Names, allow) {
			out.Findings = append(out.Findings, guard.Finding{Kind: f.Kind, Severity: f.Severity, Start: f.Start, End: f.End, Text: f.Text,
				Message: fmt.Sprintf("The personal note contains %s (%s). An email passes through servers the practice does not control, and a note to one patient must not name another or carry their details.", guard.KindNoun(f.Kind), strings.Join(strings.Fields(f.Text), " ")),
				Fix:     "Take it out of the personal note: the email already says what the request is for."})
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
