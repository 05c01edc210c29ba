package service

import (
	"testing"

	"practicepost/app"
	"practicepost/app/consent"
)

// TestSignRefusalWords: the patient at the screen and the reviewer of an
// emailed reply are pointed at the scope choice the form is missing, chosen
// by the problem's field, whatever the refusal says.
func TestSignRefusalWords(t *testing.T) {
	refusal := func(fields ...string) error {
		var m consent.Missing
		for _, f := range fields {
			m = append(m, consent.Problem{Code: consent.CodeIncomplete, Reason: "reworded", Field: f})
		}
		return &app.Error{Code: app.EINVALID, Message: "The consent cannot be signed yet: reworded.", Err: m}
	}
	for _, c := range []struct {
		name   string
		err    error
		field  string
		screen string
		reply  string
	}{
		{"name", refusal("", "identity"), "identity", "Please tick at least one box to say how you may be named (it can be “No name (anonymous)”).",
			"Tick how the patient agreed to be named (full name, first name, initials or anonymous). If the reply does not say, ask the patient."},
		{"channel", refusal("channels"), "channels", "Please tick at least one place where the practice may use your testimonial.",
			"Tick at least one place the patient agreed to. If they agreed to none, reject the reply."},
		{"both: the name first", refusal("identity", "channels"), "identity", "Please tick at least one box to say how you may be named (it can be “No name (anonymous)”).",
			"Tick how the patient agreed to be named (full name, first name, initials or anonymous). If the reply does not say, ask the patient."},
		{"other", refusal(""), "", "The consent cannot be signed yet: reworded.", "The consent cannot be signed yet: reworded."},
	} {
		for _, w := range []struct {
			got  error
			want string
		}{{patientWords(c.err), c.screen}, {reviewerWords(c.err), c.reply}} {
			if app.ErrorField(w.got) != c.field || app.ErrorMessage(w.got) != w.want {
				t.Errorf("%s: field %q message %q, want %q %q", c.name, app.ErrorField(w.got), app.ErrorMessage(w.got), c.field, w.want)
			}
		}
	}
}
