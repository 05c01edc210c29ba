package gate_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/gate"
	"practicepost/app/publish"
	"practicepost/app/publish/facebook"
	fbfake "practicepost/app/publish/facebook/facebooktest"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/gbp"
	gbfake "practicepost/app/publish/gbp/gbptest"
	"practicepost/app/publish/mastodon"
	mafake "practicepost/app/publish/mastodon/mastodontest"
	"practicepost/app/publish/queue"
	"practicepost/app/store"
	"practicepost/app/store/storetest"
)

// The data file is the Reader the app hands the gate; checked here so the
// gate itself does not import the store.
var _ gate.Reader = (*store.DB)(nil)

var ctx = context.Background()

// t0 is a Sunday morning in London (GMT).
var t0 = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

const (
	chFB = "fb-page"
	chMA = "mastodon-main"
	chGB = "google-location"
)

// rig is a practice's data file, the real publishing queue with the real
// gate, and fake Facebook and Mastodon servers that follow the platforms'
// contracts, on an injected clock. It counts what went live on the fakes.
type rig struct {
	t     testing.TB
	clock *clock
	db    *store.DB
	q     *queue.Queue
	fb    *fbfake.Server
	ma    *mafake.Server
	gb    *gbfake.Server
	tpl   app.ConsentTemplate
	// live holds every post seen live on a fake: a Mastodon status once
	// made, a Facebook post once published or once its scheduled time came
	// while it was not deleted.
	live map[string]bool
	hook func(j queue.Job, s queue.Step)
}

func newRig(t testing.TB) *rig {
	t.Helper()
	r := &rig{t: t, clock: &clock{t: t0}, live: map[string]bool{}}
	r.fb = fbfake.New(fbfake.Config{Now: r.clock.Now})
	r.ma = mafake.New(mafake.Config{Now: r.clock.Now})
	r.gb = gbfake.New(gbfake.Config{Now: r.clock.Now})
	t.Cleanup(func() { r.fb.Close(); r.ma.Close(); r.gb.Close() })
	db := storetest.Open(t, r.clock)
	r.db = db
	if _, err := db.SaveBrandKit(ctx, app.BrandKit{PracticeName: "Harbour Dental", Address: "12 Quay Street, Bristol BS1 4QA",
		Email: "hello@harbour.example", Website: "harbour.example", Country: "GB", HeadingFont: "Inter", BodyFont: "Inter",
		Colors: app.DefaultBrandKit().Colors}); err != nil {
		t.Fatal(err)
	}
	r.tpl = storetest.Template(t, db, "GB")
	hc := &http.Client{Timeout: 5 * time.Second}
	pubs := map[string]publish.Publisher{
		chFB: facebook.NewClient(r.fb.URL, "100200300", "page-token", facebook.Options{HTTP: hc, Clock: r.clock}),
		chMA: mastodon.NewClient(r.ma.URL, "masto-token", mastodon.Options{HTTP: hc, Clock: r.clock}),
		chGB: gbp.NewClient(r.gb.URL, "1122334455", "9988776655", "g-token", gbp.Options{HTTP: hc, Clock: r.clock, InfoURL: r.gb.URL,
			PollInterval: time.Millisecond, PollTimeout: time.Second}),
	}
	r.q = queue.New(db, queue.ResolverFunc(func(_ context.Context, ch string) (publish.Publisher, error) { return pubs[ch], nil }),
		queue.Options{Clock: r.clock, Gate: gate.New(), Rand: func() float64 { return 0.5 },
			Hook: func(j queue.Job, s queue.Step) {
				if r.hook != nil {
					r.hook(j, s)
				}
			}})
	return r
}

// observe records what is live on the fakes at this instant.
func (r *rig) observe() {
	now := r.clock.Now()
	for _, s := range r.ma.Statuses() {
		r.live["ma:"+s.ID] = true // a status once made was seen, whatever happened after
	}
	for _, p := range r.fb.Posts() {
		if !p.Deleted && (p.Published || (!p.ScheduledAt.IsZero() && !p.ScheduledAt.After(now))) {
			r.live["fb:"+p.ID] = true
		}
	}
	for _, p := range r.gb.Posts() {
		r.live["gb:"+p.Name] = true // received is shown: Google reviews it after
	}
}

// wentLive is how many posts were ever seen live.
func (r *rig) wentLive() int { r.observe(); return len(r.live) }

// run sends whatever is due now.
func (r *rig) run() {
	r.t.Helper()
	r.observe()
	if err := r.q.RunDue(ctx); err != nil {
		r.t.Fatal(err)
	}
	r.observe()
}

// advance moves the clock on by d, stopping at every instant the queue has
// something due and every instant a post Facebook holds is due (to see
// whether it goes live then), and runs the queue at each.
func (r *rig) advance(d time.Duration) {
	r.t.Helper()
	r.run()
	end := r.clock.Now().Add(d)
	for {
		now, next := r.clock.Now(), end
		for _, p := range r.fb.Posts() {
			if at := p.ScheduledAt; !p.Published && !at.IsZero() && at.After(now) && at.Before(next) {
				next = at
			}
		}
		jobs, err := r.q.Jobs(ctx, queue.Filter{})
		if err != nil {
			r.t.Fatal(err)
		}
		for _, j := range jobs {
			if at := j.NextAt; !at.IsZero() && at.After(now) && at.Before(next) {
				next = at
			}
		}
		r.clock.Set(next)
		r.run()
		if !next.Before(end) {
			return
		}
	}
}

func (r *rig) patient(name string, born app.CivilDate) app.Patient {
	r.t.Helper()
	p, err := r.db.CreatePatient(ctx, app.Patient{FullName: name, DateOfBirth: born, Email: "p" + strconv.Itoa(len(name)) + "@mail.example"})
	if err != nil {
		r.t.Fatal(err)
	}
	return p
}

var adult = app.CivilDate{Year: 1980, Month: 4, Day: 2}

// terms are what a consent says; zero values give a plain adult consent
// for Facebook and Mastodon, full name, signed a week ago for 12 months.
type terms struct {
	identity     []app.IdentityElement
	channels     []app.ConsentChannel
	signedAt     time.Time
	months       int
	quote        string
	media        []app.ConsentMedia
	remuneration app.Remuneration
	signer       string // "" the patient
	// legacy: a record kept from before signing refused a minor signing
	// alone: signed by the representative, then the signer cleared.
	legacy bool
}

func (r *rig) consent(p app.Patient, tm terms) app.ConsentEntry {
	r.t.Helper()
	if tm.identity == nil {
		tm.identity = []app.IdentityElement{app.IdentityFullName}
	}
	if tm.channels == nil {
		tm.channels = []app.ConsentChannel{app.ChannelFacebook, app.ChannelMastodon}
	}
	if tm.signedAt.IsZero() {
		tm.signedAt = t0.Add(-7 * 24 * time.Hour)
	}
	if tm.months == 0 {
		tm.months = 12
	}
	if tm.quote == "" && tm.media == nil {
		tm.quote = "The whole team put me at ease."
	}
	if tm.remuneration.Kind == "" {
		tm.remuneration = app.Remuneration{Kind: app.RemunerationNone}
	}
	signer := app.Signer{Name: p.FullName}
	if tm.signer != "" {
		signer = app.Signer{Name: tm.signer, Representative: true, Relationship: "parent", Authority: "parental responsibility"}
	}
	f := consent.Form{Template: r.tpl, Patient: p, Signer: signer, ExpiryMonths: tm.months, Method: app.SignOnScreen,
		Practice: app.ConsentPractice{Name: "Harbour Dental", Address: "12 Quay Street, Bristol BS1 4QA", Email: "hello@harbour.example",
			PrivacyNoticeURL: "https://harbour.example/privacy", Zone: "Europe/London"},
		Scope: app.ConsentScope{Identity: tm.identity, Channels: tm.channels}, Quote: tm.quote, Media: tm.media,
		Remuneration: tm.remuneration, WithdrawalMethod: "email hello@harbour.example"}
	text, err := f.Text(tm.signedAt)
	if err != nil {
		r.t.Fatal(err)
	}
	signed, err := consent.Sign(f, consent.Signing{SignedAt: tm.signedAt, ShownTextSHA256: app.SHA256Hex([]byte(text)),
		Signature: app.Signature{TypedName: signer.Name, ImageSHA256: app.SHA256Hex([]byte("sig")), Strokes: [][]app.StrokePoint{{{X: 1, Y: 1}, {X: 4, Y: 2, T: 9}}}}}, tm.signedAt)
	if err != nil {
		r.t.Fatal(err)
	}
	if tm.legacy {
		signed.Signer = app.Signer{Name: p.FullName}
		signed.TextSHA256 = app.SHA256Hex([]byte(signed.Text))
		signed.QuoteSHA256 = consent.QuoteHash(signed.Quote)
		signed.EvidenceHash = consent.EvidenceHash(signed)
	}
	for _, m := range tm.media {
		r.putBlob(m.SHA256)
	}
	e, err := r.db.InsertConsent(ctx, app.NewConsent{Consent: signed, SignaturePNG: []byte("sig"), PDF: []byte("%PDF-1.4 signed copy")})
	if err != nil {
		r.t.Fatal(err)
	}
	return e
}

func (r *rig) testimonial(p app.Patient, c app.ConsentEntry, nameAs app.IdentityElement) app.Testimonial {
	r.t.Helper()
	tm, err := r.db.CreateTestimonial(ctx, app.Testimonial{PatientID: p.ID, ConsentID: c.Consent.ID, Quote: c.Consent.Quote, Source: "in clinic",
		SaidOn: app.CivilDate{Year: 2026, Month: 11, Day: 1}, NameAs: nameAs, Media: c.Consent.Media})
	if err != nil {
		r.t.Fatal(err)
	}
	return tm
}

// withdraw records the patient's withdrawal at the current instant, as the
// consent screen does: the record, then the queue.
func (r *rig) withdraw(c app.ConsentEntry) {
	r.t.Helper()
	now := r.clock.Now()
	rev, err := consent.Revoke(c.Consent, now, "email", "", now)
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.db.RevokeConsent(ctx, rev); err != nil {
		r.t.Fatal(err)
	}
	if _, err := r.q.Revoke(ctx, strconv.FormatInt(c.Consent.ID, 10)); err != nil {
		r.t.Fatal(err)
	}
}

// pngOf makes a small PNG whose pixels depend on seed, so each is its own blob.
func pngOf(seed int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := range img.Pix {
		img.Pix[i] = byte(seed*31 + i%7)
	}
	img.Set(0, 0, color.RGBA{byte(seed), 1, 2, 255})
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

var blobs = map[string][]byte{}
var blobsMu sync.Mutex

// photo is a consent photo file: its bytes are remembered by hash so
// InsertConsent's evidence blobs can be stored.
func photo(seed int) app.ConsentMedia {
	b := pngOf(seed)
	sha := app.SHA256Hex(b)
	blobsMu.Lock()
	blobs[sha] = b
	blobsMu.Unlock()
	return app.ConsentMedia{SHA256: sha, Kind: "photo", Label: "Photo " + strconv.Itoa(seed)}
}

func (r *rig) putBlob(sha string) {
	r.t.Helper()
	blobsMu.Lock()
	b := blobs[sha]
	blobsMu.Unlock()
	if err := r.db.Tx(ctx, func(tx *store.Tx) error {
		_, err := tx.PutBlob(ctx, b, "image/png", 64, 48)
		return err
	}); err != nil {
		r.t.Fatal(err)
	}
}

// request is a post to the given channels, published now unless at is set.
func request(text string, at time.Time, chans ...string) queue.Request {
	req := queue.Request{DraftID: "1", Text: text, At: at, Zone: "Europe/London"}
	for _, c := range chans {
		p := publish.Mastodon
		switch c {
		case chFB:
			p = publish.Facebook
		case chGB:
			p = publish.Google
		}
		req.Targets = append(req.Targets, queue.Target{Channel: c, Platform: p})
	}
	return req
}

// enqueue stores the request; a refusal by the gate is an outcome, not a
// failure of the test.
func (r *rig) enqueue(req queue.Request) ([]queue.Job, error) {
	_, jobs, err := r.q.Enqueue(ctx, req)
	if err != nil && app.ErrorCode(err) != app.EINVALID {
		r.t.Fatal(err)
	}
	return jobs, err
}

func (r *rig) job(id int64) queue.Job {
	r.t.Helper()
	j, err := r.q.Job(ctx, id)
	if err != nil {
		r.t.Fatal(err)
	}
	return j
}

func mafakeFault(method, path string, status, times int) fault.Fault {
	return fault.Fault{Method: method, Path: path, Status: status, Times: times}
}

func consentRevoke(c app.ConsentEntry, now time.Time) (app.ConsentRevocation, error) {
	return consent.Revoke(c.Consent, now, "email", "", now)
}

// liveAt maps each word that starts with '#' in a live post to the instant
// the post went live: when Mastodon made the status, when Facebook
// published it or, for a post it held, its scheduled time.
func (r *rig) liveAt() map[string]time.Time {
	r.observe()
	out := map[string]time.Time{}
	tag := func(text string, at time.Time) {
		for _, w := range strings.Fields(text) {
			if strings.HasPrefix(w, "#") {
				out[w] = at
			}
		}
	}
	for _, s := range r.ma.Statuses() {
		if r.live["ma:"+s.ID] {
			tag(s.Text, s.CreatedAt)
		}
	}
	for _, p := range r.fb.Posts() {
		if r.live["fb:"+p.ID] {
			at := p.CreatedAt
			if !p.ScheduledAt.IsZero() {
				at = p.ScheduledAt
			}
			tag(p.Message, at)
		}
	}
	return out
}

// keep puts an image in the Studio library as the Studio keeps it, with
// what it records about the image's photos and words; seed makes its pixels.
func (r *rig) keep(m app.NewMedia, seed int) string {
	r.t.Helper()
	m.Data, m.MIME, m.Width, m.Height = pngOf(seed), "image/png", 64, 48
	if m.SizeID == "" {
		m.SizeID = "square"
	}
	kept, err := r.db.KeepMedia(ctx, "set-"+strconv.Itoa(seed), "An image for the test", []app.NewMedia{m})
	if err != nil {
		r.t.Fatal(err)
	}
	return kept[0].SHA256
}

// hold puts a consent on hold now, as an emailed withdrawal does (the mail
// service records it, then tells the queue).
func (r *rig) hold(c app.ConsentEntry) {
	r.t.Helper()
	now := r.clock.Now()
	err := r.db.Tx(ctx, func(tx *store.Tx) error {
		return tx.PutHold(ctx, c.Consent.ID, 0, now, "The patient asked by email to withdraw.")
	})
	if err != nil {
		r.t.Fatal(err)
	}
	if _, err := r.q.Hold(ctx, strconv.FormatInt(c.Consent.ID, 10)); err != nil {
		r.t.Fatal(err)
	}
}
