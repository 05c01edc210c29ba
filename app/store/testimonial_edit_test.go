package store_test

import (
	"strings"
	"testing"

	"practicepost/app"
)

// An edit changes the words (sealed like before), the source and how
// posts name the patient, keeps patient, consent and creation time, and
// logs which parts changed without the words themselves.
func TestUpdateTestimonial(t *testing.T) {
	db := MustOpenDB(t)
	p := addPatient(t, db, "Ada Quarrington")
	tm := draft(t, db, p, "Lovely team, no pain at all")
	edit := tm
	edit.Quote, edit.Source, edit.NameAs = "Lovely team and no pain at all", "in clinic", app.IdentityFirstName
	got, err := db.UpdateTestimonial(ctx, edit)
	if err != nil {
		t.Fatal(err)
	}
	read, err := db.Testimonial(ctx, tm.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range []app.Testimonial{got, read} {
		if x.Quote != edit.Quote || x.Source != "in clinic" || x.NameAs != app.IdentityFirstName || x.PatientID != p.ID || !x.CreatedAt.Equal(tm.CreatedAt) {
			t.Errorf("after the edit: %+v", x)
		}
	}
	page, err := db.ListAudit(ctx, 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range page.Entries {
		if e.Action == "testimonial.edit" {
			found = true
			if e.Detail["changed"] != "words,source,identity" {
				t.Errorf("logged %v", e.Detail)
			}
			for _, v := range e.Detail {
				if strings.Contains(v, "team") {
					t.Errorf("the words reached the activity log: %v", e.Detail)
				}
			}
		}
	}
	if !found {
		t.Error("no testimonial.edit entry")
	}
	edit.ID = 999
	if _, err := db.UpdateTestimonial(ctx, edit); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("edit of a missing testimonial: %v", err)
	}
}

// A testimonial a post quotes cannot be deleted, and the refusal names the
// post; once the post no longer quotes it, it goes, with a log entry.
func TestDeleteTestimonial(t *testing.T) {
	db := MustOpenDB(t)
	p := addPatient(t, db, "Ada Quarrington")
	tm := draft(t, db, p, "Lovely team")
	d, err := db.CreateDraft(ctx, app.Draft{Title: "Friday smile", Body: "“Lovely team”", Testimonials: []int64{tm.ID}})
	if err != nil {
		t.Fatal(err)
	}
	err = db.DeleteTestimonial(ctx, tm.ID)
	if app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "“Friday smile” (draft) quotes it") {
		t.Fatalf("delete while quoted: %v", err)
	}
	if _, err := db.Testimonial(ctx, tm.ID); err != nil {
		t.Fatalf("refused delete removed it: %v", err)
	}
	d.Testimonials = []int64{}
	if _, err := db.SaveDraft(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteTestimonial(ctx, tm.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Testimonial(ctx, tm.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("still there: %v", err)
	}
	if n := auditCount(t, db, "testimonial.delete"); n != 1 {
		t.Errorf("%d delete entries", n)
	}
	if err := db.DeleteTestimonial(ctx, tm.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("second delete: %v", err)
	}
}

// A quote card made from the testimonial holds it too: the refusal says so.
func TestDeleteTestimonialShownInAnImage(t *testing.T) {
	db := MustOpenDB(t)
	p := addPatient(t, db, "Ada Quarrington")
	tm := draft(t, db, p, "Lovely team")
	card := mediaItems(1)
	card[0].Template, card[0].Layout, card[0].Identity, card[0].SourcesKnown = "testimonial", "classic", app.IdentityAnonymous, true
	card[0].TestimonialID, card[0].Attribution = tm.ID, app.AttributionTestimonial
	if _, err := db.KeepMedia(ctx, "set-card", "A patient's words", card); err != nil {
		t.Fatal(err)
	}
	err := db.DeleteTestimonial(ctx, tm.ID)
	if app.ErrorCode(err) != app.ECONFLICT || !strings.Contains(app.ErrorMessage(err), "1 Studio image shows it") {
		t.Fatalf("delete while an image shows it: %v", err)
	}
}
