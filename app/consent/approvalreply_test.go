package consent

import (
	"testing"
	"time"
)

func TestReadApprovalAnswer(t *testing.T) {
	for _, c := range []struct {
		words string
		want  ApprovalAnswer
	}{
		{"I approve", AnswerApprove},
		{"Yes", AnswerApprove},
		{"yes.", AnswerApprove},
		{"Hello,\n\nYes, that's fine.\n\nThanks,\nZoë", AnswerApprove},
		{"Hi Sam, I approve the new words.\nZoë", AnswerApprove},
		{"Approved!\n\nSent from my iPhone", AnswerApprove},
		{"PP-7K3M9Q\nI agree", AnswerApprove},
		{"Yes, that's fine.\n\nKind regards,\nZoë Brontë\nMum of Alfie\n\nSent from my iPhone", AnswerApprove},
		// A postscript after the name under the sign-off is part of the answer.
		{"Yes, that's fine.\n\nThanks,\nZoë\n\nPS could you change \"pain-free\" to \"almost pain-free\" please.", AnswerUnclear},
		{"Yes looks good\nKind regards\nZoë Brontë\n\nP.S. I'd rather you didn't mention my divorce, can you take that line out.", AnswerUnclear},
		{"Yes\nThanks\nZoë\nPS: not the bit about my knee", AnswerUnclear},
		{"I do not approve", AnswerDecline},
		{"No", AnswerDecline},
		{"No thank you.\n\nKind regards\nZoë", AnswerDecline},
		{"I don’t approve", AnswerDecline},
		{"Please don't use them", AnswerDecline},
		// Unclear: a qualified yes, a question, a yes and a no, nothing.
		{"Yes, but please change “amazing” back to “good”.", AnswerUnclear},
		{"Is it OK if I think about it?", AnswerUnclear},
		{"Yes\nActually no", AnswerUnclear},
		{"No\n\nOh wait, yes I approve", AnswerUnclear},
		{"No problem, I approve", AnswerUnclear},
		{"I'm not happy with it", AnswerUnclear},
		{"", AnswerUnclear},
		{"Thanks,\nZoë", AnswerUnclear},
		{"I would rather you used my original words", AnswerUnclear},
		{"Please withdraw my consent", AnswerUnclear},
		{"Sounds lovely, the dentist was great and I keep telling my friends about how kind everyone was, yes", AnswerUnclear},
		// The instructions quoted back without the ">" markers hold both.
		{"Reply to this email with \"I approve\" (or \"yes\") if we may use the new words.\nReply with \"I do not approve\" (or \"no\") if we may not.", AnswerUnclear},
	} {
		if got := ReadApprovalAnswer(c.words); got != c.want {
			t.Errorf("ReadApprovalAnswer(%q) = %s, want %s", c.words, got, c.want)
		}
	}
}

func TestJudgeApprovalReply(t *testing.T) {
	sent := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	ok := ApprovalReply{Answer: AnswerApprove, FromPatient: true, SentAt: sent, ReceivedAt: sent.Add(48 * time.Hour)}
	with := func(f func(*ApprovalReply)) ApprovalReply { r := ok; f(&r); return r }
	for name, c := range map[string]struct {
		r    ApprovalReply
		want ApprovalVerdict
	}{
		"a plain yes from the patient":   {ok, VerdictApproved},
		"a plain no":                     {with(func(r *ApprovalReply) { r.Answer = AnswerDecline }), VerdictDeclined},
		"a no the manager would approve": {with(func(r *ApprovalReply) { r.Answer, r.Manager = AnswerDecline, ManagerApproves }), VerdictDeclined},
		"unclear, not yet read":          {with(func(r *ApprovalReply) { r.Answer = AnswerUnclear }), VerdictNeedsManager},
		"unclear, the manager approves":  {with(func(r *ApprovalReply) { r.Answer, r.Manager = AnswerUnclear, ManagerApproves }), VerdictApproved},
		"unclear, the manager declines":  {with(func(r *ApprovalReply) { r.Answer, r.Manager = AnswerUnclear, ManagerDeclines }), VerdictDeclined},
		"a yes from another address":     {with(func(r *ApprovalReply) { r.FromPatient = false }), VerdictNotFromPatient},
		"another address, manager says yes": {with(func(r *ApprovalReply) {
			r.FromPatient, r.Answer, r.Manager = false, AnswerUnclear, ManagerApproves
		}), VerdictNotFromPatient},
		"a yes the provider says may be forged": {with(func(r *ApprovalReply) { r.SenderInDoubt = true }), VerdictNotFromPatient},
		"a yes on the last open day":            {with(func(r *ApprovalReply) { r.ReceivedAt = sent.AddDate(0, 0, ApprovalRequestDays) }), VerdictApproved},
		"a yes after the request closed": {with(func(r *ApprovalReply) {
			r.ReceivedAt = sent.AddDate(0, 0, ApprovalRequestDays).Add(time.Minute)
		}), VerdictExpired},
		"a request never sent":                      {with(func(r *ApprovalReply) { r.SentAt = time.Time{} }), VerdictExpired},
		"a yes to words edited again since":         {with(func(r *ApprovalReply) { r.WordsChanged = true }), VerdictWordsChanged},
		"unclear to words edited, manager approves": {with(func(r *ApprovalReply) { r.WordsChanged, r.Answer, r.Manager = true, AnswerUnclear, ManagerApproves }), VerdictWordsChanged},
	} {
		if got := JudgeApprovalReply(c.r); got != c.want {
			t.Errorf("%s: %s, want %s", name, got, c.want)
		}
	}
}
