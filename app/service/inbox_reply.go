package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"practicepost/app"
	"practicepost/app/gate"
	"practicepost/app/guard"
	"practicepost/app/inbox"
	"practicepost/app/publish"
	"practicepost/app/publish/x"
	"practicepost/app/store"
)

// Check runs the reply guard and the one gate on a reply as it is typed.
// Nothing is saved or sent.
func (s *InboxService) Check(itemID int64, text string) (gate.ReplyResult, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (gate.ReplyResult, error) {
		it, err := db.InboxItem(ctx, itemID)
		if err != nil {
			return gate.ReplyResult{}, err
		}
		others, err := threadOthers(ctx, db, it)
		if err != nil {
			return gate.ReplyResult{}, err
		}
		return s.c.Gate.Reply(ctx, db, gate.ReplyPost{Channel: gate.ChannelOf(it.Platform), Text: text, Commenter: it.Author, Others: others}, s.c.Clock.Now())
	})
}

// ReplyOutcome is what happened to a reply, hide or delete.
type ReplyOutcome struct {
	Sent bool `json:"sent"`
	// Blocked: the checks stopped it; nothing was sent.
	Blocked  bool            `json:"blocked"`
	Findings []guard.Finding `json:"findings"`
	// Message says what happened and what to do next.
	Message string `json:"message"`
	// OpenURL is set when the platform refused and the manager can do it on
	// the platform's own site instead (X's reply restriction).
	OpenURL string `json:"openUrl"`
}

func newActionKey() string {
	var b [12]byte
	rand.Read(b[:])
	return "inbox-" + hex.EncodeToString(b[:])
}

func itemSubject(id int64) string { return "inbox_item:" + strconv.FormatInt(id, 10) }

func textDigest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}

func asComment(it app.InboxItem) publish.Comment {
	return publish.Comment{ID: it.RemoteID, ParentID: it.ParentID, PostID: it.PostID, URL: it.URL, Author: it.Author, AuthorID: it.AuthorID,
		FromPage: it.FromPractice, Text: it.Text, Stars: it.Stars, CreatedAt: it.CreatedAt, UpdatedAt: it.UpdatedAt,
		Hidden: it.Hidden, CanReply: it.CanReply, CanHide: it.CanHide, CanDelete: it.CanDelete}
}

// inboxer is the connector for an item's channel.
func (s *InboxService) inboxer(ctx context.Context, it app.InboxItem) (publish.Inboxer, error) {
	pub, err := s.channels.Publisher(ctx, it.Channel)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, app.Errorf(app.ENOTFOUND, "The %s channel this came from is no longer connected. Connect it again in Channels.", publish.Platform(it.Platform).Title())
	}
	if err != nil {
		return nil, err
	}
	ib, ok := pub.(publish.Inboxer)
	if !ok {
		return nil, app.Errorf(app.EINVALID, "PracticePost cannot answer %s comments yet. Open the post on %[1]s to reply there.", publish.Platform(it.Platform).Title())
	}
	return ib, nil
}

// Reply sends a public reply to a comment or review. The reply guard and
// the one gate judge it inside the transaction that records the attempt;
// a blocked reply comes back with its findings and nothing is sent.
func (s *InboxService) Reply(itemID int64, text string) (ReplyOutcome, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (ReplyOutcome, error) {
		text = strings.TrimSpace(text)
		if text == "" {
			return ReplyOutcome{}, app.Errorf(app.EINVALID, "Type a reply first, or choose a template under the reply box.")
		}
		it, err := db.InboxItem(ctx, itemID)
		if err != nil {
			return ReplyOutcome{}, err
		}
		title := publish.Platform(it.Platform).Title()
		switch {
		case it.Gone:
			return ReplyOutcome{}, app.Errorf(app.ENOTFOUND, "This comment is no longer on %s, so it cannot be answered.", title)
		case it.FromPractice:
			return ReplyOutcome{}, app.Errorf(app.EINVALID, "This is the practice's own reply. Answer the comment above it instead.")
		case !publish.InboxCapabilities[publish.Platform(it.Platform)].Reply:
			return ReplyOutcome{}, app.Errorf(app.EINVALID, "%s does not let PracticePost reply. Open the post on %[1]s to reply there.", title)
		}
		ib, err := s.inboxer(ctx, it)
		if err != nil {
			return ReplyOutcome{}, err
		}
		if err := s.settleInterruptedModeration(ctx, db, it); err != nil {
			return ReplyOutcome{}, err
		}
		// A reply that may have gone out (timeout, crash) is looked for on the
		// platform before anything is sent again: most platforms have no
		// idempotency key, so a blind retry can post twice.
		if went, err := s.reconcile(ctx, db, ib, it); err != nil {
			return ReplyOutcome{}, err
		} else if went {
			s.c.Emit.Emit(EventInboxChanged, nil)
			return ReplyOutcome{Message: fmt.Sprintf("Your earlier reply did reach %s after all, so nothing was sent again. To change it, reply again.", title)}, nil
		}
		others, err := threadOthers(ctx, db, it)
		if err != nil {
			return ReplyOutcome{}, err
		}
		key := newActionKey()
		var out ReplyOutcome
		var actionID int64
		err = db.Tx(ctx, func(tx *store.Tx) error {
			// Judged against the data as this transaction sees it: a patient
			// added a moment ago is in the list the check uses.
			res, err := s.c.Gate.Reply(ctx, tx.Reader(), gate.ReplyPost{Channel: gate.ChannelOf(it.Platform), Text: text, Commenter: it.Author, Others: others}, tx.Now())
			if err != nil {
				return err
			}
			out.Findings = res.Findings
			kinds := make([]string, 0, len(res.Findings))
			for _, f := range res.Findings {
				kinds = append(kinds, string(f.Kind))
			}
			detail := map[string]string{"platform": it.Platform, "channel": it.Channel, "text_sha256": textDigest(text), "findings": strings.Join(kinds, ",")}
			if res.Blocked {
				out.Blocked = true
				out.Message = "Not sent: the reply check found something that must not be said in public. Change the words shown, or use a template."
				return tx.Audit(ctx, "manager", "inbox.reply_blocked", itemSubject(it.ID), detail)
			}
			verdict, _ := json.Marshal(res.Findings)
			if actionID, err = tx.StartInboxAction(ctx, it.ID, "reply", text, key, string(verdict)); err != nil {
				return err
			}
			detail["action"] = strconv.FormatInt(actionID, 10)
			return tx.Audit(ctx, "manager", "inbox.reply_attempt", itemSubject(it.ID), detail)
		})
		if err != nil || out.Blocked {
			return out, err
		}
		res, sendErr := ib.Reply(ctx, asComment(it), text, key)
		state, msg := "done", "Reply sent."
		var pe *publish.Error
		if sendErr != nil {
			state, msg = "failed", sendErr.Error()
			if errors.As(sendErr, &pe) {
				pe.Message = replyFailure(pe, s.c.Clock.Now())
				msg = pe.Message
				if pe.Uncertain {
					state = "uncertain"
					msg = fmt.Sprintf("%s did not confirm the reply; it may have gone out. Refresh the Inbox and check before replying again.", title)
				}
			}
			if pe != nil && pe.Message == x.ReplyRefused {
				// Not an error the manager can fix here: say so and offer the
				// post on X, where a reply is allowed.
				out.OpenURL = firstNonEmpty(it.URL, it.PostURL)
			}
		}
		err = db.Tx(ctx, func(tx *store.Tx) error {
			if err := tx.FinishInboxAction(ctx, actionID, state, res.ID, errText(sendErr)); err != nil {
				return err
			}
			if state == "done" {
				if err := tx.MarkInboxAnswered(ctx, it, res.ID, text); err != nil {
					return err
				}
			}
			d := map[string]string{"platform": it.Platform, "channel": it.Channel, "result": state, "action": strconv.FormatInt(actionID, 10)}
			if pe != nil {
				d["error_kind"], d["error_code"] = string(pe.Kind), pe.Code
			}
			return tx.Audit(ctx, "manager", "inbox.reply", itemSubject(it.ID), d)
		})
		s.c.Emit.Emit(EventInboxChanged, nil)
		if err != nil {
			return out, err
		}
		out.Sent, out.Message = state == "done", msg
		if sendErr != nil && out.OpenURL == "" && state == "failed" {
			return out, appErr(sendErr)
		}
		return out, nil
	})
}

// staleAttempt is how long an action may stay "attempting" before it is
// taken as interrupted (the app closed or crashed mid-send).
const staleAttempt = 2 * time.Minute

// reconcile settles the item's replies whose outcome is unknown: it lists
// the post's comments and marks each done when the practice's reply with
// the same words is there, failed otherwise. went reports whether one of
// them did go out.
func (s *InboxService) reconcile(ctx context.Context, db *store.DB, ib publish.Inboxer, it app.InboxItem) (went bool, err error) {
	acts, err := db.InboxActions(ctx, it.ID)
	if err != nil {
		return false, err
	}
	now := s.c.Clock.Now()
	var open []app.InboxAction
	for _, a := range acts {
		if a.Action == "reply" && (a.State == "uncertain" || a.State == "attempting" && now.Sub(a.CreatedAt) > staleAttempt) {
			open = append(open, a)
		}
	}
	if len(open) == 0 {
		return false, nil
	}
	cs, err := ib.Comments(ctx, it.PostID)
	if err != nil {
		return false, app.Errorf(app.EUNAVAILABLE, "PracticePost could not check whether your last reply reached %s, so it has not sent another: %s", publish.Platform(it.Platform).Title(), app.ErrorMessage(appErr(err)))
	}
	same := func(a, b string) bool {
		return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
	}
	found := func(a app.InboxAction) (string, bool) {
		since := a.CreatedAt.Add(-staleAttempt)
		for _, c := range cs {
			if c.ID == it.RemoteID && c.Reply != nil && same(c.Reply.Text, a.Text) && !c.Reply.UpdatedAt.Before(since) {
				return c.ID, true // a review's own reply
			}
			// Under this comment, or in its thread where the platform
			// files replies under the top comment (Instagram, LinkedIn):
			// the same template under another comment answers that one.
			under := c.ParentID == it.RemoteID || it.ParentID != "" && c.ParentID == it.ParentID
			if c.FromPage && under && same(c.Text, a.Text) && !c.CreatedAt.Before(since) {
				return c.ID, true
			}
		}
		return "", false
	}
	items := inboxItems(it.Platform, it.Channel, it.PostURL, cs, now)
	err = db.Tx(ctx, func(tx *store.Tx) error {
		if _, err := tx.SaveInboxListing(ctx, it.Channel, it.Platform, it.PostID, items, listingReach(it.Platform, now)); err != nil {
			return err
		}
		for _, a := range open {
			state := "failed"
			id, ok := found(a)
			if ok {
				state, went = "done", true
			}
			if err := tx.FinishInboxAction(ctx, a.ID, state, id, "reconciled"); err != nil {
				return err
			}
			if err := tx.Audit(ctx, "system", "inbox.reply_reconciled", itemSubject(it.ID), map[string]string{"platform": it.Platform, "action": strconv.FormatInt(a.ID, 10), "result": state}); err != nil {
				return err
			}
		}
		return nil
	})
	return went, err
}

// threadOthers are the people other than it's author who wrote in its
// thread, as the platform shows them beside the reply: a reply to Bob must
// not thank Jane by name either. The practice's own comments are not people.
func threadOthers(ctx context.Context, db *store.DB, it app.InboxItem) ([]string, error) {
	post, err := db.InboxItemsOf(ctx, it.Platform, it.PostID)
	if err != nil {
		return nil, err
	}
	for _, th := range inbox.Threads(post) {
		in := th.Root.ID == it.ID || slices.ContainsFunc(th.Replies, func(r app.InboxItem) bool { return r.ID == it.ID })
		if !in {
			continue
		}
		var out []string
		for _, x := range append([]app.InboxItem{th.Root}, th.Replies...) {
			if !x.FromPractice && x.Author != "" && x.Author != it.Author && !slices.Contains(out, x.Author) {
				out = append(out, x.Author)
			}
		}
		return out, nil
	}
	return nil, nil
}

// replyFailure says why a reply was not sent in the Inbox's words: the
// publishing queue's messages promise a retry by itself, which a reply,
// sent only when the manager presses Send, never gets.
func replyFailure(pe *publish.Error, now time.Time) string {
	name := pe.Platform.Title()
	switch pe.Kind {
	case publish.KindRateLimited:
		when := "in a few minutes"
		if d := pe.ResetAt.Sub(now); d > 90*time.Second {
			when = fmt.Sprintf("in about %d minutes", int(d.Round(time.Minute)/time.Minute))
		} else if d > 0 {
			when = "in a minute"
		}
		return fmt.Sprintf("%s is limiting how often PracticePost may write just now, so the reply was not sent. Nothing was posted: send it again %s.", name, when)
	case publish.KindTransient:
		return fmt.Sprintf("%s could not be reached or had a problem on its side, so the reply was not sent. Send it again in a few minutes.", name)
	case publish.KindAuth:
		return fmt.Sprintf("%s no longer accepts PracticePost's connection, so the reply was not sent. Reconnect %[1]s in Channels (in the sidebar), then send the reply again.", name)
	}
	return pe.Message
}

// settleInterruptedModeration marks as failed the item's hides, unhides
// and deletes left "attempting" by a crash or power cut: each is safe to
// ask again, and left open it would refuse every later action on the item.
// The refreshed listing says whether the change took.
func (s *InboxService) settleInterruptedModeration(ctx context.Context, db *store.DB, it app.InboxItem) error {
	acts, err := db.InboxActions(ctx, it.ID)
	if err != nil {
		return err
	}
	now := s.c.Clock.Now()
	for _, a := range acts {
		if a.Action == "reply" || a.State != "attempting" || now.Sub(a.CreatedAt) <= staleAttempt {
			continue
		}
		if err := db.Tx(ctx, func(tx *store.Tx) error {
			if err := tx.FinishInboxAction(ctx, a.ID, "failed", "", "interrupted"); err != nil {
				return err
			}
			return tx.Audit(ctx, "system", "inbox."+a.Action+"_interrupted", itemSubject(it.ID), map[string]string{"platform": it.Platform, "action": strconv.FormatInt(a.ID, 10)})
		}); err != nil {
			return err
		}
	}
	return nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// errText is what the action row keeps about a failure: the platform's
// kind and code, never the response body (it may hold the comment).
func errText(err error) string {
	var pe *publish.Error
	if errors.As(err, &pe) {
		return string(pe.Kind) + " " + pe.Code
	}
	if err != nil {
		return "error"
	}
	return ""
}

func appErr(err error) error {
	var pe *publish.Error
	if errors.As(err, &pe) {
		return pe.AppError()
	}
	return err
}

// Hide hides (or shows again) someone's comment where the platform allows.
func (s *InboxService) Hide(itemID int64, hidden bool) (ReplyOutcome, error) {
	action := "hide"
	if !hidden {
		action = "unhide"
	}
	return s.moderate(itemID, action, func(ctx context.Context, ib publish.Inboxer, it app.InboxItem) error {
		return ib.Hide(ctx, asComment(it), hidden)
	}, func(ctx context.Context, tx *store.Tx, id int64) error { return tx.SetInboxHidden(ctx, id, hidden) })
}

// Delete removes someone's comment where the platform allows.
func (s *InboxService) Delete(itemID int64) (ReplyOutcome, error) {
	return s.moderate(itemID, "delete", func(ctx context.Context, ib publish.Inboxer, it app.InboxItem) error {
		return ib.DeleteComment(ctx, asComment(it))
	}, func(ctx context.Context, tx *store.Tx, id int64) error { return tx.SetInboxGone(ctx, id) })
}

func (s *InboxService) moderate(itemID int64, action string, call func(context.Context, publish.Inboxer, app.InboxItem) error, record func(context.Context, *store.Tx, int64) error) (ReplyOutcome, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (ReplyOutcome, error) {
		it, err := db.InboxItem(ctx, itemID)
		if err != nil {
			return ReplyOutcome{}, err
		}
		title := publish.Platform(it.Platform).Title()
		caps := publish.InboxCapabilities[publish.Platform(it.Platform)]
		if (action == "delete" && (!caps.Delete || !it.CanDelete)) || (action != "delete" && (!caps.Hide || !it.CanHide)) {
			return ReplyOutcome{}, app.Errorf(app.EINVALID, "%s does not let the practice %s this comment. Open it on %[1]s to report it.", title, action)
		}
		ib, err := s.inboxer(ctx, it)
		if err != nil {
			return ReplyOutcome{}, err
		}
		if err := s.settleInterruptedModeration(ctx, db, it); err != nil {
			return ReplyOutcome{}, err
		}
		var actionID int64
		err = db.Tx(ctx, func(tx *store.Tx) error {
			var err error
			if actionID, err = tx.StartInboxAction(ctx, it.ID, action, "", newActionKey(), "[]"); err != nil {
				return err
			}
			return tx.Audit(ctx, "manager", "inbox."+action+"_attempt", itemSubject(it.ID), map[string]string{"platform": it.Platform, "channel": it.Channel})
		})
		if err != nil {
			return ReplyOutcome{}, err
		}
		callErr := call(ctx, ib, it)
		state := "done"
		if callErr != nil {
			state = "failed"
		}
		err = db.Tx(ctx, func(tx *store.Tx) error {
			if err := tx.FinishInboxAction(ctx, actionID, state, "", errText(callErr)); err != nil {
				return err
			}
			if callErr == nil {
				if err := record(ctx, tx, it.ID); err != nil {
					return app.Internal(err, "PracticePost could not record the change. Refresh the Inbox.")
				}
			}
			return tx.Audit(ctx, "manager", "inbox."+action, itemSubject(it.ID), map[string]string{"platform": it.Platform, "result": state})
		})
		s.c.Emit.Emit(EventInboxChanged, nil)
		if err != nil {
			return ReplyOutcome{}, err
		}
		if callErr != nil {
			return ReplyOutcome{}, appErr(callErr)
		}
		return ReplyOutcome{Sent: true, Message: map[string]string{"hide": "Hidden on " + title + ".", "unhide": "Shown again on " + title + ".", "delete": "Deleted from " + title + "."}[action]}, nil
	})
}
