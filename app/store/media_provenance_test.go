package store_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"practicepost/app"
	"practicepost/app/store"
	"practicepost/app/studio"
)

// consentWithPhotos stores a signed consent for p covering the given media.
func consentWithPhotos(t *testing.T, db *store.DB, p app.Patient, media ...app.ConsentMedia) app.ConsentEntry {
	t.Helper()
	f := quayForm(t, db, p, app.ConsentScope{Identity: []app.IdentityElement{app.IdentityFirstName, app.IdentityFace}, Channels: []app.ConsentChannel{app.ChannelFacebook}})
	f.Media = media
	sig := []byte("sig " + p.FullName)
	c := sign(t, f, app.Signature{ImageSHA256: app.SHA256Hex(sig),
		Strokes: [][]app.StrokePoint{{{X: 1, Y: 2, T: 0}, {X: 30, Y: 12, T: 40}}}})
	err := db.Tx(ctx, func(tx *store.Tx) error {
		for _, m := range media {
			if _, err := tx.PutBlob(ctx, []byte("photo "+m.SHA256), "image/jpeg", 10, 10); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	e, err := db.InsertConsent(ctx, app.NewConsent{Consent: c, SignaturePNG: sig, PDF: []byte("%PDF " + p.FullName)})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// applyUpTo builds a data file holding migrations 1..n only, as an older
// PracticePost left it. next is the migration the test upgrades through,
// checked to be number n+1 so a renumbering cannot make the test pass over
// it.
func applyUpTo(t *testing.T, path string, n int, next string) {
	t.Helper()
	sdb := rawDB(t, path)
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) <= n {
		t.Fatalf("migrations on disk: %v %v", files, err)
	}
	sort.Strings(files)
	if filepath.Base(files[n]) != next {
		t.Fatalf("migration %d should be %s, found %s", n+1, next, files[n])
	}
	if _, err := sdb.Exec(`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	for i, f := range files[:n] {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := sdb.Exec(string(b)); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if _, err := sdb.Exec("INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00Z')", i+1, strings.TrimSuffix(filepath.Base(f), ".sql")); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := sdb.Exec(fmt.Sprintf("PRAGMA user_version = %d", n)); err != nil {
		t.Fatal(err)
	}
	sdb.Close()
}

// The upgrade derives provenance where the data shows it: an image made
// with a layout that draws no photo is known to show no one; one made with
// a layout that can draw a photo stays unknown; a card made from a
// testimonial carries the patient's words. The photo-free layouts are
// taken from the engine here, so the migration's list cannot drift from
// the bundled templates unnoticed.
func TestMigrationImageSourcesDerivesWhatTheDataShows(t *testing.T) {
	eng, err := studio.New()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), store.FileName)
	applyUpTo(t, path, 8, "0009_image_sources.sql")
	sdb := rawDB(t, path)
	mustExec := func(q string, args ...any) {
		t.Helper()
		if _, err := sdb.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	mustExec(`INSERT INTO patients (id, full_name, date_of_birth, created_at) VALUES (1, 'Mary Owen', '1980-01-01', '2026-01-01T00:00:00Z')`)
	mustExec(`INSERT INTO testimonials (id, patient_id, quote, created_at) VALUES (7, 1, 'Lovely', '2026-01-01T00:00:00Z')`)
	type row struct {
		set, template, layout string
		testimonial           any
		identity              string
		drawsPhoto            bool
	}
	var rows []row
	for _, tpl := range eng.Templates() {
		for _, l := range tpl.Layouts {
			draws := false
			for _, fr := range l.Frames {
				for _, el := range fr.Elements {
					draws = draws || el.Photo != ""
				}
			}
			rows = append(rows, row{set: tpl.ID + "/" + l.ID, template: tpl.ID, layout: l.ID, drawsPhoto: draws})
		}
	}
	// A card from a testimonial, a hand-typed card naming someone, and a
	// row with no layout recorded (cannot be placed).
	rows = append(rows,
		row{set: "from-testimonial", template: "testimonial", layout: "classic", testimonial: 7, identity: "first_name"},
		row{set: "hand-typed", template: "testimonial", layout: "classic", identity: "initials"},
		row{set: "no-layout", template: "tip", layout: "", drawsPhoto: true})
	for i, r := range rows {
		data := fmt.Sprintf("old image %d", i)
		sum := app.SHA256Hex([]byte(data))
		mustExec(`INSERT INTO blobs (sha256, mime, size, width, height, data, created_at) VALUES (?, 'image/jpeg', ?, 1080, 1080, ?, '2026-01-01T00:00:00Z')`, sum, len(data), []byte(data))
		for _, size := range []string{"square", "story"} {
			mustExec(`INSERT INTO media (set_id, blob_sha256, mime, template, layout, size_id, width, height, bytes, alt_text, created_at, testimonial_id, identity)
				VALUES (?, ?, 'image/jpeg', ?, ?, ?, 1080, 1080, 8, 'An old image', '2026-01-01T00:00:00Z', ?, ?)`, r.set, sum, r.template, r.layout, size, r.testimonial, r.identity)
		}
	}
	sdb.Close()

	db, err := store.Open(ctx, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sawFree, sawPhoto := 0, 0
	for _, r := range rows {
		set, err := db.MediaSet(ctx, r.set)
		if err != nil || len(set) != 2 {
			t.Fatalf("%s: %v %d", r.set, err, len(set))
		}
		for _, m := range set {
			if m.SourcesKnown == r.drawsPhoto || len(m.Sources) != 0 || m.Sources == nil {
				t.Errorf("%s %s: known=%v sources=%v, want known=%v and no sources", r.set, m.SizeID, m.SourcesKnown, m.Sources, !r.drawsPhoto)
			}
			wantAttr := ""
			if r.testimonial != nil {
				wantAttr = app.AttributionTestimonial
			}
			if m.Attribution != wantAttr || m.WordsUnattributed() != (r.set == "hand-typed") {
				t.Errorf("%s: attribution %q unattributed=%v", r.set, m.Attribution, m.WordsUnattributed())
			}
		}
		if r.drawsPhoto {
			sawPhoto++
		} else {
			sawFree++
		}
	}
	if sawFree < 5 || sawPhoto < 5 {
		t.Fatalf("the templates should have both kinds of layout: %d photo-free, %d with photos", sawFree, sawPhoto)
	}
	// Home lists exactly the sets that cannot be placed, once per set.
	list, err := db.UnplacedImages(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got, want []string
	for _, u := range list {
		got = append(got, u.SetID)
		if u.Sizes != 2 || u.SHA256 == "" || u.WordsUnknown != (u.SetID == "hand-typed") || u.SourcesUnknown == (u.SetID == "hand-typed") {
			t.Errorf("unplaced %+v", u)
		}
	}
	for _, r := range rows {
		if r.drawsPhoto || r.set == "hand-typed" {
			want = append(want, r.set)
		}
	}
	sort.Strings(got)
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Fatalf("unplaced %v, want %v", got, want)
	}
	// The new columns keep their rules in SQLite itself.
	raw := rawDB(t, path)
	for _, q := range []string{
		"UPDATE media SET attribution = 'patient' WHERE set_id = 'hand-typed'",
		"UPDATE media SET attribution = 'testimonial' WHERE set_id = 'hand-typed'",
		"UPDATE media SET sources = 'not json' WHERE set_id = 'myth/bold'",
		"UPDATE media SET sources = '{}' WHERE set_id = 'myth/bold'",
		`UPDATE media SET sources = '[{"kind":"declared","declared":"team"}]', sources_known = 0 WHERE set_id = 'myth/bold'`,
	} {
		if _, err := raw.Exec(q); err == nil {
			t.Errorf("accepted: %s", q)
		}
	}
}

func TestKeepMediaRecordsSourcesForEverySize(t *testing.T) {
	db := MustOpenDB(t)
	p := addPatient(t, db, "Mary Owen")
	photo := app.ConsentMedia{SHA256: app.SHA256Hex([]byte("smile")), Kind: "before_after", Label: "Before"}
	e := consentWithPhotos(t, db, p, photo)
	srcs := []app.ImageSource{
		{Kind: app.SourceConsent, ConsentID: e.Consent.ID, MediaSHA256: photo.SHA256, Shows: []app.IdentityElement{app.IdentityFace, app.IdentityBeforeAfter}},
		{Kind: app.SourceDeclared, Declared: "premises"},
	}
	items := mediaItems(3)
	for i := range items {
		items[i].Template, items[i].Layout = "beforeafter", "side"
		items[i].Sources, items[i].SourcesKnown = srcs, true
	}
	kept, err := db.KeepMedia(ctx, "set-ba", "Before and after", items)
	if err != nil {
		t.Fatal(err)
	}
	set, err := db.MediaSet(ctx, "set-ba")
	if err != nil || len(set) != 3 {
		t.Fatalf("set: %v %d", err, len(set))
	}
	for i, m := range set {
		if !m.SourcesKnown || len(m.Sources) != 2 || m.Sources[0].ConsentID != e.Consent.ID || m.Sources[0].MediaSHA256 != photo.SHA256 ||
			!slices.Equal(m.Sources[0].Shows, srcs[0].Shows) || m.Sources[1].Declared != "premises" || m.Attribution != "" {
			t.Fatalf("size %d reads %+v", i, m)
		}
		if k := kept[i]; k.ID != m.ID || !k.SourcesKnown || len(k.Sources) != 2 {
			t.Fatalf("kept %+v", k)
		}
	}
	if m, _ := db.MediaByBlob(ctx, kept[2].SHA256); len(m.Sources) != 2 {
		t.Fatalf("by blob %+v", m)
	}
	page, _ := db.ListAudit(ctx, 1, 0)
	a := page.Entries[0]
	if a.Action != "media.keep" || a.Detail["photos"] != fmt.Sprintf("consent %d (shows face, before_after); declared premises", e.Consent.ID) || strings.Contains(fmt.Sprint(a), "Mary") {
		t.Fatalf("audit %+v", a)
	}
	if list, _ := db.UnplacedImages(ctx); len(list) != 0 {
		t.Fatalf("a known set is listed as waiting: %+v", list)
	}

	// A hand-typed card said to be a team member's words.
	card := mediaItems(1)
	card[0].Template, card[0].Layout, card[0].Identity, card[0].Attribution, card[0].SourcesKnown = "testimonial", "classic", app.IdentityFullName, app.AttributionNotPatient, true
	k2, err := db.KeepMedia(ctx, "set-card", "A quote from Dr Lee", card)
	if err != nil || k2[0].Attribution != app.AttributionNotPatient || k2[0].WordsUnattributed() {
		t.Fatalf("card: %v %+v", err, k2)
	}
	// A card from a testimonial is the patient's words even if not said.
	tm := draft(t, db, p, "Lovely team.")
	fromT := mediaItems(1)
	fromT[0].TestimonialID, fromT[0].Identity, fromT[0].SourcesKnown = tm.ID, app.IdentityFirstName, true
	if k3, err := db.KeepMedia(ctx, "set-t", "Quote", fromT); err != nil || k3[0].Attribution != app.AttributionTestimonial {
		t.Fatalf("from testimonial: %v %+v", err, k3)
	}
}

func TestKeepMediaRefusesBadSourcesAndKeepsNothing(t *testing.T) {
	db := MustOpenDB(t)
	p := addPatient(t, db, "Mary Owen")
	photo := app.ConsentMedia{SHA256: app.SHA256Hex([]byte("smile")), Kind: "photo", Label: "Smile"}
	e := consentWithPhotos(t, db, p, photo)
	tm := draft(t, db, p, "Lovely team.")
	good := app.ImageSource{Kind: app.SourceConsent, ConsentID: e.Consent.ID, MediaSHA256: photo.SHA256, Shows: []app.IdentityElement{app.IdentityFace}}
	other := app.SHA256Hex([]byte("someone else's photo"))
	cases := []struct {
		name  string
		edit  func(*app.NewMedia)
		code  string
		words string
	}{
		{"no kind", func(m *app.NewMedia) { m.Sources = []app.ImageSource{{}} }, app.EINVALID, "no source"},
		{"consent gone", func(m *app.NewMedia) { s := good; s.ConsentID = 999; m.Sources = []app.ImageSource{s} }, app.ENOTFOUND, "no longer in PracticePost"},
		{"media not in consent", func(m *app.NewMedia) { s := good; s.MediaSHA256 = other; m.Sources = []app.ImageSource{s} }, app.EINVALID, "not one of the photos"},
		{"bad hash", func(m *app.NewMedia) { s := good; s.MediaSHA256 = "abc"; m.Sources = []app.ImageSource{s} }, app.EINVALID, "not recorded properly"},
		{"shows a name", func(m *app.NewMedia) {
			s := good
			s.Shows = []app.IdentityElement{app.IdentityFullName}
			m.Sources = []app.ImageSource{s}
		}, app.EINVALID, "only the face"},
		{"declared selfie", func(m *app.NewMedia) { m.Sources = []app.ImageSource{{Kind: app.SourceDeclared, Declared: "selfie"}} }, app.EINVALID, "the team, the premises"},
		{"declared with consent", func(m *app.NewMedia) {
			m.Sources = []app.ImageSource{{Kind: app.SourceDeclared, Declared: "team", ConsentID: e.Consent.ID}}
		}, app.EINVALID, "the team, the premises"},
		{"sources but unknown", func(m *app.NewMedia) { m.SourcesKnown = false }, app.EINVALID, "complete"},
		{"testimonial words without testimonial", func(m *app.NewMedia) { m.Attribution = app.AttributionTestimonial }, app.EINVALID, "names none"},
		{"testimonial card said not patient", func(m *app.NewMedia) { m.TestimonialID, m.Attribution = tm.ID, app.AttributionNotPatient }, app.EINVALID, "cannot also"},
		{"odd attribution", func(m *app.NewMedia) { m.Attribution = "patient" }, app.EINVALID, "whose words"},
	}
	for _, c := range cases {
		items := mediaItems(2)
		for i := range items {
			items[i].Sources, items[i].SourcesKnown = []app.ImageSource{good}, true
		}
		c.edit(&items[1])
		_, err := db.KeepMedia(ctx, "s-"+c.name, "Alt", items)
		if app.ErrorCode(err) != c.code || !strings.Contains(app.ErrorMessage(err), c.words) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	if page, _ := db.ListMedia(ctx, 10, 0); page.Total != 0 {
		t.Fatalf("refused images were kept: %d", page.Total)
	}
}

func TestDeclareImageForEverySizeWithAudit(t *testing.T) {
	db := MustOpenDB(t)
	// An image kept without its sources, in a draft.
	items := mediaItems(3)
	for i := range items {
		items[i].Template, items[i].Layout = "team", "circle"
	}
	kept, err := db.KeepMedia(ctx, "old-team", "Our team", items)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateDraft(ctx, app.Draft{Title: "Meet us", Body: "Meet the team", Media: []app.DraftMedia{{MediaID: kept[1].ID, SHA256: kept[1].SHA256, AltText: "Our team"}}}); err != nil {
		t.Fatal(err)
	}
	list, err := db.UnplacedImages(ctx)
	if err != nil || len(list) != 1 || list[0].SetID != "old-team" || list[0].Sizes != 3 || list[0].Drafts != 1 || !list[0].SourcesUnknown || list[0].WordsUnknown {
		t.Fatalf("unplaced: %v %+v", err, list)
	}
	before := auditCount(t, db, "media.declare")

	// Bad declarations change nothing.
	for _, dec := range []app.ImageDeclaration{{}, {Declared: "patient"}, {NotPatientWords: true}} {
		if err := db.DeclareImage(ctx, "old-team", dec); err == nil {
			t.Errorf("%+v accepted", dec)
		}
	}
	if err := db.DeclareImage(ctx, "gone", app.ImageDeclaration{Declared: "team"}); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("missing set: %v", err)
	}
	if set, _ := db.MediaSet(ctx, "old-team"); set[0].SourcesKnown || auditCount(t, db, "media.declare") != before {
		t.Fatal("a refused declaration changed something")
	}

	if err := db.DeclareImage(ctx, "old-team", app.ImageDeclaration{Declared: "team"}); err != nil {
		t.Fatal(err)
	}
	set, _ := db.MediaSet(ctx, "old-team")
	for _, m := range set {
		if !m.SourcesKnown || len(m.Sources) != 1 || m.Sources[0].Kind != app.SourceDeclared || m.Sources[0].Declared != "team" {
			t.Fatalf("declared size reads %+v", m)
		}
	}
	if list, _ := db.UnplacedImages(ctx); len(list) != 0 {
		t.Fatalf("still waiting: %+v", list)
	}
	page, _ := db.ListAudit(ctx, 1, 0)
	if a := page.Entries[0]; a.Action != "media.declare" || a.Detail["declared"] != "team" || a.Detail["set"] != "old-team" || a.Detail["images"] != "3" {
		t.Fatalf("audit %+v", a)
	}
	// Once known, it cannot be re-declared.
	if err := db.DeclareImage(ctx, "old-team", app.ImageDeclaration{Declared: "stock"}); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("second declaration: %v", err)
	}

	// A photo recorded as a consent's can never be declared as no patient.
	p := addPatient(t, db, "Mary Owen")
	photo := app.ConsentMedia{SHA256: app.SHA256Hex([]byte("smile")), Kind: "photo", Label: "Smile"}
	e := consentWithPhotos(t, db, p, photo)
	c := mediaItems(1)
	c[0].Sources, c[0].SourcesKnown = []app.ImageSource{{Kind: app.SourceConsent, ConsentID: e.Consent.ID, MediaSHA256: photo.SHA256}}, true
	if _, err := db.KeepMedia(ctx, "patient", "A smile", c); err != nil {
		t.Fatal(err)
	}
	if err := db.DeclareImage(ctx, "patient", app.ImageDeclaration{Declared: "stock"}); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("laundering a consent photo: %v", err)
	}
	if set, _ := db.MediaSet(ctx, "patient"); set[0].Sources[0].Kind != app.SourceConsent {
		t.Fatalf("consent source changed: %+v", set[0])
	}

	// A hand-typed card naming someone: say the words are not a patient's.
	card := mediaItems(2)
	for i := range card {
		card[i].Template, card[i].Layout, card[i].Identity, card[i].SourcesKnown = "testimonial", "classic", app.IdentityInitials, true
	}
	if _, err := db.KeepMedia(ctx, "card", "Quote", card); err != nil {
		t.Fatal(err)
	}
	if list, _ := db.UnplacedImages(ctx); len(list) != 1 || !list[0].WordsUnknown || list[0].SourcesUnknown {
		t.Fatalf("card waiting: %+v", list)
	}
	if err := db.DeclareImage(ctx, "card", app.ImageDeclaration{Declared: "team"}); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("declaring known photos: %v", err)
	}
	if err := db.DeclareImage(ctx, "card", app.ImageDeclaration{NotPatientWords: true}); err != nil {
		t.Fatal(err)
	}
	if set, _ := db.MediaSet(ctx, "card"); set[1].Attribution != app.AttributionNotPatient || set[1].WordsUnattributed() {
		t.Fatalf("card reads %+v", set[1])
	}
}
