package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"practicepost/app"
	"practicepost/app/seal"
)

// Inbox storage (issue 18). Comment text and author names are personal
// data, and so are an item's link (it holds the commenter's handle on
// Bluesky, X and Mastodon) and the reply shown under a Google review (typed
// on Google as often as here, and it may greet the reviewer by name): every
// read and write of inbox_items.author, body, url and reply_text goes
// through sealInbox and openInbox below, the one place field sealing is
// applied to them.

// sealInbox seals a personal-data cell of inbox_items (sealed.go): the
// commenter's name and words are bound to the item's platform and remote id.
func (d *DB) sealInbox(column, row, plain string) ([]byte, error) {
	return d.sealer.Seal([]byte(plain), seal.Cell{Table: "inbox_items", Column: column, Row: row}), nil
}

// openInbox reads back a cell written by sealInbox.
func (d *DB) openInbox(column, row string, stored []byte) (string, error) {
	plain, err := d.open("inbox_items", column, row, stored)
	return string(plain), err
}

func inboxRow(platform, remoteID string) string { return platform + ":" + remoteID }

const inboxCols = `id, platform, channel, remote_id, parent_id, post_id, post_url, url, kind, author, author_id, from_practice, body, stars,
	created_at, updated_at, hidden, gone, can_reply, can_hide, can_delete, reply_text, replied_at, reply_state, seen_at`

func (d *DB) scanInbox(s scanner) (app.InboxItem, error) {
	var it app.InboxItem
	var author, body, url, reply []byte
	var created, updated, replied, seen string
	var kind string
	err := s.Scan(&it.ID, &it.Platform, &it.Channel, &it.RemoteID, &it.ParentID, &it.PostID, &it.PostURL, &url, &kind, &author, &it.AuthorID,
		&it.FromPractice, &body, &it.Stars, &created, &updated, &it.Hidden, &it.Gone, &it.CanReply, &it.CanHide, &it.CanDelete,
		&reply, &replied, &it.ReplyState, &seen)
	if err != nil {
		return it, err
	}
	it.Kind = app.InboxKind(kind)
	row := inboxRow(it.Platform, it.RemoteID)
	for _, c := range []struct {
		column string
		stored []byte
		dst    *string
	}{{"author", author, &it.Author}, {"body", body, &it.Text}, {"url", url, &it.URL}, {"reply_text", reply, &it.ReplyText}} {
		if *c.dst, err = d.openInbox(c.column, row, c.stored); err != nil {
			return it, err
		}
	}
	for _, p := range []struct {
		s string
		t *time.Time
	}{{created, &it.CreatedAt}, {updated, &it.UpdatedAt}, {replied, &it.RepliedAt}, {seen, &it.SeenAt}} {
		if p.s == "" {
			continue
		}
		if *p.t, err = parseTime(p.s); err != nil {
			return it, err
		}
	}
	return it, nil
}

// InboxItems lists every stored comment, reply and review.
func (d *DB) InboxItems(ctx context.Context) ([]app.InboxItem, error) {
	return readAll(ctx, d, "PracticePost could not read the inbox.", d.scanInbox,
		"SELECT "+inboxCols+" FROM inbox_items ORDER BY created_at, id")
}

// InboxItemsOf lists the stored comments of one post (or one location's
// reviews), oldest first.
func (d *DB) InboxItemsOf(ctx context.Context, platform, postID string) ([]app.InboxItem, error) {
	return readAll(ctx, d, "PracticePost could not read the inbox.", d.scanInbox,
		"SELECT "+inboxCols+" FROM inbox_items WHERE platform = ? AND post_id = ? ORDER BY created_at, id", platform, postID)
}

// InboxItem reads one item.
func (d *DB) InboxItem(ctx context.Context, id int64) (app.InboxItem, error) {
	return readOne(ctx, d, "This comment is no longer in the Inbox. Refresh the Inbox.", "PracticePost could not read the inbox.", d.scanInbox,
		"SELECT "+inboxCols+" FROM inbox_items WHERE id = ?", id)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// SaveInboxListing stores one complete listing of a post's comments (or a
// location's reviews): new items are added, known ones updated (edits,
// hiding, the practice's reply), and items of that post the platform no
// longer returns are marked gone, except those written before reach (X
// lists only the last 7 days: older ones are out of its reach, not gone;
// zero: every item is within reach). Keyed on the platform's id, so
// listing twice changes nothing.
func (tx *Tx) SaveInboxListing(ctx context.Context, channel, platform, postID string, items []app.InboxItem, reach time.Time) (app.SyncStats, error) {
	var st app.SyncStats
	fail := func(err error) (app.SyncStats, error) {
		return app.SyncStats{}, app.Internal(err, "PracticePost could not save the comments it collected. Try Refresh again.")
	}
	present := map[string]bool{}
	for _, it := range items {
		present[it.RemoteID] = true
		row := inboxRow(platform, it.RemoteID)
		author, err := tx.db.sealInbox("author", row, it.Author)
		if err != nil {
			return fail(err)
		}
		body, err := tx.db.sealInbox("body", row, it.Text)
		if err != nil {
			return fail(err)
		}
		url, _ := tx.db.sealInbox("url", row, it.URL)
		reply, _ := tx.db.sealInbox("reply_text", row, it.ReplyText)
		var id int64
		var oldBody, oldReplySealed []byte
		var oldHidden, oldGone bool
		var oldUpdated string
		err = tx.QueryRowContext(ctx, "SELECT id, body, hidden, gone, reply_text, updated_at FROM inbox_items WHERE platform = ? AND remote_id = ?", platform, it.RemoteID).
			Scan(&id, &oldBody, &oldHidden, &oldGone, &oldReplySealed, &oldUpdated)
		replied := ""
		if !it.RepliedAt.IsZero() {
			replied = formatTime(it.RepliedAt)
		}
		switch {
		case errors.Is(err, sql.ErrNoRows):
			_, err = tx.ExecContext(ctx, `INSERT INTO inbox_items (platform, channel, remote_id, parent_id, post_id, post_url, url, kind, author, author_id,
				from_practice, body, stars, created_at, updated_at, hidden, gone, can_reply, can_hide, can_delete, reply_text, replied_at, reply_state, seen_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?)`,
				platform, channel, it.RemoteID, it.ParentID, postID, it.PostURL, url, string(it.Kind), author, it.AuthorID, b2i(it.FromPractice), body, it.Stars,
				formatTime(it.CreatedAt), formatTime(it.UpdatedAt), b2i(it.Hidden), b2i(it.CanReply), b2i(it.CanHide), b2i(it.CanDelete),
				reply, replied, it.ReplyState, formatTime(tx.now))
			if err != nil {
				return fail(err)
			}
			st.Added++
		case err != nil:
			return fail(err)
		default:
			old, err := tx.db.openInbox("body", row, oldBody)
			if err != nil {
				return fail(err)
			}
			oldReply, err := tx.db.openInbox("reply_text", row, oldReplySealed)
			if err != nil {
				return fail(err)
			}
			updated, _ := parseTime(oldUpdated)
			switch {
			case it.UpdatedAt.After(updated):
				updated = it.UpdatedAt
			case old != it.Text:
				// No edit time from the platform (Facebook): the edit is
				// dated when it was first seen.
				updated = tx.now
			}
			if old != it.Text || oldHidden != it.Hidden || oldGone || oldReply != it.ReplyText {
				st.Changed++
			}
			_, err = tx.ExecContext(ctx, `UPDATE inbox_items SET channel = ?, parent_id = ?, post_url = ?, url = ?, kind = ?, author = ?, author_id = ?, from_practice = ?,
				body = ?, stars = ?, updated_at = ?, hidden = ?, gone = 0, can_reply = ?, can_hide = ?, can_delete = ?,
				reply_text = ?, replied_at = ?, reply_state = ? WHERE id = ?`,
				channel, it.ParentID, it.PostURL, url, string(it.Kind), author, it.AuthorID, b2i(it.FromPractice), body, it.Stars, formatTime(updated),
				b2i(it.Hidden), b2i(it.CanReply), b2i(it.CanHide), b2i(it.CanDelete), reply, replied, it.ReplyState, id)
			if err != nil {
				return fail(err)
			}
		}
	}
	rows, err := tx.QueryContext(ctx, "SELECT id, remote_id FROM inbox_items WHERE platform = ? AND post_id = ? AND gone = 0 AND created_at >= ?",
		platform, postID, formatTime(reach))
	if err != nil {
		return fail(err)
	}
	var goneIDs []int64
	for rows.Next() {
		var id int64
		var rid string
		if err := rows.Scan(&id, &rid); err != nil {
			rows.Close()
			return fail(err)
		}
		if !present[rid] {
			goneIDs = append(goneIDs, id)
		}
	}
	rows.Close()
	for _, id := range goneIDs {
		if _, err := tx.ExecContext(ctx, "UPDATE inbox_items SET gone = 1 WHERE id = ?", id); err != nil {
			return fail(err)
		}
		st.Gone++
	}
	return st, nil
}

// StartInboxAction records an action as attempting, before anything is
// sent. It refuses while another action on the item is still attempting,
// so a double click cannot send the same reply twice.
func (tx *Tx) StartInboxAction(ctx context.Context, itemID int64, action, text, key, verdict string) (int64, error) {
	var busy int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM inbox_actions WHERE item_id = ? AND state = 'attempting'", itemID).Scan(&busy); err != nil {
		return 0, app.Internal(err, "PracticePost could not save the reply. Nothing was sent; try again.")
	}
	if busy > 0 {
		return 0, app.Errorf(app.ECONFLICT, "A reply or change to this comment is still being sent. Wait a moment and refresh the Inbox.")
	}
	// The id is chosen first: the sealed words are bound to it.
	var id int64
	if err := tx.nextID(ctx, "inbox_actions", &id); err != nil {
		return 0, app.Internal(err, "PracticePost could not save the reply. Nothing was sent; try again.")
	}
	row := rowID(id)
	_, err := tx.ExecContext(ctx, `INSERT INTO inbox_actions (id, item_id, action, text, key, state, verdict, error, created_at) VALUES (?, ?, ?, ?, ?, 'attempting', ?, ?, ?)`,
		id, itemID, action, tx.sealText("inbox_actions", "text", row, text), key, tx.sealText("inbox_actions", "verdict", row, verdict),
		tx.sealText("inbox_actions", "error", row, ""), formatTime(tx.now))
	if err != nil {
		return 0, app.Internal(err, "PracticePost could not save the reply. Nothing was sent; try again.")
	}
	return id, nil
}

// FinishInboxAction records the outcome: done (with the platform's id),
// failed (nothing went out) or uncertain (it may have gone out).
func (tx *Tx) FinishInboxAction(ctx context.Context, id int64, state, remoteID, errMsg string) error {
	_, err := tx.ExecContext(ctx, "UPDATE inbox_actions SET state = ?, remote_id = ?, error = ?, finished_at = ? WHERE id = ?",
		state, remoteID, tx.sealText("inbox_actions", "error", rowID(id), errMsg), formatTime(tx.now), id)
	if err != nil {
		return app.Internal(err, "PracticePost could not record the outcome of the reply.")
	}
	return nil
}

// MarkInboxAnswered stores the practice's reply as it now stands on the
// platform: as its own item under the comment, or (Google) on the review.
func (tx *Tx) MarkInboxAnswered(ctx context.Context, it app.InboxItem, replyRemoteID, text string) error {
	var err error
	if it.Kind == app.InboxReview {
		reply, _ := tx.db.sealInbox("reply_text", inboxRow(it.Platform, it.RemoteID), text)
		_, err = tx.ExecContext(ctx, "UPDATE inbox_items SET reply_text = ?, replied_at = ?, reply_state = 'PENDING' WHERE id = ?", reply, formatTime(tx.now), it.ID)
	} else if replyRemoteID != "" {
		_, err = tx.SaveInboxListingItem(ctx, it.Platform, it.PostID, app.InboxItem{Platform: it.Platform, Channel: it.Channel, RemoteID: replyRemoteID, ParentID: it.RemoteID,
			PostID: it.PostID, PostURL: it.PostURL, Kind: app.InboxReply, FromPractice: true, Text: text, CreatedAt: tx.now, UpdatedAt: tx.now})
	}
	if err != nil {
		return app.Internal(err, "PracticePost could not record the reply.")
	}
	return nil
}

// SaveInboxListingItem adds one item without touching its siblings.
func (tx *Tx) SaveInboxListingItem(ctx context.Context, platform, postID string, it app.InboxItem) (int64, error) {
	row := inboxRow(platform, it.RemoteID)
	author, err := tx.db.sealInbox("author", row, it.Author)
	if err != nil {
		return 0, err
	}
	body, err := tx.db.sealInbox("body", row, it.Text)
	if err != nil {
		return 0, err
	}
	url, _ := tx.db.sealInbox("url", row, it.URL)
	reply, _ := tx.db.sealInbox("reply_text", row, it.ReplyText)
	res, err := tx.ExecContext(ctx, `INSERT INTO inbox_items (platform, channel, remote_id, parent_id, post_id, post_url, url, kind, author, author_id,
		from_practice, body, stars, created_at, updated_at, hidden, gone, can_reply, can_hide, can_delete, reply_text, seen_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?) ON CONFLICT (platform, remote_id) DO NOTHING`,
		platform, it.Channel, it.RemoteID, it.ParentID, postID, it.PostURL, url, string(it.Kind), author, it.AuthorID, b2i(it.FromPractice), body, it.Stars,
		formatTime(it.CreatedAt), formatTime(it.UpdatedAt), b2i(it.Hidden), b2i(it.CanReply), b2i(it.CanHide), b2i(it.CanDelete), reply, formatTime(tx.now))
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

// SetInboxHidden and SetInboxGone record a hide or delete the platform confirmed.
func (tx *Tx) SetInboxHidden(ctx context.Context, id int64, hidden bool) error {
	_, err := tx.ExecContext(ctx, "UPDATE inbox_items SET hidden = ? WHERE id = ?", b2i(hidden), id)
	return err
}

func (tx *Tx) SetInboxGone(ctx context.Context, id int64) error {
	_, err := tx.ExecContext(ctx, "UPDATE inbox_items SET gone = 1 WHERE id = ?", id)
	return err
}

// InboxActions lists the actions taken on an item, oldest first.
func (d *DB) InboxActions(ctx context.Context, itemID int64) ([]app.InboxAction, error) {
	return readAll(ctx, d, "PracticePost could not read the replies sent.", d.scanInboxAction,
		`SELECT id, item_id, action, text, key, state, remote_id, error, verdict, created_at, finished_at FROM inbox_actions WHERE item_id = ? ORDER BY id`, itemID)
}

func (d *DB) scanInboxAction(s scanner) (app.InboxAction, error) {
	var a app.InboxAction
	var created, finished string
	if err := s.Scan(&a.ID, &a.ItemID, &a.Action, d.text("inbox_actions", "text", &a.ID, &a.Text), &a.Key, &a.State, &a.RemoteID,
		d.text("inbox_actions", "error", &a.ID, &a.Error), d.text("inbox_actions", "verdict", &a.ID, &a.Verdict), &created, &finished); err != nil {
		return a, err
	}
	var err error
	a.CreatedAt, a.FinishedAt, err = parseSpan(created, finished)
	return a, err
}

// Inbox retention: how long collected comments are kept (personal data is
// kept no longer than needed). Settings → Inbox changes it.
const (
	keyInboxRetention     = "inbox.retention_days"
	DefaultInboxRetention = 90
	MinInboxRetention     = 7
	MaxInboxRetention     = 730
)

// InboxRetentionDays is the retention setting in days.
func (d *DB) InboxRetentionDays(ctx context.Context) (int, error) {
	v, err := d.State(ctx, keyInboxRetention)
	if err != nil {
		return 0, err
	}
	if n, err := strconv.Atoi(v); err == nil && n >= MinInboxRetention && n <= MaxInboxRetention {
		return n, nil
	}
	return DefaultInboxRetention, nil
}

// SetInboxRetentionDays changes the setting, with its audit entry.
func (tx *Tx) SetInboxRetentionDays(ctx context.Context, days int) error {
	if days < MinInboxRetention || days > MaxInboxRetention {
		return app.Errorf(app.EINVALID, "Keep comments for between %d and %d days.", MinInboxRetention, MaxInboxRetention)
	}
	if err := tx.SetState(ctx, keyInboxRetention, strconv.Itoa(days)); err != nil {
		return app.Internal(err, "PracticePost could not save the setting.")
	}
	return tx.Audit(ctx, "manager", "inbox.retention", "settings", map[string]string{"days": strconv.Itoa(days)})
}

// PurgeInbox deletes items (and their actions) last updated before cutoff,
// whole threads at a time, so a kept reply never loses its comment.
func (tx *Tx) PurgeInbox(ctx context.Context, cutoff time.Time) (int, error) {
	fail := func(err error) (int, error) {
		return 0, app.Internal(err, "PracticePost could not remove old comments.")
	}
	type node struct {
		id             int64
		parent, latest string
	}
	nodes := map[[2]string]node{}
	rows, err := tx.QueryContext(ctx, "SELECT id, platform, remote_id, parent_id, MAX(updated_at, replied_at) FROM inbox_items")
	if err != nil {
		return fail(err)
	}
	for rows.Next() {
		var n node
		var platform, remote string
		if err := rows.Scan(&n.id, &platform, &remote, &n.parent, &n.latest); err != nil {
			rows.Close()
			return fail(err)
		}
		nodes[[2]string{platform, remote}] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	// root follows parents to the top; a loop ends at the first repeat.
	root := func(k [2]string) [2]string {
		seen := map[[2]string]bool{k: true}
		for {
			p := [2]string{k[0], nodes[k].parent}
			if _, ok := nodes[p]; !ok || p[1] == "" || seen[p] {
				return k
			}
			seen[p] = true
			k = p
		}
	}
	cut := formatTime(cutoff)
	fresh := map[[2]string]bool{}
	roots := map[[2]string][2]string{}
	for k, n := range nodes {
		r := root(k)
		roots[k] = r
		if n.latest >= cut {
			fresh[r] = true
		}
	}
	removed := 0
	for k, n := range nodes {
		if fresh[roots[k]] {
			continue
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM inbox_items WHERE id = ?", n.id); err != nil {
			return fail(err)
		}
		removed++
	}
	if removed > 0 {
		if err := tx.Audit(ctx, "system", "inbox.purge", "inbox", map[string]string{"removed": strconv.Itoa(removed)}); err != nil {
			return 0, err
		}
	}
	return removed, nil
}
