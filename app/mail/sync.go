package mail

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"

	"practicepost/app"
)

// Syncer picks up replies from the watched mailbox into the review queue.
type Syncer struct {
	Account *Account
	Store   Store
	Clock   app.Clock
	Limits  Limits
	Log     *slog.Logger // nil discards
}

// Report describes one sync run.
type Report struct {
	Mailbox     string `json:"mailbox"`
	UIDValidity uint32 `json:"uidValidity"`
	Resynced    bool   `json:"resynced"` // UIDVALIDITY changed; everything was looked at again
	Candidates  int    `json:"candidates"`
	Recorded    int    `json:"recorded"`
	Duplicates  int    `json:"duplicates"`
	Ignored     int    `json:"ignored"`
	Moved       int    `json:"moved"`
	// KeptInMailbox counts recorded replies left in the watched mailbox
	// because the server cannot move them safely.
	KeptInMailbox int           `json:"keptInMailbox"`
	Took          time.Duration `json:"took"`
}

func (s *Syncer) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

// Sync connects, reads what is new since the last run and disconnects.
func (s *Syncer) Sync(ctx context.Context) (Report, error) {
	sess, err := s.Account.connectIMAP(ctx, nil)
	if err != nil {
		s.saveError(ctx, err)
		return Report{}, err
	}
	defer sess.Close()
	return s.syncOn(ctx, sess)
}

func (s *Syncer) saveError(ctx context.Context, err error) {
	st, gerr := s.Store.GetSyncState(ctx, s.Account.Settings.mailbox())
	if gerr != nil {
		return
	}
	st.LastError = app.ErrorMessage(err)
	if perr := s.Store.PutSyncState(ctx, st); perr != nil {
		s.log().Warn("mail: saving sync error failed", "err", perr)
	}
}

// searchMarker is in every token, subject and Message-ID we send, so a
// server-side search for it finds every possible reply without downloading
// the rest of the mailbox.
const searchMarker = "PP-"

func (s *Syncer) syncOn(ctx context.Context, sess *imapSession) (rep Report, err error) {
	start := time.Now()
	mbox := s.Account.Settings.mailbox()
	rep.Mailbox = mbox
	defer func() {
		rep.Took = time.Since(start)
		if err != nil {
			s.saveError(ctx, err)
			s.log().Warn("mail: sync failed", "mailbox", mbox, "code", app.ErrorCode(err), "err", err)
		}
	}()
	fail := func(st stage, e error) error {
		return s.Account.classify("imap", s.Account.Settings.IMAP, st, ctxErr(ctx, e))
	}

	st, err := s.Store.GetSyncState(ctx, mbox)
	if err != nil {
		return rep, app.Internal(err, "PracticePost could not read its email bookmark. Restart PracticePost; if it keeps happening, send the log file to support.")
	}
	st.Mailbox = mbox
	c := sess.c
	sel, err := c.Select(mbox, nil).Wait()
	if err != nil {
		return rep, fail(stageMailbox, err)
	}
	rep.UIDValidity = sel.UIDValidity
	if st.UIDValidity != sel.UIDValidity {
		if st.UIDValidity != 0 {
			// The server renumbered the mailbox. Look at everything again;
			// ReviewItem.Key keeps already-recorded replies from doubling.
			rep.Resynced = true
			st.Counts.Resyncs++
			s.log().Info("mail: UIDVALIDITY changed, resyncing", "mailbox", mbox, "old", st.UIDValidity, "new", sel.UIDValidity)
		}
		st.UIDValidity = sel.UIDValidity
		st.LastUID = 0
	}

	st.Note = ""
	if s.Account.Settings.MoveProcessed && !canMoveSafely(c.Caps()) {
		st.Note = noteCannotMove(mbox)
	}

	nothingNew := sel.NumMessages == 0 || (sel.UIDNext != 0 && uint32(sel.UIDNext) <= st.LastUID+1)
	if !nothingNew {
		if err := s.scan(ctx, sess, &st, &rep, uint32(sel.UIDNext)); err != nil {
			return rep, err
		}
	}
	st.LastSync = s.Clock.Now()
	st.LastError = ""
	if err := s.Store.PutSyncState(ctx, st); err != nil {
		return rep, app.Internal(err, "PracticePost could not save its email bookmark. Check there is free disk space.")
	}
	s.log().Info("mail: sync done", "mailbox", mbox, "candidates", rep.Candidates,
		"recorded", rep.Recorded, "duplicates", rep.Duplicates, "ignored", rep.Ignored, "resynced", rep.Resynced,
		"moved", rep.Moved, "keptInMailbox", rep.KeptInMailbox)
	return rep, nil
}

func (s *Syncer) scan(ctx context.Context, sess *imapSession, st *SyncState, rep *Report, uidNext uint32) error {
	c := sess.c
	fail := func(e error) error {
		return s.Account.classify("imap", s.Account.Settings.IMAP, stageCommand, ctxErr(ctx, e))
	}
	var rng imap.UIDSet
	rng.AddRange(imap.UID(st.LastUID+1), 0) // n:*
	res, err := c.UIDSearch(&imap.SearchCriteria{
		UID:  []imap.UIDSet{rng},
		Text: []string{searchMarker},
	}, nil).Wait()
	if err != nil {
		return fail(err)
	}
	var uids []uint32
	for _, u := range res.AllUIDs() {
		// "n:*" always includes the highest UID, even when it is below n.
		if uint32(u) > st.LastUID {
			uids = append(uids, uint32(u))
		}
	}
	slices.Sort(uids)
	rep.Candidates = len(uids)

	processed := s.Account.Settings.processedMailbox()
	createdProcessed := false
	for _, uid := range uids {
		if err := ctx.Err(); err != nil {
			return fail(err)
		}
		item, keep, err := s.fetchOne(ctx, sess, uid, st.UIDValidity)
		if err != nil {
			return err
		}
		switch {
		case !keep:
			rep.Ignored++
			st.Counts.Ignored++
		default:
			created, err := s.Store.RecordReply(ctx, *item)
			if err != nil {
				return app.Internal(err, "PracticePost could not save a patient's reply. Check there is free disk space; the reply stays in the mailbox and will be picked up next time.")
			}
			if created {
				rep.Recorded++
				st.Counts.Recorded++
			} else {
				rep.Duplicates++
				st.Counts.Duplicates++
			}
			switch {
			case !s.Account.Settings.MoveProcessed:
			case !canMoveSafely(c.Caps()):
				rep.KeptInMailbox++
			default:
				if !createdProcessed {
					name, err := s.ensureMailbox(sess, processed)
					if err != nil {
						return fail(err)
					}
					processed, createdProcessed = name, true
				}
				if _, err := c.Move(imap.UIDSetNum(imap.UID(uid)), processed).Wait(); err != nil {
					return fail(err)
				}
				rep.Moved++
			}
		}
		// Saved after every message: a crash resumes right after the last
		// message whose outcome is safely stored.
		st.LastUID = uid
		if err := s.Store.PutSyncState(ctx, *st); err != nil {
			return app.Internal(err, "PracticePost could not save its email bookmark. Check there is free disk space.")
		}
	}
	if uidNext > 1 && uidNext-1 > st.LastUID {
		st.LastUID = uidNext - 1
	}
	return nil
}

// canMoveSafely reports whether moving one message touches only that
// message. Without MOVE, go-imap falls back to COPY + STORE \Deleted +
// EXPUNGE, and without UIDPLUS that EXPUNGE is a plain one: it would also
// destroy every other message in the mailbox marked \Deleted by the practice
// and not yet expunged. Messages are never deleted, so then nothing moves.
func canMoveSafely(caps imap.CapSet) bool {
	return caps.Has(imap.CapMove) || caps.Has(imap.CapUIDPlus)
}

func noteCannotMove(mailbox string) string {
	return "This mail server cannot move messages safely, so processed replies stay in " + mailbox + "."
}

// ensureMailbox creates the processed-mail folder when missing, translating
// "/" to the server's hierarchy separator.
func (s *Syncer) ensureMailbox(sess *imapSession, name string) (string, error) {
	c := sess.c
	list, err := c.List("", "", nil).Collect()
	if err == nil && len(list) > 0 && list[0].Delim != 0 && list[0].Delim != '/' {
		name = strings.ReplaceAll(name, "/", string(list[0].Delim))
	}
	existing, err := c.List("", name, nil).Collect()
	if err != nil {
		return "", err
	}
	if len(existing) > 0 {
		return name, nil
	}
	if err := c.Create(name, nil).Wait(); err != nil {
		var ie *imap.Error
		if errors.As(err, &ie) && ie.Code == imap.ResponseCodeAlreadyExists {
			return name, nil
		}
		return "", err
	}
	return name, nil
}

// fetchOne downloads and reads one candidate. keep=false means it is an
// automatic reply, or carries no token after all, and is not recorded.
func (s *Syncer) fetchOne(ctx context.Context, sess *imapSession, uid, uidValidity uint32) (*ReviewItem, bool, error) {
	c := sess.c
	fail := func(e error) error {
		return s.Account.classify("imap", s.Account.Settings.IMAP, stageCommand, ctxErr(ctx, e))
	}
	set := imap.UIDSetNum(imap.UID(uid))
	meta, err := c.Fetch(set, &imap.FetchOptions{UID: true, RFC822Size: true, InternalDate: true}).Collect()
	if err != nil {
		return nil, false, fail(err)
	}
	if len(meta) == 0 {
		return nil, false, nil // expunged meanwhile
	}
	tooBig := meta[0].RFC822Size > s.Limits.message()
	section := &imap.FetchItemBodySection{Peek: true}
	if tooBig {
		section.Specifier = imap.PartSpecifierHeader
	}
	bufs, err := c.Fetch(set, &imap.FetchOptions{UID: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
	if err != nil {
		return nil, false, fail(err)
	}
	if len(bufs) == 0 {
		return nil, false, nil
	}
	raw := bufs[0].FindBodySection(section)
	item, keep := s.build(ctx, raw, meta[0].RFC822Size, tooBig)
	if item == nil {
		return nil, keep, nil
	}
	item.Mailbox = s.Account.Settings.mailbox()
	item.UIDValidity = uidValidity
	item.UID = uid
	item.ReceivedAt = meta[0].InternalDate.UTC()
	return item, keep, nil
}

// build turns raw bytes into a review item; it does no I/O except request
// lookups, so it is shared with tests and the fuzzer through BuildItem.
func (s *Syncer) build(ctx context.Context, raw []byte, size int64, tooBig bool) (*ReviewItem, bool) {
	item, keep, err := BuildItem(ctx, s.Store, raw, s.Limits)
	if err != nil {
		s.log().Warn("mail: request lookup failed", "err", err)
	}
	if item != nil && tooBig {
		item.Flags = addFlag(item.Flags, FlagMessageTooLarge)
		item.Notes = append(item.Notes, "This email ("+humanSize(size)+") is larger than "+humanSize(s.Limits.message())+", so only its header was kept. Open it in your email program and ask the patient to send smaller files.")
		if !item.HasFlag(FlagUnsigned) && item.RequestKind == KindConsent && item.TypedName == "" {
			item.Flags = addFlag(item.Flags, FlagUnsigned)
		}
	}
	return item, keep
}

// BuildItem parses a raw reply and matches it to its request. keep=false
// means the message is an automatic reply or has no request token, and
// should not reach the review queue.
func BuildItem(ctx context.Context, reqs Requests, raw []byte, lim Limits) (*ReviewItem, bool, error) {
	sum := sha256.Sum256(raw)
	p, perr := ParseMessage(raw, lim)
	if perr != nil {
		// Not readable as mail at all: keep the bytes for a person to see
		// rather than lose a reply.
		return &ReviewItem{
			Key: dedupKey("", raw), Raw: raw, RawSHA256: hex.EncodeToString(sum[:]),
			Flags: []Flag{FlagUnreadableText, FlagNoMatchingRequest},
			Notes: []string{"This email could not be read. Open it in your email program to see what the patient sent."},
		}, true, nil
	}
	if p.AutoReply {
		return nil, false, nil
	}
	item := &ReviewItem{
		Key: dedupKey(p.MessageID, raw), MessageID: p.MessageID,
		FromName: p.FromName, FromAddress: p.FromAddress, Subject: p.Subject, Date: p.Date.UTC(),
		Words: p.Words, Attachments: p.Attachments, Flags: slices.Clone(p.Flags), Notes: slices.Clone(p.Notes),
		HTMLOnly: p.HTMLOnly, Raw: raw, RawSHA256: hex.EncodeToString(sum[:]),
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
		return nil, false, nil
	}
	var matched []SentRequest
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
		item.RequestToken = tokens[0]
		item.Flags = addFlag(item.Flags, FlagNoMatchingRequest)
		item.Notes = append(item.Notes, "This email mentions the reference "+tokens[0]+", but no request with that reference was found. Match it to a patient by hand.")
		return item, true, nil
	}
	req := matched[0]
	if len(matched) > 1 {
		item.Flags = addFlag(item.Flags, FlagConflictingTokens)
		item.Notes = append(item.Notes, "This email mentions more than one request reference; it was matched to "+req.Token+" (from the email's reply headers). Check it is the right patient.")
	}
	item.RequestRef, item.RequestToken, item.RequestKind = req.Ref, req.Token, req.Kind
	if req.PatientEmail != "" && !strings.EqualFold(req.PatientEmail, p.FromAddress) {
		item.Flags = addFlag(item.Flags, FlagSenderMismatch)
		item.Notes = append(item.Notes, "This reply came from a different email address than the one the request was sent to. Check it really is from the patient.")
	}
	if req.Kind != KindConsent {
		return item, true, nil
	}

	item.Scope = ReadScope(p.Words, p.Quoted, req.Scope)
	name, nameAmbiguous := ReadTypedName(p.Words, req.PatientName)
	item.TypedName = name
	if item.Scope.NeedsReview() || nameAmbiguous {
		item.Flags = addFlag(item.Flags, FlagAmbiguous)
	}
	if item.Scope.FromQuote {
		item.Flags = addFlag(item.Flags, FlagAnsweredInQuote)
		item.Notes = append(item.Notes, "The patient ticked the boxes inside the quoted request. Check the ticks carefully.")
	}
	if len(item.Scope.Agreed)+len(item.Scope.Declined)+len(item.Scope.Ambiguous) == 0 && len(item.Scope.Unclear) == 0 {
		item.Flags = addFlag(item.Flags, FlagNoScope)
	}
	if name == "" && len(item.Attachments) == 0 {
		item.Flags = addFlag(item.Flags, FlagUnsigned)
	}
	if name != "" && !sameName(name, req.PatientName) {
		item.Flags = addFlag(item.Flags, FlagNameMismatch)
	}
	return item, true, nil
}
