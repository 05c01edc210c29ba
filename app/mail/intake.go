package mail

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"practicepost/app"
)

// build turns raw bytes into a review item; it does no I/O except request
// lookups, so it is shared with tests and the fuzzer through BuildItem.
func (s *Syncer) build(ctx context.Context, raw []byte, size int64, tooBig bool) (*app.ReviewItem, bool) {
	item, keep, err := BuildItem(ctx, s.Store, raw, s.intake())
	if err != nil {
		s.log().Warn("mail: request lookup failed", "err", err)
	}
	if item != nil && tooBig {
		item.Flags = addFlag(item.Flags, app.FlagMessageTooLarge)
		item.Notes = append(item.Notes, "This email ("+humanSize(size)+") is larger than "+humanSize(s.Limits.message())+", so only its header was kept. Open it in your email program and ask the patient to send smaller files.")
		if !item.HasFlag(app.FlagUnsigned) && item.RequestKind == app.KindConsent && item.TypedName == "" {
			item.Flags = addFlag(item.Flags, app.FlagUnsigned)
		}
	}
	return item, keep
}

// Intake is how incoming mail is judged beyond its size.
type Intake struct {
	Limits Limits
	// ProviderIDs are the authserv-ids of the practice's own provider
	// (Settings.ProviderIDs): only its Authentication-Results are read.
	ProviderIDs []string
}

// BuildItem parses a raw reply and matches it to its request. keep=false
// means the message is an automatic reply or has no request token, and
// should not reach the review queue.
func BuildItem(ctx context.Context, reqs Requests, raw []byte, in Intake) (*app.ReviewItem, bool, error) {
	sum := sha256.Sum256(raw)
	p, perr := ParseMessage(raw, in.Limits)
	if perr != nil {
		// Not readable as mail at all, so no reference can be found in it:
		// keep only what looks like a header, for a person to see.
		hdr := headerOnly(raw)
		hs := sha256.Sum256(hdr)
		return &app.ReviewItem{
			Key: dedupKey("", raw), Raw: hdr, RawSHA256: hex.EncodeToString(hs[:]), Intent: app.IntentUnmatched, HeadersOnly: true,
			Flags: []app.ReplyFlag{app.FlagUnreadableText, app.FlagNoMatchingRequest},
			Notes: []string{"This email could not be read. Open it in your email program to see what the patient sent."},
		}, true, nil
	}
	if req, reason, ok, err := bounce(ctx, reqs, raw, p); err != nil || ok {
		if !ok {
			return nil, false, err
		}
		return &app.ReviewItem{
			Key: dedupKey(p.MessageID, raw), MessageID: p.MessageID, FromName: p.FromName, FromAddress: p.FromAddress, Subject: p.Subject,
			Date: p.Date.UTC(), Raw: raw, RawSHA256: hex.EncodeToString(sum[:]), Intent: app.IntentBounced,
			RequestRef: req.Ref, RequestToken: req.Token, RequestKind: req.Kind, Notes: []string{reason},
		}, true, nil
	}
	if p.AutoReply {
		return nil, false, nil
	}
	item := &app.ReviewItem{
		Key: dedupKey(p.MessageID, raw), MessageID: p.MessageID,
		FromName: p.FromName, FromAddress: p.FromAddress, Subject: p.Subject, Date: p.Date.UTC(),
		Words: p.Words, Attachments: p.Attachments, Flags: slices.Clone(p.Flags), Notes: slices.Clone(p.Notes),
		HTMLOnly: p.HTMLOnly, Raw: raw, RawSHA256: hex.EncodeToString(sum[:]), Intent: app.IntentAnswer,
	}

	// Tokens in order of trust: our own header, then the threading headers
	// a mail program copies, then what a person may have edited.
	var tokens []string
	for _, src := range []string{p.RequestHdr, strings.Join(p.InReplyTo, " "), strings.Join(p.References, " "), p.Subject, p.Words, p.Quoted} {
		for _, t := range findTokens(src) {
			if !slices.Contains(tokens, t) {
				tokens = append(tokens, t)
			}
		}
	}
	if len(tokens) == 0 {
		return withdrawalWithoutReference(ctx, reqs, item, p, in)
	}
	var matched []app.SentRequest
	var lookupErr error
	for _, t := range tokens {
		r, ok, err := reqs.RequestByToken(ctx, t)
		if err != nil {
			lookupErr = err
			continue
		}
		if ok {
			matched = append(matched, r)
		}
	}
	if lookupErr != nil && len(matched) == 0 {
		return nil, false, lookupErr
	}
	if len(matched) == 0 {
		// Anyone who knows the practice's address can send a reference:
		// without a request behind it, nothing of the body is kept.
		hdr := headerOnly(raw)
		hs := sha256.Sum256(hdr)
		return &app.ReviewItem{
			Key: item.Key, MessageID: p.MessageID, FromName: p.FromName, FromAddress: p.FromAddress, Subject: p.Subject,
			Date: p.Date.UTC(), Raw: hdr, RawSHA256: hex.EncodeToString(hs[:]), RequestToken: tokens[0],
			Intent: app.IntentUnmatched, HeadersOnly: true, Flags: []app.ReplyFlag{app.FlagNoMatchingRequest},
			Sender: CheckSender(p.AuthResults, in.ProviderIDs, p.FromAddress),
			Notes:  []string{"This email mentions the reference " + tokens[0] + ", but no request with that reference was found, so only its header was kept. Open it in your email program if it matters."},
		}, true, nil
	}
	req := matched[0]
	if len(matched) > 1 {
		item.Flags = addFlag(item.Flags, app.FlagConflictingTokens)
		item.Notes = append(item.Notes, "This email mentions more than one request reference; it was matched to "+req.Token+" (from the email's reply headers). Check it is the right patient.")
	}
	item.RequestRef, item.RequestToken, item.RequestKind = req.Ref, req.Token, req.Kind
	checkSender(item, p, req, in.ProviderIDs)

	if phrase, ok := ReadWithdrawal(p.Words); ok {
		item.Withdrawal = phrase
		item.Flags = addFlag(item.Flags, app.FlagWithdrawal)
		item.Intent = app.IntentWithdrawal
		item.Notes = append(item.Notes, "The patient's words read as a withdrawal: “"+phrase+"”. Their consents are on hold until you confirm the withdrawal or release the hold on Home.")
	}
	if req.Answered {
		item.Flags = addFlag(item.Flags, app.FlagAfterAnswer)
		if item.Intent != app.IntentWithdrawal {
			item.Intent = app.IntentNeedsLook
			item.Notes = append(item.Notes, "This request was already answered and confirmed. This later reply is not a consent: read it and deal with it by hand.")
		}
		return item, true, nil
	}
	if req.Kind != app.KindConsent {
		return item, true, nil
	}

	item.Scope = ReadScope(p.Words, p.Quoted, req.Scope)
	name, nameAmbiguous := ReadTypedName(p.Words, req.PatientName)
	item.TypedName = name
	if item.Scope.NeedsReview() || nameAmbiguous {
		item.Flags = addFlag(item.Flags, app.FlagAmbiguous)
	}
	if item.Scope.FromQuote {
		item.Flags = addFlag(item.Flags, app.FlagAnsweredInQuote)
		item.Notes = append(item.Notes, "The patient ticked the boxes inside the quoted request. Check the ticks carefully.")
	}
	answered := len(item.Scope.Agreed) + len(item.Scope.Declined) + len(item.Scope.Ambiguous)
	if answered == 0 && len(item.Scope.Unclear) == 0 {
		item.Flags = addFlag(item.Flags, app.FlagNoScope)
	} else if len(item.Scope.Unanswered) > 0 {
		item.Flags = addFlag(item.Flags, app.FlagMissingBoxes)
	}
	if name == "" && len(item.Attachments) == 0 {
		item.Flags = addFlag(item.Flags, app.FlagUnsigned)
	}
	if name != "" && !SameName(name, req.PatientName) {
		item.Flags = addFlag(item.Flags, app.FlagNameMismatch)
	}
	return item, true, nil
}

// checkSender flags a reply whose sender the practice cannot take on trust:
// another address than the request went to, a failed DMARC check by the
// practice's provider, or a forged lower Authentication-Results header.
func checkSender(item *app.ReviewItem, p *Parsed, req app.SentRequest, providers []string) {
	item.Sender = CheckSender(p.AuthResults, providers, p.FromAddress)
	if req.PatientEmail != "" && !strings.EqualFold(req.PatientEmail, p.FromAddress) {
		item.Flags = addFlag(item.Flags, app.FlagSenderMismatch)
		item.Notes = append(item.Notes, "This reply came from a different email address than the one the request was sent to. Check it really is from the patient.")
	}
	if item.Sender.Verdict == app.VerdictFail {
		item.Flags = addFlag(item.Flags, app.FlagSenderFailed)
		item.Notes = append(item.Notes, "Your mail provider could not confirm this email came from "+p.FromAddress+" (DMARC "+orDefault(item.Sender.DMARC, "none")+", SPF "+orDefault(item.Sender.SPF, "none")+", DKIM "+orDefault(item.Sender.DKIM, "none")+"). It may be forged.")
	}
	if item.Sender.Forged {
		item.Flags = addFlag(item.Flags, app.FlagForgedAuth)
		item.Notes = append(item.Notes, "This email carries a second, lower sender check claiming a pass your mail provider did not give. Someone may have added it to make a forged email look genuine.")
	}
}

// withdrawalWithoutReference keeps a mail with no reference only when it
// comes from the address a request went to, or a patient's email on
// record, and reads as a withdrawal: it is matched to the newest such
// request, or to the patients at that address, so their consents are held.
// Any other mail without a reference is not PracticePost's to keep.
func withdrawalWithoutReference(ctx context.Context, reqs Requests, item *app.ReviewItem, p *Parsed, in Intake) (*app.ReviewItem, bool, error) {
	if p.FromAddress == "" {
		return nil, false, nil
	}
	phrase, ok := ReadWithdrawal(p.Words)
	if !ok {
		return nil, false, nil
	}
	rs, err := reqs.RequestsTo(ctx, p.FromAddress)
	if err != nil {
		return nil, false, err
	}
	if len(rs) == 0 {
		return withdrawalFromRecord(ctx, reqs, item, p, in, phrase)
	}
	req := rs[0]
	item.RequestRef, item.RequestToken, item.RequestKind = req.Ref, req.Token, req.Kind
	item.Intent, item.Withdrawal = app.IntentWithdrawal, phrase
	item.Flags = addFlag(addFlag(item.Flags, app.FlagWithdrawal), app.FlagNoReference)
	if req.Answered {
		item.Flags = addFlag(item.Flags, app.FlagAfterAnswer)
	}
	checkSender(item, p, req, in.ProviderIDs)
	item.Notes = append(item.Notes,
		"This email has no request reference; it was matched to the patient by the address it came from.",
		"The patient's words read as a withdrawal: “"+phrase+"”. Their consents are on hold until you confirm the withdrawal or release the hold on Home.")
	return item, true, nil
}

// withdrawalFromRecord keeps a withdrawal from an address no request went
// to when it is a patient's email on record (a family may share one: each
// patient there is held until the manager looks).
func withdrawalFromRecord(ctx context.Context, reqs Requests, item *app.ReviewItem, p *Parsed, in Intake, phrase string) (*app.ReviewItem, bool, error) {
	ps, err := reqs.PatientsAt(ctx, p.FromAddress)
	if err != nil || len(ps) == 0 {
		return nil, false, err
	}
	names := make([]string, len(ps))
	for i, pt := range ps {
		item.Patients = append(item.Patients, pt.ID)
		names[i] = pt.Name
	}
	item.Intent, item.Withdrawal = app.IntentWithdrawal, phrase
	item.Flags = addFlag(addFlag(item.Flags, app.FlagWithdrawal), app.FlagNoReference)
	checkSender(item, p, app.SentRequest{PatientEmail: p.FromAddress}, in.ProviderIDs)
	item.Notes = append(item.Notes,
		"This email answers no request: it came from the address on record for "+strings.Join(names, " and ")+".",
		"The words read as a withdrawal: “"+phrase+"”. Their consents are on hold until you confirm the withdrawal or release the hold on Home.")
	return item, true, nil
}
