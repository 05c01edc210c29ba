package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/store/storetest"
)

func TestDraftsSurviveReopen(t *testing.T) {
	ctx := context.Background()
	clock := &app.FixedClock{T: time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)}
	db := storetest.Open(t, clock)
	dr, err := db.CreateDraft(ctx, app.Draft{Title: "Spring tips", Body: "First words", Channels: []string{"facebook"}, UTM: true, Pillar: app.PillarTip})
	if err != nil {
		t.Fatal(err)
	}
	if dr.ID == 0 || dr.Status != app.DraftEditing {
		t.Fatalf("created %+v", dr)
	}
	clock.Advance(time.Second)
	dr.Body = "First words, then more — with an emoji 🦷 and Zoë's accent"
	dr.Versions = map[string]string{"x": "Short for X"}
	dr.Hashtags = []string{"#SmileMonth"}
	dr.Link = "https://harbourdental.example/tips"
	dr.Media = []app.DraftMedia{{MediaID: 3, SHA256: strings.Repeat("c", 64), AltText: "A toothbrush on a shelf"}}
	dr.Testimonials = []int64{7}
	saved, err := db.SaveDraft(ctx, dr)
	if err != nil {
		t.Fatal(err)
	}
	if !saved.UpdatedAt.After(saved.CreatedAt) {
		t.Errorf("updatedAt %s not after createdAt %s", saved.UpdatedAt, saved.CreatedAt)
	}

	db = reopen(t, db)
	got, err := db.Draft(ctx, dr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Body != dr.Body || got.Versions["x"] != "Short for X" || !slices.Equal(got.Hashtags, dr.Hashtags) || got.Link != dr.Link ||
		len(got.Media) != 1 || got.Media[0].AltText != "A toothbrush on a shelf" || !slices.Equal(got.Testimonials, []int64{7}) || !got.UTM || got.Pillar != app.PillarTip {
		t.Errorf("after reopening: %+v", got)
	}
}

func TestDraftScheduleListAndDelete(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	mk := func(title, local string) app.Draft {
		dr, err := db.CreateDraft(ctx, app.Draft{Title: title, Body: title + " text", LocalTime: local, Zone: "Europe/London"})
		if err != nil {
			t.Fatal(err)
		}
		return dr
	}
	a := mk("A", "2026-03-30T09:00")
	b := mk("B", "2026-04-02T17:30")
	c := mk("C", "")

	at := time.Date(2026, 3, 30, 8, 0, 0, 0, time.UTC)
	s, err := db.SetDraftSchedule(ctx, a.ID, app.Schedule{Status: app.DraftScheduled, ScheduledAt: &at, LocalTime: "2026-03-30T09:00", Zone: "Europe/London"}, "draft.schedule")
	if err != nil {
		t.Fatal(err)
	}
	if s.Status != app.DraftScheduled || s.ScheduledAt == nil || !s.ScheduledAt.Equal(at) {
		t.Errorf("scheduled: %+v", s)
	}
	// The schema refuses a scheduled post without its wall-clock time.
	if _, err := db.SetDraftSchedule(ctx, b.ID, app.Schedule{Status: app.DraftScheduled, ScheduledAt: &at}, "draft.schedule"); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("scheduling without a day: %v", err)
	}

	march, err := db.ListDrafts(ctx, app.DraftFilter{From: "2026-03-01", To: "2026-04-01"})
	if err != nil {
		t.Fatal(err)
	}
	if len(march) != 1 || march[0].ID != a.ID {
		t.Errorf("March lists %v", ids(march))
	}
	spring, _ := db.ListDrafts(ctx, app.DraftFilter{From: "2026-03-01", To: "2026-05-01"})
	if !slices.Equal(ids(spring), []int64{a.ID, b.ID}) {
		t.Errorf("March–April lists %v", ids(spring))
	}
	unplanned, _ := db.ListDrafts(ctx, app.DraftFilter{Unplanned: true})
	if !slices.Equal(ids(unplanned), []int64{c.ID}) {
		t.Errorf("unplanned lists %v", ids(unplanned))
	}

	if err := db.DeleteDraft(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Draft(ctx, b.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("deleted draft read: %v", err)
	}
	if err := db.DeleteDraft(ctx, b.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("second delete: %v", err)
	}
	if _, err := db.SaveDraft(ctx, b); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("saving a deleted draft: %v", err)
	}

	// The log names drafts by id and never carries their text.
	page, err := db.ListAudit(ctx, 50, 0)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range page.Entries {
		if strings.Contains(fmt.Sprint(e.Detail), "text") || strings.Contains(e.Subject, "text") {
			t.Errorf("audit entry carries draft text: %+v", e)
		}
		if strings.HasPrefix(e.Subject, "draft:") {
			actions = append(actions, e.Action)
		}
	}
	for _, want := range []string{"draft.create", "draft.schedule", "draft.delete"} {
		if !slices.Contains(actions, want) {
			t.Errorf("audit lacks %s: %v", want, actions)
		}
	}
}

func ids(ds []app.Draft) []int64 {
	out := []int64{}
	for _, d := range ds {
		out = append(out, d.ID)
	}
	return out
}

func TestIdeasSeededOnceThenEdited(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	seeds := []app.Idea{
		{SourceID: "a", Specialty: "dental", Pillar: app.PillarTip, Title: "Brush", Text: "Two minutes.", Hashtags: []string{"#Teeth"}},
		{SourceID: "b", Specialty: "physio", Pillar: app.PillarMythFact, Title: "Rest", Text: "Move gently."},
	}
	if err := db.EnsureIdeas(ctx, seeds); err != nil {
		t.Fatal(err)
	}
	list, err := db.Ideas(ctx)
	if err != nil || len(list) != 2 || list[0].Title != "Brush" || list[1].Hashtags == nil {
		t.Fatalf("ideas = %+v, %v", list, err)
	}
	list[0].Text = "Two minutes, twice a day."
	if _, err := db.SaveIdea(ctx, list[0]); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteIdea(ctx, list[1].ID); err != nil {
		t.Fatal(err)
	}
	own, err := db.SaveIdea(ctx, app.Idea{Specialty: "gp", Pillar: app.PillarNews, Title: "Flu clinic", Text: "Book now."})
	if err != nil || own.ID == 0 {
		t.Fatal(own, err)
	}
	// Seeding again (every start) must not undo the practice's edits.
	if err := db.EnsureIdeas(ctx, seeds); err != nil {
		t.Fatal(err)
	}
	list, _ = db.Ideas(ctx)
	if len(list) != 2 || list[0].Text != "Two minutes, twice a day." || list[1].Title != "Flu clinic" {
		t.Errorf("after re-seeding: %+v", list)
	}
	if _, err := db.SaveIdea(ctx, app.Idea{ID: 999, Specialty: "gp", Pillar: app.PillarNews, Title: "x", Text: "y"}); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("saving a missing idea: %v", err)
	}
	if err := db.DeleteIdea(ctx, 999); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("deleting a missing idea: %v", err)
	}
}

func TestPatientNamesKeyChangesWithPatients(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t)
	k0, err := db.PatientNamesKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.CreatePatient(ctx, app.Patient{FullName: "Margaret Okafor", DateOfBirth: app.CivilDate{Year: 1961, Month: 4, Day: 2}, Email: "m@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	k1, _ := db.PatientNamesKey(ctx)
	if k1 == k0 {
		t.Error("the key did not change when a patient was added")
	}
	names, err := db.PatientNames(ctx)
	if err != nil || names[p.ID] != "Margaret Okafor" {
		t.Errorf("names = %v, %v", names, err)
	}
}
