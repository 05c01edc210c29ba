package consent

import (
	"regexp"
	"strings"
	"time"
	"unicode"
)

// Approving edited words by email (compliance §3.5 E5, §3.6 item 7). The
// practice emails the patient the words they approved and the new ones; the
// patient replies. These rules decide when a reply counts as the patient's
// approval. They take values and return values: the service reads the reply
// and the request, and stores what they decide.
//
// The rule:
//
//  1. Only a reply to this request (matched by its token) from the address
//     the request went to, which is the patient's address on record, can
//     count. A reply from any other address, or one the practice's mail
//     provider says may be forged, never counts, whatever the manager says:
//     the patient is asked again.
//  2. The request is open for ApprovalRequestDays after it was sent. A reply
//     after that never counts: words approved weeks later may no longer be
//     what the patient meant to approve, so the practice asks again.
//  3. A reply that is a plain yes ("I approve", "yes", "I agree", "that's
//     fine", with nothing that qualifies it) is the approval, recorded at
//     once with the reply as evidence.
//  4. A plain no ("I do not approve", "no") declines. The manager cannot turn
//     it into an approval: only a new request and a new answer can.
//  5. Anything else (a yes with a "but", a question, a yes and a no, an empty
//     reply) is unclear and is not an approval until the manager reads it
//     and confirms that it approves the words (after checking with the
//     patient if need be). The manager may instead decline it.
//
// An approval is only ever of the words the email showed: if the
// testimonial's words changed after it was sent, the reply approves nothing
// (the store also refuses words that differ).

// ApprovalRequestDays is how long an emailed request to approve new words
// stays open.
const ApprovalRequestDays = 30

// ApprovalAnswer is what a reply's words say.
type ApprovalAnswer string

const (
	AnswerApprove ApprovalAnswer = "approve"
	AnswerDecline ApprovalAnswer = "decline"
	AnswerUnclear ApprovalAnswer = "unclear"
)

// ManagerDecision is the manager's reading of an unclear reply.
type ManagerDecision string

const (
	ManagerNone     ManagerDecision = ""
	ManagerApproves ManagerDecision = "approves"
	ManagerDeclines ManagerDecision = "declines"
)

// ApprovalReply is what is known about one reply to an approval request.
type ApprovalReply struct {
	Answer ApprovalAnswer
	// FromPatient: the reply came from the address the request went to.
	FromPatient bool
	// SenderInDoubt: the practice's provider says the sender may be forged
	// (DMARC failed, or a forged sender check).
	SenderInDoubt bool
	SentAt        time.Time // when the request was sent
	ReceivedAt    time.Time // when the reply arrived
	// WordsChanged: the testimonial no longer carries the words the email
	// showed.
	WordsChanged bool
	Manager      ManagerDecision
}

// ApprovalVerdict is what a reply amounts to.
type ApprovalVerdict string

const (
	// VerdictApproved: the reply is the patient's approval of the words.
	VerdictApproved ApprovalVerdict = "approved"
	// VerdictDeclined: the patient (or the manager reading an unclear
	// reply) said no.
	VerdictDeclined ApprovalVerdict = "declined"
	// VerdictNeedsManager: unclear; the manager must read it.
	VerdictNeedsManager ApprovalVerdict = "needs_manager"
	// VerdictNotFromPatient: another address, or a sender in doubt.
	VerdictNotFromPatient ApprovalVerdict = "not_from_patient"
	// VerdictExpired: the reply came after the request closed.
	VerdictExpired ApprovalVerdict = "expired"
	// VerdictWordsChanged: the words were edited again after the email.
	VerdictWordsChanged ApprovalVerdict = "words_changed"
)

// JudgeApprovalReply applies the rule above to one reply.
func JudgeApprovalReply(r ApprovalReply) ApprovalVerdict {
	switch {
	case !r.FromPatient || r.SenderInDoubt:
		return VerdictNotFromPatient
	case r.SentAt.IsZero() || r.ReceivedAt.After(r.SentAt.AddDate(0, 0, ApprovalRequestDays)):
		return VerdictExpired
	case r.WordsChanged:
		return VerdictWordsChanged
	case r.Answer == AnswerApprove:
		return VerdictApproved
	case r.Answer == AnswerDecline:
		return VerdictDeclined
	case r.Manager == ManagerApproves:
		return VerdictApproved
	case r.Manager == ManagerDeclines:
		return VerdictDeclined
	}
	return VerdictNeedsManager
}

var (
	// Words that approve, as whole phrases of the normalised reply.
	approveRe = regexp.MustCompile(`\b(i approve|approved?|yes|yes please|i agree|agreed|that'?s fine|that is fine|fine by me|happy with (it|them|that|the new words|this)|i'?m happy|i am happy|looks good|ok|okay|go ahead)\b`)
	// Words that decline or negate; any of them makes a yes unclear.
	declineRe = regexp.MustCompile(`\b(no|not|don'?t|do not|never|decline|declined|disagree|refuse|rather you didn'?t|withdraw)\b`)
	// Words that qualify an answer: a yes with one of these is unclear.
	qualifyRe = regexp.MustCompile(`\b(but|however|except|unless|change|changed|instead|if|although|only if|rather|prefer|could you|can you|would you|please remove|maybe|perhaps|not sure)\b`)
	// A plain no: the reply is only a refusal.
	plainNoRe = regexp.MustCompile(`^(no|no thank you|no thanks|i do not approve|i don'?t approve|i do not agree|i don'?t agree|i decline|not approved|sorry no|no sorry|please do not use (it|them|the new words)|please don'?t use (it|them|the new words))$`)
)

// ReadApprovalAnswer reads the patient's own words (quoted history already
// removed) as a plain yes, a plain no, or unclear. It leans to unclear: a
// wrong "unclear" costs the manager a minute, a wrong "yes" publishes words
// the patient did not approve.
func ReadApprovalAnswer(words string) ApprovalAnswer {
	lines := answerLines(words)
	if len(lines) == 0 {
		return AnswerUnclear
	}
	all := strings.Join(lines, " ")
	if strings.Contains(words, "?") || qualifyRe.MatchString(all) {
		return AnswerUnclear
	}
	// The answer is the first line that says something; greetings and a
	// sign-off around it are not read as part of it.
	first := lines[0]
	switch {
	case plainNoRe.MatchString(first):
		if approveRe.MatchString(strings.Join(lines[1:], " ")) {
			return AnswerUnclear
		}
		return AnswerDecline
	case declineRe.MatchString(all):
		return AnswerUnclear
	case approveRe.MatchString(first) && len(strings.Fields(first)) <= 12:
		return AnswerApprove
	}
	return AnswerUnclear
}

var greetingRe = regexp.MustCompile(`^(hi|hello|hey|dear|good (morning|afternoon|evening))\b.{0,40}$|^(thanks|thank you|many thanks|kind regards|regards|best wishes|best|cheers|sent from my)\b.{0,40}$`)

// answerLines are the reply's lines, lower case, punctuation made space,
// without greetings, sign-offs, the request reference and the name under a
// sign-off. Anything after that name (a "P.S. could you take out…") is
// part of the answer: a yes with a postscript that qualifies it is not a
// plain yes.
func answerLines(words string) []string {
	var out []string
	signedOff, nameLines := false, 0
	for _, l := range strings.Split(words, "\n") {
		n := normalAnswer(l)
		if n == "" || tokenLineRe.MatchString(n) {
			continue
		}
		answering := approveRe.MatchString(n) || declineRe.MatchString(n) || qualifyRe.MatchString(n)
		if signedOff && !answering && nameLines < maxNameLines && len(strings.Fields(n)) <= maxNameWords {
			nameLines++
			continue
		}
		if greetingRe.MatchString(n) && !approveRe.MatchString(n) && !declineRe.MatchString(n) {
			if len(out) > 0 && signOffRe.MatchString(n) {
				signedOff = true
			}
			continue
		}
		out = append(out, n)
	}
	return out
}

// The name under a sign-off: a line or two ("Zoë", "Zoë Brontë", "Mum of
// Alfie") of a few words.
const (
	maxNameLines = 2
	maxNameWords = 4
)

var (
	tokenLineRe = regexp.MustCompile(`^(re )?(ref(erence)? )?pp [0-9a-z]{6}$`)
	signOffRe   = regexp.MustCompile(`^(thanks|thank you|many thanks|kind regards|regards|best wishes|best|cheers|sent from my)\b`)
)

func normalAnswer(line string) string {
	line = strings.ToLower(strings.ReplaceAll(line, "’", "'"))
	var b strings.Builder
	for _, r := range line {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' {
			b.WriteRune(r)
		} else {
			b.WriteRune(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}
