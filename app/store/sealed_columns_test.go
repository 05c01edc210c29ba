package store_test

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/store"
)

// plainColumns are the text columns that stay plain, each with why. A new
// text column must join this list or the sealed list (sealedColumns in
// sealed.go): nothing becomes a plain home for patient words by default.
// Times ("at", "…_at") and digests ("sha256", "…_sha256", "…_hash") are
// plain by their name.
var plainColumns = map[string]string{
	"app_state.key":   "settings' names; the values of the keys that hold patient data are sealed (sealedStates)",
	"app_state.value": "settings; the keys that hold patient data are sealed by key (sealedStates)",

	"audit_log.actor": "the activity log holds ids and actions only, never names; keyed by HMAC", "audit_log.action": "as actor",
	"audit_log.subject": "as actor", "audit_log.detail": "as actor: ids, counts, digests", "audit_log.prev_hash": "the chain", "audit_log.hash": "the chain",

	"blobs.mime": "a file's type",

	"brand_kit.practice_name": "the practice's own public details", "brand_kit.address": "as practice_name",
	"brand_kit.phone": "as practice_name", "brand_kit.email": "as practice_name", "brand_kit.website": "as practice_name",
	"brand_kit.country": "as practice_name", "brand_kit.disclaimer": "as practice_name", "brand_kit.hashtags": "as practice_name",
	"brand_kit.color_primary": "the brand's look", "brand_kit.color_secondary": "the brand's look", "brand_kit.color_accent": "the brand's look",
	"brand_kit.color_text": "the brand's look", "brand_kit.color_background": "the brand's look", "brand_kit.heading_font": "the brand's look",
	"brand_kit.body_font": "the brand's look",

	"channel_metrics.channel": "a channel's id", "channel_metrics.day": "a date", "channel_metrics.grain": "day or week",

	"clinicians.name": "the practice's clinicians, named on its posts and registers", "clinicians.role": "as name",
	"clinicians.regulator": "as name", "clinicians.number": "a public professional registration",

	"consent_holds.outcome": "a state",
	"consent_copies.method": "email or in person", "consent_copies.state": "a state",
	"consent_publications.platform": "a platform's name", "consent_publications.remote_id": "the platform's id of the post",
	"publish_consents.consent_id": "a consent's id", "consent_publications.url": "the public address of a published post",
	"consent_revocations.received_by": "how the withdrawal came (a choice: email, phone, letter...)",
	"consent_templates.key":           "the practice's consent form, the same for every patient", "consent_templates.country": "as key",
	"consent_templates.title": "as key", "consent_templates.review_notice": "as key", "consent_templates.body": "as key",
	"consents.template_version": "which form", "consents.method": "a choice: on screen, paper, email",

	"drafts.channels": "channel ids", "drafts.pillar": "a content pillar's id", "drafts.media": "images' ids and digests; the store reads it in SQL",
	"drafts.testimonials": "testimonials' ids", "drafts.status": "a state", "drafts.local_time": "a time of day", "drafts.zone": "a time zone",
	"drafts.utm": "whether links are tagged", "drafts.awareness_id": "an awareness day's id from the bundled calendar",

	"ideas.source_id": "the bundled idea a row came from", "ideas.specialty": "the ideas library: bundled post ideas the practice edits, general to every practice", "ideas.pillar": "as specialty",
	"ideas.title": "as specialty", "ideas.text": "as specialty", "ideas.hashtags": "as specialty",

	"inbox_actions.action": "reply, hide, unhide or delete", "inbox_actions.key": "an idempotency key", "inbox_actions.state": "a state",
	"inbox_actions.remote_id": "the platform's id of the reply",
	"inbox_items.platform":    "a platform's name", "inbox_items.channel": "a channel's id", "inbox_items.remote_id": "the platform's id, part of the key the sealed values are bound to",
	"inbox_items.post_url": "the public address of the practice's own post", "inbox_items.kind": "comment or review",
	"inbox_items.reply_state": "a state", "inbox_items.post_id": "the practice's own post's id", "inbox_items.parent_id": "the platform's id of the comment answered",
	"inbox_items.author_id": "the platform's opaque id of the commenter, which matches the practice's own replies",

	"mail_replies.key": "a keyed digest of the message's id (seal.Digest), for not reading it twice", "mail_replies.mailbox": "the practice's mailbox folder",
	"mail_replies.status": "a state",
	"mail_requests.token": "a random token", "mail_requests.message_id": "the Message-ID PracticePost gave the email: random, at the practice's domain", "mail_requests.kind": "consent, testimonial or quote", "mail_requests.scope": "what the consent would cover (channels, media kinds)",
	"mail_requests.state":     "a state",
	"mail_sync_state.mailbox": "the practice's mailbox folder", "mail_sync_state.state": "message numbers read so far",

	"media.mime": "a file's type", "media.template": "a Studio design's id", "media.layout": "a layout's id", "media.identity": "a choice: how an image names its patient",
	"media.sources": "the ids of the images it was made from", "media.attribution": "a choice: whose words a card carries",
	"media.set_id": "a random id", "media.size_id": "a platform size's id",

	"metric_channel_gains.day": "a date", "metric_channel_gains.channel": "a channel's id",
	"metric_collection.channel": "a channel's id", "metric_collection.platform": "a platform's name", "metric_collection.error_kind": "an error's kind",
	"metric_collection.error_code": "the platform's error code", "metric_collection.error_message": "why reading the figures failed (auth, rate limit): about the practice's account",
	"metric_collection.note": "as error_message",
	"metric_snapshots.day":   "a date", "metric_snapshots.grain": "day or week",

	"publish_attempts.action": "publish or delete", "publish_attempts.idem_key": "an idempotency key", "publish_attempts.outcome": "a state",
	"publish_attempts.error_kind": "an error's kind", "publish_attempts.error_code": "the platform's error code",
	"publish_attempts.created_at_sent": "a time",
	"publish_hosted.key":               "where a hosted image sits for the platform to fetch: a random name",
	"publish_jobs.channel":             "a channel's id", "publish_jobs.platform": "a platform's name", "publish_jobs.state": "a state", "publish_jobs.zone": "a time zone",
	"publish_jobs.idem_key": "an idempotency key", "publish_jobs.error_kind": "an error's kind", "publish_jobs.error_code": "the platform's error code",
	"publish_jobs.remote_id": "the platform's id of the post", "publish_jobs.remote_url": "the public address of the published post",
	"publish_jobs.takedown": "a state", "publish_jobs.takedown_by": "who removed a post by hand: the practice's staff",
	"publish_requests.draft_id": "a draft's id", "publish_requests.media": "images' ids and digests; the store reads it in SQL",
	"publish_requests.zone": "a time zone", "publish_requests.testimonials": "testimonials' ids; the store reads it in SQL",

	"quote_approvals.how":    "a choice: on screen, paper, email",
	"schema_migrations.name": "a migration's name",

	"testimonials.said_on": "a date", "testimonials.name_as": "a choice: how the patient is named", "testimonials.media": "files' digests and kinds; the store reads it in SQL",
}

// TestEveryTextColumnIsSealedOrPlainByDesign reads the schema a new file
// gets and holds every text column to one of the two lists.
func TestEveryTextColumnIsSealedOrPlainByDesign(t *testing.T) {
	db := MustOpenDB(t)
	raw := rawDB(t, db.Path())
	rows, err := raw.Query(`SELECT m.name, p.name, upper(p.type) FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY 1, 2`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	sealed := map[string]bool{}
	for _, c := range store.SealedColumns() {
		sealed[c] = true
	}
	seen := map[string]bool{}
	for rows.Next() {
		var table, column, typ string
		if err := rows.Scan(&table, &column, &typ); err != nil {
			t.Fatal(err)
		}
		name := table + "." + column
		seen[name] = true
		if typ != "TEXT" && typ != "BLOB" && typ != "" {
			continue
		}
		switch {
		case sealed[name] && plainColumns[name] != "":
			t.Errorf("%s is both sealed and listed as plain", name)
		case sealed[name], plainColumns[name] != "":
		case column == "at" || strings.HasSuffix(column, "_at") || column == "sha256" || strings.HasSuffix(column, "_sha256") || strings.HasSuffix(column, "_hash"):
		default:
			t.Errorf("%s (%s) is neither sealed nor listed as plain with a reason", name, typ)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, c := range slices.Sorted(maps.Keys(plainColumns)) {
		if !seen[c] {
			t.Errorf("plain list names %s, which the schema does not have", c)
		}
	}
	for c := range sealed {
		if !seen[c] {
			t.Errorf("sealed list names %s, which the schema does not have", c)
		}
	}
}

// A queued post's link, why its takedown failed, and the Inbox's replies
// with their findings and errors are sealed from data version 21, and a
// file version 20 left with them plain has them sealed when it opens.
func TestLinksAndRepliesAreSealed(t *testing.T) {
	path, secrets, db := keyedFile(t)
	const link, takedownErr = "https://harbour.example/smiles?ref=Ptolemy%20Vandersloot", "Mastodon refused: the status by ptolemy_v could not be deleted"
	const reply, verdict, replyErr = "Thank you Ptolemy, lovely to see you!", `[{"kind":"possible_name","text":"Ptolemy"}]`, "Bluesky refused the reply to Ptolemy"
	req := app.PublishRequest{DraftID: "1", Text: "Our open day.", Link: link, Zone: "Europe/London"}
	jobs := []app.PublishJob{{Channel: "mastodon:1", Platform: "mastodon", State: app.JobQueued, Text: req.Text, Link: link, IdemKey: "k-v"}}
	var actionID, itemID int64
	err := db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.CreatePublishRequest(ctx, &req, jobs, "practice manager"); err != nil {
			return err
		}
		j := jobs[0]
		j.State, j.RemoteID, j.PublishedAt = app.JobPublished, "109", tx.Now()
		j.Takedown, j.TakedownError = app.TakedownFailed, takedownErr
		if err := tx.SavePublishJob(ctx, &j, "system"); err != nil {
			return err
		}
		var err error
		itemID, err = tx.SaveInboxListingItem(ctx, "bluesky", "post-1", app.InboxItem{Platform: "bluesky", Channel: "bluesky:1", RemoteID: "c-9",
			PostID: "post-1", Kind: app.InboxComment, Author: "Someone", Text: "Lovely!", CreatedAt: time.Now(), UpdatedAt: time.Now()})
		if err != nil {
			return err
		}
		if actionID, err = tx.StartInboxAction(ctx, itemID, "reply", reply, "key-9", verdict); err != nil {
			return err
		}
		return tx.FinishInboxAction(ctx, actionID, "failed", "", replyErr)
	})
	if err != nil {
		t.Fatal(err)
	}
	readBack := func(when string) {
		t.Helper()
		j, err := db.PublishJob(ctx, jobs[0].ID)
		if err != nil || j.Link != link || j.TakedownError != takedownErr {
			t.Fatalf("%s: job link %q, takedown error %q, %v", when, j.Link, j.TakedownError, err)
		}
		as, err := db.InboxActions(ctx, itemID)
		if err != nil || len(as) != 1 || as[0].ID != actionID || as[0].Text != reply || as[0].Verdict != verdict || as[0].Error != replyErr {
			t.Fatalf("%s: inbox actions %+v %v", when, as, err)
		}
	}
	readBack("saved")
	notReadable(t, path, "saved", "ptolemy", "vandersloot")

	// Bound to their row: one action's words copied onto another's do not open.
	raw := rawDB(t, path)
	mustExec(t, raw, "INSERT INTO inbox_actions (item_id, action, text, key, state, created_at) SELECT item_id, action, text, 'key-copy', 'failed', created_at FROM inbox_actions WHERE id = ?", actionID)
	if _, err := db.InboxActions(ctx, itemID); err == nil {
		t.Fatal("a reply sealed for another action opened")
	}
	mustExec(t, raw, "DELETE FROM inbox_actions WHERE key = 'key-copy'")

	// What version 20 left: these values plain.
	db.Close()
	mustExec(t, raw, "UPDATE publish_requests SET link = ? WHERE id = ?", link, req.ID)
	mustExec(t, raw, "UPDATE publish_jobs SET link = ?, takedown_error = ? WHERE id = ?", link, takedownErr, jobs[0].ID)
	mustExec(t, raw, "UPDATE inbox_actions SET text = ?, verdict = ?, error = ? WHERE id = ?", reply, verdict, replyErr, actionID)
	asVersion(t, raw, 20)
	raw.Close()
	if !bytes.Contains(fileBytes(t, path), []byte("ptolemy")) {
		t.Fatal("the test did not leave the values plain")
	}
	db = keyedDB(t, path, secrets)
	readBack("reopened")
	notReadable(t, path, "reopened", "ptolemy", "vandersloot")
}

// A reply's key (its Message-ID, which often carries the sender's family
// domain) is kept as a keyed digest: found again, never readable; a file
// version 20 left with the key plain has it digested when it opens.
func TestReplyKeysAreDigests(t *testing.T) {
	path, secrets, db := keyedFile(t)
	p := addPatient(t, db, "Zoë Brontë")
	r := newMailRequest(t, db, p, app.KindConsent)
	const key = "mid:zoe.reply@bronte-family.example"
	if rec, err := db.RecordReply(ctx, reviewItem(r, key, "Yes to Facebook.")); err != nil || !rec.Created {
		t.Fatalf("reply: %+v %v", rec, err)
	}
	again := func(when string) {
		t.Helper()
		if known, err := db.KnownReply(ctx, key); err != nil || !known {
			t.Fatalf("%s: the reply is not known by its key: %v", when, err)
		}
		if rec, err := db.RecordReply(ctx, reviewItem(r, key, "Yes to Facebook.")); err != nil || rec.Created {
			t.Fatalf("%s: the same reply recorded twice: %+v %v", when, rec, err)
		}
	}
	again("saved")
	notReadable(t, path, "saved", "bronte-family")

	db.Close()
	raw := rawDB(t, path)
	mustExec(t, raw, "UPDATE mail_replies SET key = ?", key)
	asVersion(t, raw, 20)
	raw.Close()
	if !bytes.Contains(fileBytes(t, path), []byte("bronte-family")) {
		t.Fatal("the test did not leave the key plain")
	}
	db = keyedDB(t, path, secrets)
	again("reopened")
	notReadable(t, path, "reopened", "bronte-family")
}
