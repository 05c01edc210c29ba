package mail

import (
	"context"
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
	// OnHold is told, after the reply is stored, which consents an emailed
	// withdrawal has just put on hold, so the publishing queue stops
	// relying on them at once. It must not block for long.
	OnHold func(ctx context.Context, consentIDs []int64)
	// RecheckEvery is how often recent mail is looked at again; zero means
	// every 10 minutes, a negative value every sync.
	RecheckEvery time.Duration
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
	KeptInMailbox int `json:"keptInMailbox"`
	// Rechecked counts recent messages looked at again; Recovered the
	// replies among them that had been missed.
	Rechecked int           `json:"rechecked"`
	Recovered int           `json:"recovered"`
	Took      time.Duration `json:"took"`
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

// searchMarker is in every token, subject and Message-ID we send. A
// server-side search for it only narrows which bodies are downloaded: its
// answers are matched exactly after fetching, and it is never the only way
// a reply is found (a lagging search index must not hide one).
const searchMarker = "PP-"

// Recheck defaults: recent mail is looked at again for replies a server's
// search or a crash may have hidden.
const (
	RecheckWindow       = 7 * 24 * time.Hour
	defaultRecheckEvery = 10 * time.Minute
	markEvery           = time.Hour
	headerChunk         = 250
)

// tokenHeaders are the header fields a reply carries its reference in.
var tokenHeaders = []string{"Subject", "In-Reply-To", "References", RequestHeader, "Message-Id", "From"}

func (s *Syncer) recheckEvery() time.Duration {
	if s.RecheckEvery == 0 {
		return defaultRecheckEvery
	}
	return s.RecheckEvery
}

func (s *Syncer) intake() Intake {
	return Intake{Limits: s.Limits, ProviderIDs: s.Account.Settings.ProviderIDs()}
}

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
	now := s.Clock.Now()
	rep.UIDValidity = sel.UIDValidity
	if acct := s.Account.Settings.Account(); st.Account != acct {
		if st.Account != "" {
			// Another account (the practice moved its email): the old
			// bookmark's message numbers would skip the new mailbox's mail
			// if its UIDVALIDITY happened to match. Start it afresh, from
			// when it was connected.
			s.log().Info("mail: another mailbox account, reading it afresh", "mailbox", mbox)
			st.UIDValidity, st.Since, st.LastRecheck = 0, time.Time{}, time.Time{}
		}
		st.Account = acct
	}
	if st.UIDValidity != sel.UIDValidity {
		if st.UIDValidity != 0 {
			// The server renumbered the mailbox. Look at everything since
			// the mailbox was connected again; ReviewItem.Key keeps
			// already-recorded replies from doubling.
			rep.Resynced = true
			st.Counts.Resyncs++
			s.log().Info("mail: UIDVALIDITY changed, resyncing", "mailbox", mbox, "old", st.UIDValidity, "new", sel.UIDValidity)
		} else if st.Since.IsZero() {
			// The very first sync reads nothing older than the mailbox's
			// connection: earlier mail only by an explicit look back.
			st.Since = s.Account.Settings.ConnectedAt
			if st.Since.IsZero() || st.Since.After(now) {
				st.Since = now
			}
		}
		st.UIDValidity = sel.UIDValidity
		st.LastUID = 0
		st.Marks = nil
	}

	st.Note = ""
	if s.Account.Settings.MoveProcessed && !canMoveSafely(c.Caps()) {
		st.Note = noteCannotMove(mbox)
	}

	hi := uint32(0)
	if sel.NumMessages > 0 {
		if hi, err = highestUID(sess, sel); err != nil {
			return rep, fail(stageCommand, err)
		}
	}
	examined := map[uint32]bool{}
	if hi > st.LastUID {
		if err := s.scanNew(ctx, sess, &st, &rep, hi, examined); err != nil {
			return rep, err
		}
	}
	if hi > 0 && (st.LastRecheck.IsZero() || now.Sub(st.LastRecheck) >= s.recheckEvery() || rep.Resynced) {
		if err := s.recheck(ctx, sess, &st, &rep, hi, now, examined); err != nil {
			return rep, err
		}
		st.LastRecheck = now
	}
	st.Marks = addMark(st.Marks, app.MailUIDMark{At: now, UIDNext: hi + 1}, now)
	st.LastSync = now
	st.LastError = ""
	if err := s.Store.PutSyncState(ctx, st); err != nil {
		return rep, app.Internal(err, "PracticePost could not save its email bookmark. Check there is free disk space.")
	}
	s.log().Info("mail: sync done", "mailbox", mbox, "candidates", rep.Candidates,
		"recorded", rep.Recorded, "duplicates", rep.Duplicates, "ignored", rep.Ignored, "resynced", rep.Resynced,
		"moved", rep.Moved, "keptInMailbox", rep.KeptInMailbox, "rechecked", rep.Rechecked, "recovered", rep.Recovered)
	return rep, nil
}

// highestUID is the UID of the newest message: UIDNEXT−1 when the server
// says UIDNEXT, else asked of the last message.
func highestUID(sess *imapSession, sel *imap.SelectData) (uint32, error) {
	if sel.UIDNext > 1 {
		return uint32(sel.UIDNext) - 1, nil
	}
	bufs, err := sess.c.Fetch(imap.SeqSetNum(sel.NumMessages), &imap.FetchOptions{UID: true}).Collect()
	if err != nil || len(bufs) == 0 {
		return 0, err
	}
	return uint32(bufs[0].UID), nil
}

// addMark remembers the next UID now, at most once an hour, and forgets
// marks older than the re-check window except the newest of those (it says
// where the window starts).
func addMark(ms []app.MailUIDMark, m app.MailUIDMark, now time.Time) []app.MailUIDMark {
	if n := len(ms); n == 0 || m.At.Sub(ms[n-1].At) >= markEvery {
		ms = append(ms, m)
	}
	cut := 0
	for i, x := range ms {
		if !x.At.After(now.Add(-RecheckWindow)) {
			cut = i
		}
	}
	return slices.Clone(ms[cut:])
}

// scanNew examines every UID above the bookmark (from Since on a sync
// starting from nothing) and records the replies among them. The bookmark
// only moves over UIDs whose header was looked at.
func (s *Syncer) scanNew(ctx context.Context, sess *imapSession, st *app.MailSyncState, rep *Report, hi uint32, examined map[uint32]bool) error {
	c := sess.c
	fail := func(e error) error {
		return s.Account.classify("imap", s.Account.Settings.IMAP, stageCommand, ctxErr(ctx, e))
	}
	from := st.LastUID + 1
	if st.LastUID == 0 && !st.Since.IsZero() {
		// SEARCH SINCE only says where to start; the window re-check
		// covers a message it left out.
		res, err := c.UIDSearch(&imap.SearchCriteria{Since: dayBefore(st.Since)}, nil).Wait()
		if err != nil {
			return fail(err)
		}
		all := res.AllUIDs()
		if len(all) == 0 {
			from = hi + 1
		} else {
			from = uint32(slices.Min(all))
		}
		st.Marks = addMark(nil, app.MailUIDMark{At: st.Since, UIDNext: from}, st.Since)
	}
	if from > hi {
		st.LastUID = hi
		return nil
	}
	var rng imap.UIDSet
	rng.AddRange(imap.UID(from), imap.UID(hi))
	uids := make([]uint32, 0, hi-from+1)
	for u := from; u <= hi; u++ {
		uids = append(uids, u)
	}
	hs, err := s.headers(ctx, sess, uids)
	if err != nil {
		return fail(err)
	}
	text, err := s.textSearch(sess, rng)
	if err != nil {
		return fail(err)
	}
	var cands []headerInfo
	who := &senders{store: s.Store, known: map[string]bool{}}
	for _, h := range hs {
		examined[h.uid] = true
		if h.date.Before(st.Since) {
			continue
		}
		patient, err := who.sent(ctx, h.from)
		if err != nil {
			return app.Internal(err, "PracticePost could not read its email requests.")
		}
		if h.hasToken || text[h.uid] || patient {
			h.bySender = !h.hasToken && !text[h.uid]
			if !h.bySender {
				rep.Candidates++
			}
			cands = append(cands, h)
		}
	}
	for _, h := range cands {
		if err := s.take(ctx, sess, st, rep, h, false); err != nil {
			return err
		}
		// Saved after every reply: a crash resumes right after the last
		// message whose outcome is safely stored.
		st.LastUID = h.uid
		if err := s.Store.PutSyncState(ctx, *st); err != nil {
			return app.Internal(err, "PracticePost could not save its email bookmark. Check there is free disk space.")
		}
	}
	st.LastUID = hi
	return nil
}

// recheck looks again at everything that arrived in the last seven days
// (by UID range since the mark of a week ago, and by SINCE), for replies a
// lagging search index or a crash left behind. Only unknown replies are
// downloaded.
func (s *Syncer) recheck(ctx context.Context, sess *imapSession, st *app.MailSyncState, rep *Report, hi uint32, now time.Time, examined map[uint32]bool) error {
	fail := func(e error) error {
		return s.Account.classify("imap", s.Account.Settings.IMAP, stageCommand, ctxErr(ctx, e))
	}
	since := now.Add(-RecheckWindow)
	if since.Before(st.Since) {
		since = st.Since
	}
	want := map[uint32]bool{}
	var lo uint32
	for _, m := range st.Marks {
		if !m.At.After(since) || lo == 0 {
			lo = m.UIDNext
		}
	}
	if lo == 0 {
		lo = hi + 1
	}
	for u := max(lo, 1); u <= hi && u <= st.LastUID; u++ {
		want[u] = true
	}
	var all imap.UIDSet
	all.AddRange(1, imap.UID(hi))
	res, err := sess.c.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{all}, Since: dayBefore(since)}, nil).Wait()
	if err != nil {
		return fail(err)
	}
	for _, u := range res.AllUIDs() {
		if uint32(u) <= st.LastUID {
			want[uint32(u)] = true
		}
	}
	var uids []uint32
	for u := range want {
		if !examined[u] {
			uids = append(uids, u)
		}
	}
	if len(uids) == 0 {
		return nil
	}
	slices.Sort(uids)
	rep.Rechecked = len(uids)
	hs, err := s.headers(ctx, sess, uids)
	if err != nil {
		return fail(err)
	}
	var set imap.UIDSet
	for _, u := range uids {
		set.AddNum(imap.UID(u))
	}
	text, err := s.textSearch(sess, set)
	if err != nil {
		return fail(err)
	}
	who := &senders{store: s.Store, known: map[string]bool{}}
	for _, h := range hs {
		patient, err := who.sent(ctx, h.from)
		if err != nil {
			return app.Internal(err, "PracticePost could not read its email requests.")
		}
		if h.date.Before(st.Since) || !(h.hasToken || text[h.uid] || patient) {
			continue
		}
		h.bySender = !h.hasToken && !text[h.uid]
		if err := s.take(ctx, sess, st, rep, h, true); err != nil {
			return err
		}
	}
	return nil
}

// dayBefore is the IMAP date for SINCE that cannot miss t in any time zone
// the server may judge dates in.
func dayBefore(t time.Time) time.Time {
	d := t.UTC().Add(-24 * time.Hour)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}

// take downloads one candidate unless its reply is already recorded, and
// records it (moving it when the practice asked for that).
func (s *Syncer) take(ctx context.Context, sess *imapSession, st *app.MailSyncState, rep *Report, h headerInfo, rechecking bool) error {
	c := sess.c
	fail := func(e error) error {
		return s.Account.classify("imap", s.Account.Settings.IMAP, stageCommand, ctxErr(ctx, e))
	}
	if err := ctx.Err(); err != nil {
		return fail(err)
	}
	var res app.ReplyRecorded
	known := false
	if h.key != "" {
		var err error
		if known, err = s.Store.KnownReply(ctx, h.key); err != nil {
			return app.Internal(err, "PracticePost could not read the replies it has.")
		}
	}
	if !known {
		item, keep, err := s.fetchOne(ctx, sess, h.uid, st.UIDValidity)
		if err != nil {
			return err
		}
		if !keep {
			if !rechecking && !h.bySender {
				rep.Ignored++
				st.Counts.Ignored++
			}
			return nil
		}
		if res, err = s.Store.RecordReply(ctx, *item); err != nil {
			return app.Internal(err, "PracticePost could not save a patient's reply. Check there is free disk space; the reply stays in the mailbox and will be picked up next time.")
		}
		if len(res.Held) > 0 && s.OnHold != nil {
			s.OnHold(ctx, res.Held)
		}
	}
	switch {
	case res.Created && rechecking:
		rep.Recovered++
		rep.Recorded++
		st.Counts.Recorded++
	case res.Created:
		rep.Recorded++
		st.Counts.Recorded++
	case !rechecking:
		rep.Duplicates++
		st.Counts.Duplicates++
	}
	switch {
	case !s.Account.Settings.MoveProcessed:
	case h.bySender:
		// Found by its sender, not a request's reference: as often the
		// patient's ordinary email to the practice ("please take me off the
		// waiting list") as a reply to us, so it stays where the practice
		// reads its mail.
	case !canMoveSafely(c.Caps()):
		rep.KeptInMailbox++
	default:
		if sess.processed == "" {
			name, err := s.ensureMailbox(sess, s.Account.Settings.processedMailbox())
			if err != nil {
				return fail(err)
			}
			sess.processed = name
		}
		if _, err := c.Move(imap.UIDSetNum(imap.UID(h.uid)), sess.processed).Wait(); err != nil {
			return fail(err)
		}
		rep.Moved++
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
func (s *Syncer) fetchOne(ctx context.Context, sess *imapSession, uid, uidValidity uint32) (*app.ReviewItem, bool, error) {
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
