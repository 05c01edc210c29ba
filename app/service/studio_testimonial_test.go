package service_test

import (
	"bytes"
	"context"
	"database/sql"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/guard"
	"practicepost/app/service"
	"practicepost/app/store"
	"practicepost/app/studio"
)

const janeQuote = "The whole team made me feel at ease. My new smile is better than I hoped."

// quoteWorld is a practice on 20 March 2026 with a studio and drafts on one
// data file, and Jane Smith's testimonial bound to a consent signed on 1
// March that names her by first name only, on Facebook only.
type quoteWorld struct {
	c       *service.Core
	db      *store.DB
	studio  *service.StudioService
	drafts  *service.DraftService
	jane    app.Patient
	consent app.Consent
	tm      app.Testimonial
}

func newQuoteWorld(t *testing.T) *quoteWorld {
	t.Helper()
	c, drafts, _ := draftCore(t, t.TempDir(), march20())
	db, _ := c.DB()
	w := &quoteWorld{c: c, db: db, studio: service.NewStudioService(c), drafts: drafts}
	w.jane = addPatient(t, c, "Jane Smith")
	w.consent = w.sign(t, w.jane, janeQuote, app.IdentityFirstName)
	tm, err := db.CreateTestimonial(context.Background(), app.Testimonial{PatientID: w.jane.ID, ConsentID: w.consent.ID, Quote: janeQuote,
		Source: "in clinic", NameAs: app.IdentityFirstName})
	if err != nil {
		t.Fatal(err)
	}
	w.tm = tm
	return w
}

func (w *quoteWorld) sign(t *testing.T, p app.Patient, quote string, name app.IdentityElement) app.Consent {
	t.Helper()
	return storeConsent(t, w.db, p, time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC),
		terms{identity: []app.IdentityElement{name}, channels: []app.ConsentChannel{app.ChannelFacebook}, quote: quote}).Consent
}

// card renders a quote card and keeps it, returning the square size.
func (w *quoteWorld) card(t *testing.T, d service.StudioDesign) service.StudioLibraryItem {
	t.Helper()
	r, err := w.studio.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	lib, err := w.studio.Keep(r.ID, "A quote card: a patient's words about the team", true)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range lib.Items {
		if it.SizeID == "square" {
			return it
		}
	}
	t.Fatal("no square size kept")
	return service.StudioLibraryItem{}
}

func (w *quoteWorld) postWith(t *testing.T, img service.StudioLibraryItem, channels ...string) service.DraftView {
	t.Helper()
	v, err := w.drafts.Create(service.DraftInput{Channels: channels})
	if err != nil {
		t.Fatal(err)
	}
	v, err = w.drafts.Save(service.DraftInput{ID: v.Draft.ID, Body: "Kind words from one of our patients this week. Thank you!", Channels: channels,
		Media: []app.DraftMedia{{MediaID: img.ID, SHA256: img.SHA256, AltText: img.AltText}}})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func fromTestimonial(id int64, mode studio.AttributionMode) service.StudioDesign {
	return service.StudioDesign{Template: "testimonial", TestimonialID: id,
		Fields:      map[string]string{"quote": "Words typed over the testimonial", "treatment": "Whitening"},
		Attribution: &studio.AttributionSpec{Mode: mode, Name: "Typed Name"}}
}

// (i) A first-name-only consent refuses "Full name", saying what the
// patient agreed to; the card carries the testimonial's words and her first
// name only, whatever the form typed.
func TestQuoteCardFromTestimonialFollowsConsent(t *testing.T) {
	w := newQuoteWorld(t)
	src, err := w.studio.FromTestimonial(w.tm.ID)
	if err != nil {
		t.Fatal(err)
	}
	if src.Quote != janeQuote || src.PatientName != "Jane Smith" || src.Mode != "first_name" || !strings.Contains(src.Agreed, "first name only") {
		t.Fatalf("source %+v", src)
	}
	allowed := map[string]bool{}
	for _, m := range src.Modes {
		allowed[m.Value] = m.Allowed
		if !m.Allowed && !strings.Contains(m.Reason, "first name only") {
			t.Errorf("%s refused without saying what she agreed to: %q", m.Label, m.Reason)
		}
	}
	if allowed["full_name"] || !allowed["first_name"] || !allowed["initials"] || !allowed["anonymous"] {
		t.Fatalf("allowed modes %v", allowed)
	}

	for _, try := range []func() error{
		func() error {
			_, err := w.studio.Preview(fromTestimonial(w.tm.ID, studio.AttrFullName), "square", 0)
			return err
		},
		func() error { _, err := w.studio.Render(fromTestimonial(w.tm.ID, studio.AttrFullName)); return err },
	} {
		err := try()
		if app.ErrorField(err) != "attribution" || !strings.Contains(app.ErrorMessage(err), "first name only") || !strings.Contains(app.ErrorMessage(err), "cannot show full name") {
			t.Fatalf("full name on a first-name consent: %v", err)
		}
	}
	if p, _ := w.db.ListMedia(context.Background(), 10, 0); p.Total != 0 {
		t.Fatal("a refused render kept images")
	}

	img := w.card(t, fromTestimonial(w.tm.ID, studio.AttrFirstName))
	m, err := w.db.MediaByID(context.Background(), img.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.TestimonialID != w.tm.ID || m.Identity != app.IdentityFirstName || !m.TextRecorded {
		t.Fatalf("kept source %+v", m)
	}
	if !strings.Contains(m.ImageText, janeQuote) || !strings.Contains(m.ImageText, "— Jane") || strings.Contains(m.ImageText, "Smith") ||
		strings.Contains(m.ImageText, "typed over") || strings.Contains(m.ImageText, "Typed Name") {
		t.Fatalf("image text %q: the testimonial's words and first name only", m.ImageText)
	}
	// Those words are the patient's: sealed in the data file like the
	// testimonial they came from, not left readable beside the image.
	file := dataFile(t, w.c.Home)
	for _, s := range []string{"made me feel at ease", "— Jane"} {
		if bytes.Contains(file, []byte(s)) {
			t.Errorf("%q, drawn into the kept card, is readable in the data file", s)
		}
	}

	// Only the quote card takes a testimonial.
	d := fromTestimonial(w.tm.ID, studio.AttrFirstName)
	d.Template = "tip"
	if _, err := w.studio.Render(d); app.ErrorField(err) != "testimonial" {
		t.Errorf("a tip card from a testimonial: %v", err)
	}
	// No consent yet, and no such testimonial: clear refusals.
	waiting, err := w.db.CreateTestimonial(context.Background(), app.Testimonial{PatientID: w.jane.ID, Quote: "Lovely.", Source: "email", NameAs: app.IdentityAnonymous})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.studio.FromTestimonial(waiting.ID); !strings.Contains(app.ErrorMessage(err), "no signed consent") {
		t.Errorf("testimonial waiting for consent: %v", err)
	}
	if _, err := w.studio.FromTestimonial(9999); !strings.Contains(app.ErrorMessage(err), "no longer in PracticePost") {
		t.Errorf("missing testimonial: %v", err)
	}
}

func findingsOf(v service.DraftView, kind guard.Kind) []service.FindingView {
	var out []service.FindingView
	for _, f := range v.Check.Findings {
		if f.Kind == kind {
			out = append(out, f)
		}
	}
	return out
}

func blockedOn(v service.DraftView) []string {
	var out []string
	for _, cc := range v.Check.Channels {
		if cc.Blocked {
			out = append(out, cc.Channel)
		}
	}
	return out
}

// (ii) A kept quote card is a use of its testimonial even when the post
// does not list the testimonial: blocked where the consent does not reach
// (LinkedIn), clear where it does (Facebook).
func TestImageFromTestimonialCheckedPerChannel(t *testing.T) {
	w := newQuoteWorld(t)
	img := w.card(t, fromTestimonial(w.tm.ID, studio.AttrFirstName))
	v := w.postWith(t, img, "facebook", "linkedin")
	if got := blockedOn(v); !slices.Equal(got, []string{"linkedin"}) {
		t.Fatalf("blocked on %v, want linkedin only; findings %+v", got, v.Check.Findings)
	}
	fs := findingsOf(v, guard.KindConsentPrefix+consent.CodeChannelNotCovered)
	if len(fs) != 1 || !slices.Equal(fs[0].Channels, []string{"linkedin"}) || fs[0].Severity != guard.Block ||
		!strings.HasPrefix(fs[0].Message, "Image 1: quote card from the testimonial “The whole team made me feel…”") ||
		!strings.Contains(fs[0].Message, "LinkedIn") || strings.Contains(fs[0].Message, "Jane") {
		t.Fatalf("channel finding %+v", fs)
	}
	if slices.ContainsFunc(v.Check.Findings, func(f service.FindingView) bool { return f.Kind == guard.KindConsentPrefix+consent.CodeQuoteChanged }) {
		t.Fatalf("the quote is in the image, not the text; no quote finding expected: %+v", v.Check.Findings)
	}
	if _, err := w.drafts.Schedule(v.Draft.ID, "2026-03-27", "09:00"); err == nil || !strings.Contains(app.ErrorMessage(err), "LinkedIn") {
		t.Fatalf("scheduling for LinkedIn too: %v", err)
	}

	v = w.postWith(t, img, "facebook")
	if v.Check.Blocked || !v.CanSchedule {
		t.Fatalf("Facebook only should pass: %+v", v.Check.Findings)
	}
	if _, err := w.drafts.Schedule(v.Draft.ID, "2026-03-27", "09:00"); err != nil {
		t.Fatal(err)
	}
	// Listing the testimonial in the post as well does not check it twice.
	in := service.DraftInput{ID: v.Draft.ID, Body: v.Draft.Body + " “" + janeQuote + "”", Channels: []string{"facebook", "linkedin"},
		Media: v.Draft.Media, Testimonials: []int64{w.tm.ID}}
	v, err := w.drafts.Save(in)
	if err != nil {
		t.Fatal(err)
	}
	if fs := findingsOf(v, guard.KindConsentPrefix+consent.CodeChannelNotCovered); len(fs) != 1 || !strings.HasPrefix(fs[0].Message, "Testimonial 1") {
		t.Fatalf("one finding, for the listed testimonial: %+v", fs)
	}
}

// (iii) A patient's full name typed by hand onto a card, with no
// testimonial anywhere, blocks the post: the words in the image are scanned.
func TestHandTypedPatientNameInImageBlocks(t *testing.T) {
	w := newQuoteWorld(t)
	addPatient(t, w.c, "Margaret Okafor")
	img := w.card(t, service.StudioDesign{Template: "testimonial",
		Fields:      map[string]string{"quote": "Best dentist in Bristol."},
		Attribution: &studio.AttributionSpec{Mode: studio.AttrFullName, Name: "Margaret Okafor"}, WordsOf: app.AttributionNotPatient})
	v := w.postWith(t, img, "facebook")
	if !v.Check.Blocked || v.CanSchedule {
		t.Fatalf("a patient's name in the image must block: %+v", v.Check.Findings)
	}
	fs := findingsOf(v, guard.KindPatientName)
	if len(fs) != 1 {
		t.Fatalf("name findings %+v", v.Check.Findings)
	}
	f := fs[0]
	if f.Image != 1 || f.Start != 0 || f.End != 0 || f.Target != "" || f.Text != "Margaret Okafor" || f.Severity != guard.Block ||
		f.Message != "The quote card (image 1) shows the name of one of your patients: Margaret Okafor. No testimonial in this post has consent that covers it." ||
		!strings.Contains(f.Fix, "From a testimonial") {
		t.Fatalf("finding %+v", f)
	}
	if !slices.ContainsFunc(v.Check.Reasons, func(r string) bool { return strings.HasPrefix(r, "The quote card (image 1) shows") }) {
		t.Errorf("reasons %v", v.Check.Reasons)
	}

	// Jane's own consent allows her first name only, so her full name typed
	// by hand is refused with that reason.
	img = w.card(t, service.StudioDesign{Template: "testimonial", Fields: map[string]string{"quote": janeQuote},
		Attribution: &studio.AttributionSpec{Mode: studio.AttrFullName, Name: "Jane Smith"}, WordsOf: app.AttributionNotPatient})
	v = w.postWith(t, img, "facebook")
	if fs := findingsOf(v, guard.KindPatientName); len(fs) != 1 || !strings.Contains(fs[0].Message, "Their consent does not cover it here") {
		t.Fatalf("Jane's full name: %+v", v.Check.Findings)
	}

	// A first name alone is not one the scanner can tie to a patient: the
	// card passes, which is why the picker exists.
	img = w.card(t, service.StudioDesign{Template: "tip", Fields: map[string]string{"title": "Floss first", "body": "Floss before you brush."}})
	v = w.postWith(t, img, "facebook")
	if v.Check.Blocked {
		t.Fatalf("a plain tip card: %+v", v.Check.Findings)
	}
}

// (iv) Withdrawing consent blocks a scheduled post whose only link to the
// patient is the quote card.
func TestRevokedConsentBlocksScheduledImageOnlyPost(t *testing.T) {
	w := newQuoteWorld(t)
	img := w.card(t, fromTestimonial(w.tm.ID, studio.AttrFirstName))
	v := w.postWith(t, img, "facebook")
	v, err := w.drafts.Schedule(v.Draft.ID, "2026-03-27", "09:00")
	if err != nil {
		t.Fatal(err)
	}
	if v.Draft.Status != app.DraftScheduled {
		t.Fatalf("status %s", v.Draft.Status)
	}
	ctx := context.Background()
	// The publish queue blocks by consent: the post must name Jane's, though
	// it lists no testimonial.
	ids, err := service.DraftConsentIDs(ctx, w.db, v.Draft)
	if err != nil || !slices.Equal(ids, []string{strconv.FormatInt(w.consent.ID, 10)}) {
		t.Fatalf("consents the post relies on: %v %v", ids, err)
	}
	r, err := consent.Revoke(w.consent, time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC), "email", "", w.c.Clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := w.db.RevokeConsent(ctx, r); err != nil {
		t.Fatal(err)
	}
	v, err = w.drafts.Get(v.Draft.ID)
	if err != nil {
		t.Fatal(err)
	}
	fs := findingsOf(v, guard.KindConsentPrefix+consent.CodeRevoked)
	if !v.Check.Blocked || len(fs) != 1 || !strings.HasPrefix(fs[0].Message, "Image 1: quote card") || !strings.Contains(fs[0].Message, "withdrew") {
		t.Fatalf("after withdrawal: %+v", v.Check.Findings)
	}
	if v.CanSchedule || !strings.Contains(v.PublishReason, "withdrew") {
		t.Errorf("publish reason %q", v.PublishReason)
	}
	if _, err := w.drafts.Move(v.Draft.ID, "2026-03-28", ""); err == nil || !strings.Contains(app.ErrorMessage(err), "withdrew") {
		t.Errorf("moving the blocked post: %v", err)
	}
	v, err = w.drafts.Save(service.DraftInput{ID: v.Draft.ID, Body: v.Draft.Body, Channels: v.Draft.Channels, Media: v.Draft.Media})
	if err != nil {
		t.Fatal(err)
	}
	if v.Draft.Status != app.DraftEditing || v.Notice == "" {
		t.Errorf("a save after withdrawal leaves it scheduled: %s %q", v.Draft.Status, v.Notice)
	}
	// And the studio says so when asked to make another card from it.
	if _, err := w.studio.FromTestimonial(w.tm.ID); !strings.Contains(app.ErrorMessage(err), "withdrew") {
		t.Errorf("studio after withdrawal: %v", err)
	}
}

// An image kept before PracticePost recorded image words cannot vouch for
// itself: a quote card of that age blocks, anything else asks for a look.
func TestImagesFromBeforeWordsWereRecorded(t *testing.T) {
	w := newQuoteWorld(t)
	card := w.card(t, fromTestimonial(w.tm.ID, studio.AttrFirstName))
	tip := w.card(t, service.StudioDesign{Template: "tip", Fields: map[string]string{"title": "Floss first", "body": "Floss before you brush."}})
	raw, err := sql.Open("sqlite", "file:"+w.db.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec("UPDATE media SET testimonial_id = NULL, identity = '', image_text = NULL, attribution = ''"); err != nil {
		t.Fatal(err)
	}
	v := w.postWith(t, card, "facebook")
	fs := findingsOf(v, "image_text_unknown")
	if !v.Check.Blocked || len(fs) != 1 || fs[0].Severity != guard.Block || fs[0].Image != 1 || !strings.Contains(fs[0].Fix, "From a testimonial") {
		t.Fatalf("old quote card: %+v", v.Check.Findings)
	}
	v = w.postWith(t, tip, "facebook")
	fs = findingsOf(v, "image_text_unknown")
	if v.Check.Blocked || len(fs) != 1 || fs[0].Severity != guard.Warn || !strings.HasPrefix(fs[0].Message, "The tip card (image 1)") {
		t.Fatalf("old tip card: %+v", v.Check.Findings)
	}
}
