package store_test

import (
	"bytes"
	"database/sql"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/store"
)

func newRequest(t *testing.T, db *store.DB, consents []string, channels ...string) (app.PublishRequest, []app.PublishJob) {
	t.Helper()
	req := app.PublishRequest{DraftID: "draft-4", Text: "Hello", Link: "https://example.org", Zone: "Europe/London",
		Media: []app.PublishMedia{{SHA256: "abc", Alt: "Smile"}}, ConsentIDs: consents, ScheduledAt: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)}
	var jobs []app.PublishJob
	for _, ch := range channels {
		jobs = append(jobs, app.PublishJob{Channel: ch, Platform: "mastodon", State: app.JobQueued, Text: "Hello " + ch,
			ScheduledAt: req.ScheduledAt, NextAt: req.ScheduledAt, IdemKey: "key-" + ch})
	}
	err := db.Tx(ctx, func(tx *store.Tx) error { return tx.CreatePublishRequest(ctx, &req, jobs, "practice manager") })
	if err != nil {
		t.Fatal(err)
	}
	return req, jobs
}

func TestPublishRequestRoundTrip(t *testing.T) {
	db := MustOpenDB(t)
	req, jobs := newRequest(t, db, []string{"12", "7"}, "ma-1", "ma-2")
	if req.ID == 0 || jobs[0].ID == 0 || jobs[1].ID == 0 {
		t.Fatalf("ids not filled: %d %d %d", req.ID, jobs[0].ID, jobs[1].ID)
	}
	j, err := db.PublishJob(ctx, jobs[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if j.RequestID != req.ID || j.DraftID != "draft-4" || j.Channel != "ma-2" || j.Text != "Hello ma-2" || j.Zone != "Europe/London" ||
		!j.ScheduledAt.Equal(req.ScheduledAt) || !j.NextAt.Equal(req.ScheduledAt) || j.IdemKey != "key-ma-2" || j.State != app.JobQueued {
		t.Errorf("read back %+v", j)
	}
	if len(j.Media) != 1 || j.Media[0].Alt != "Smile" || strings.Join(j.ConsentIDs, ",") != "12,7" {
		t.Errorf("media %+v consents %v", j.Media, j.ConsentIDs)
	}
	if _, err := db.PublishJob(ctx, 999); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("missing job: %v", err)
	}
	// One channel twice is refused and leaves nothing behind.
	err = db.Tx(ctx, func(tx *store.Tx) error {
		r := app.PublishRequest{Text: "x", Zone: "UTC"}
		return tx.CreatePublishRequest(ctx, &r, []app.PublishJob{{Channel: "a", Platform: "bluesky", State: app.JobQueued, IdemKey: "1"},
			{Channel: "a", Platform: "bluesky", State: app.JobQueued, IdemKey: "2"}}, "practice manager")
	})
	if app.ErrorCode(err) != app.EINVALID {
		t.Errorf("duplicate channel: %v", err)
	}
	all, _ := db.PublishJobs(ctx, app.PublishJobFilter{})
	if len(all) != 2 {
		t.Errorf("%d jobs after a refused request", len(all))
	}
	// A state outside the list is refused by the schema.
	err = db.Tx(ctx, func(tx *store.Tx) error {
		j := all[0]
		j.State = "posted-maybe"
		return tx.SavePublishJob(ctx, &j, "system")
	})
	if err == nil {
		t.Error("unknown state saved")
	}
}

func TestSavePublishJobAuditsStateChangesAndKeepsRaw(t *testing.T) {
	db := MustOpenDB(t)
	_, jobs := newRequest(t, db, nil, "ma-1")
	before, _ := db.ListAudit(ctx, 100, 0)
	save := func(fn func(j *app.PublishJob)) app.PublishJob {
		t.Helper()
		var out app.PublishJob
		err := db.Tx(ctx, func(tx *store.Tx) error {
			j, err := tx.PublishJob(ctx, jobs[0].ID)
			if err != nil {
				return err
			}
			fn(&j)
			out = j
			return tx.SavePublishJob(ctx, &j, "system")
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	save(func(j *app.PublishJob) { j.Attempts = 0 }) // no state change: no entry
	save(func(j *app.PublishJob) {
		j.State, j.Attempts, j.Raw = app.JobWaiting, 1, []byte(`{"error":"Too many requests"}`)
		j.ErrorKind, j.ErrorMessage = "rate_limited", "wait"
	})
	save(func(j *app.PublishJob) {
		j.State, j.RemoteID, j.RemoteURL, j.PublishedAt = app.JobPublished, "555", "https://x/555", time.Date(2026, 12, 1, 10, 0, 1, 0, time.UTC)
	})
	after, _ := db.ListAudit(ctx, 100, 0)
	if after.Total-before.Total != 2 {
		t.Fatalf("%d audit entries for 2 state changes", after.Total-before.Total)
	}
	e := after.Entries[1] // newest first: the waiting entry is second
	if e.Action != "publish.waiting" || e.Detail["from"] != "queued" || e.Detail["kind"] != "rate_limited" || e.Subject != "publish_job:1" {
		t.Errorf("audit entry %+v", e)
	}
	raw, _ := db.PublishJobRaw(ctx, jobs[0].ID)
	if !bytes.Contains(raw, []byte("Too many")) {
		t.Errorf("raw response not kept when a later save has none: %q", raw)
	}
	j, _ := db.PublishJob(ctx, jobs[0].ID)
	if j.State != app.JobPublished || j.RemoteID != "555" || !j.NextAt.Equal(jobs[0].NextAt) || j.ErrorKind != "rate_limited" {
		t.Errorf("job %+v", j)
	}
}

func TestPublishJobFilters(t *testing.T) {
	db := MustOpenDB(t)
	_, a := newRequest(t, db, []string{"c1"}, "ma-1", "bs-1")
	_, b := newRequest(t, db, []string{"c2"}, "ma-1")
	err := db.Tx(ctx, func(tx *store.Tx) error {
		j := b[0]
		j.NextAt = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
		j.State = app.JobWaiting
		if err := tx.SavePublishJob(ctx, &j, "system"); err != nil {
			return err
		}
		j = a[1]
		j.State, j.NextAt = app.JobFailed, time.Time{}
		return tx.SavePublishJob(ctx, &j, "system")
	})
	if err != nil {
		t.Fatal(err)
	}
	ids := func(f app.PublishJobFilter) string {
		jobs, err := db.PublishJobs(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var s []string
		for _, j := range jobs {
			s = append(s, j.Channel+"/"+string(j.State))
		}
		return strings.Join(s, " ")
	}
	due := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		f    app.PublishJobFilter
		want string
	}{
		{app.PublishJobFilter{Channel: "ma-1"}, "ma-1/queued ma-1/waiting"},
		{app.PublishJobFilter{ConsentID: "c1"}, "ma-1/queued bs-1/failed"},
		{app.PublishJobFilter{States: []app.PublishState{app.JobFailed, app.JobWaiting}}, "bs-1/failed ma-1/waiting"},
		{app.PublishJobFilter{DueBy: due}, "ma-1/waiting ma-1/queued"}, // soonest first; failed has no next time
		{app.PublishJobFilter{DueBy: due.Add(-time.Second)}, "ma-1/waiting"},
		{app.PublishJobFilter{DraftID: "draft-4", Limit: 1}, "ma-1/queued"},
	} {
		if got := ids(c.f); got != c.want {
			t.Errorf("%+v: %q, want %q", c.f, got, c.want)
		}
	}
}

func TestPublishAttemptsAndRevocation(t *testing.T) {
	db := MustOpenDB(t)
	_, jobs := newRequest(t, db, []string{"c1", "c2"}, "ma-1")
	a := app.PublishAttempt{JobID: jobs[0].ID, Action: "create", IdemKey: "key-ma-1", CreatedAtSent: time.Date(2026, 12, 1, 10, 0, 0, 5e6, time.UTC)}
	err := db.Tx(ctx, func(tx *store.Tx) error { return tx.StartPublishAttempt(ctx, &a) })
	if err != nil || a.ID == 0 || a.N != 1 {
		t.Fatalf("start: %+v %v", a, err)
	}
	list, _ := db.PublishAttempts(ctx, jobs[0].ID)
	if len(list) != 1 || list[0].Outcome != "" || !list[0].EndedAt.IsZero() || !list[0].CreatedAtSent.Equal(a.CreatedAtSent) {
		t.Fatalf("in-flight attempt %+v", list)
	}
	a.Outcome, a.ErrorKind, a.Status, a.Raw = "error", "transient", 503, []byte("<html>")
	if err := db.Tx(ctx, func(tx *store.Tx) error { return tx.EndPublishAttempt(ctx, a) }); err != nil {
		t.Fatal(err)
	}
	list, _ = db.PublishAttempts(ctx, jobs[0].ID)
	if list[0].Outcome != "error" || list[0].Status != 503 || string(list[0].Raw) != "<html>" || list[0].EndedAt.IsZero() {
		t.Errorf("ended attempt %+v", list[0])
	}

	revoked := func() bool {
		var r bool
		db.Tx(ctx, func(tx *store.Tx) error {
			var err error
			r, err = tx.PublishJobRevoked(ctx, jobs[0].ID)
			return err
		})
		return r
	}
	if revoked() {
		t.Fatal("revoked before any revocation")
	}
	for i, want := range []int{1, 0} {
		var n int
		db.Tx(ctx, func(tx *store.Tx) error {
			var err error
			n, err = tx.RevokePublishConsent(ctx, "c2")
			return err
		})
		if n != want {
			t.Errorf("revocation %d touched %d requests, want %d", i+1, n, want)
		}
	}
	if !revoked() {
		t.Error("not revoked after revoking one of its consents")
	}
}

// insertSignedConsent writes a bare signed consent row, its patient and
// its PDF straight into the data file: the takedown tests need a consent
// to exist, not a valid signed record.
func insertSignedConsent(t *testing.T, db *store.DB, sdb *sql.DB, id int64) {
	t.Helper()
	var pdf string
	if err := db.Tx(ctx, func(tx *store.Tx) error {
		var err error
		pdf, err = tx.PutBlob(ctx, []byte("%PDF-1.7 signed"), "application/pdf", 0, 0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := sdb.Exec(`INSERT INTO patients (id, full_name, date_of_birth, created_at) VALUES (1, 'Test Patient', '1980-01-01', '2026-11-01T00:00:00Z')`); err != nil {
		t.Fatal(err)
	}
	if _, err := sdb.Exec(`INSERT INTO consents (id, patient_id, template_version, method, signed_at, expires_at, evidence_hash, record, pdf_sha256, created_at)
		VALUES (?, 1, 'gb-1', 'on_screen', '2026-11-01T00:00:00Z', '2027-11-01T00:00:00Z', 'h', '{}', ?, '2026-11-01T00:00:00Z')`, id, pdf); err != nil {
		t.Fatal(err)
	}
}

func TestPublishedJobJoinsConsentTakedownList(t *testing.T) {
	db := MustOpenDB(t)
	sdb := rawDB(t, db.Path())
	insertSignedConsent(t, db, sdb, 5)
	// "5" is a signed consent; "c-unknown" is not, and is skipped.
	_, jobs := newRequest(t, db, []string{"5", "c-unknown"}, "ma-1")
	publish := func(fn func(j *app.PublishJob)) {
		t.Helper()
		err := db.Tx(ctx, func(tx *store.Tx) error {
			j, err := tx.PublishJob(ctx, jobs[0].ID)
			if err != nil {
				return err
			}
			fn(&j)
			return tx.SavePublishJob(ctx, &j, "system")
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	publish(func(j *app.PublishJob) {
		j.State, j.RemoteID, j.RemoteURL, j.PublishedAt = app.JobPublished, "113", "https://social.example/@smile/113", time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	})
	list, err := db.TakedownList(ctx, 5)
	if err != nil || len(list) != 1 || list[0].RemoteID != "113" || list[0].Platform != "mastodon" || list[0].PostID != jobs[0].ID {
		t.Fatalf("takedown list %+v %v", list, err)
	}
	publish(func(j *app.PublishJob) { j.Takedown = app.TakedownDeleted })
	if list, _ := db.TakedownList(ctx, 5); len(list) != 0 {
		t.Errorf("deleted post still listed: %+v", list)
	}
}
