package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/app/audit"
	"practicepost/app/auth"
	"practicepost/app/consent"
	"practicepost/app/devkeys"
	"practicepost/app/seal"
	"practicepost/app/store"
)

// Options say what to seed.
type Options struct {
	Home     string
	Patients int
	Seed     int64
	NamesOut string
	Secrets  string // keyring, file, memory
}

// Summary counts what was written.
type Summary struct {
	Patients, Consents, Withdrawn, Testimonials, Photos, Drafts, Scheduled, Published int
	Names                                                                             []string
}

var (
	firstNames = []string{"Amelia", "Olivia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Freya", "Grace", "Sophia",
		"Oliver", "George", "Noah", "Arthur", "Leo", "Harry", "Oscar", "Theo", "Jack", "Charlie",
		"Nia", "Eira", "Cerys", "Rhys", "Dylan", "Aoife", "Niamh", "Cillian", "Priya", "Arjun",
		"Fatima", "Yusuf", "Zara", "Omar", "Mei", "Hiroshi", "Sofia", "Mateo", "Chloe", "Ethan"}
	lastNames = []string{"Penrose", "Trelawney", "Carne", "Pascoe", "Nance", "Rowe", "Tregenza", "Jago", "Polglase", "Kitto",
		"Smith", "Jones", "Williams", "Taylor", "Davies", "Evans", "Thomas", "Roberts", "Walker", "Wright",
		"Okafor", "Mensah", "Khan", "Patel", "Nguyen", "Kowalski", "Novak", "Rossi", "Garcia", "Murphy",
		"O'Brien", "MacLeod", "Fraser", "Lindqvist", "Haddad", "Sato", "Moreau", "Fischer", "Costa", "Byrne"}
	quotes = []string{
		"I was nervous about my treatment but the whole team put me at ease.",
		"Brilliant care from start to finish. I can finally smile in photos again.",
		"The physio plan got me back to running in six weeks.",
		"Friendly, clear about costs, and never rushed.",
		"Honestly the best experience I've had at any clinic.",
		"They explained every step and the results speak for themselves.",
	}
	photoLabels = []string{"Smile after treatment", "Before and after", "With the team", "Back at the gym"}
	channels    = []app.ConsentChannel{app.ChannelFacebook, app.ChannelInstagram, app.ChannelX, app.ChannelLinkedIn}
)

// Seed writes the practice into o.Home.
func Seed(ctx context.Context, o Options) (Summary, error) {
	var sum Summary
	secrets, err := secretStore(o.Secrets, o.Home)
	if err != nil {
		return sum, err
	}
	rng := rand.New(rand.NewPCG(uint64(o.Seed), 0x5eed))
	// The practice's history runs up to a fixed "now", one step per change,
	// so two runs with one seed write the same times.
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	clock := &app.FixedClock{T: now.Add(-time.Duration(o.Patients+10) * 10 * time.Minute)}
	db, err := store.OpenWith(ctx, filepath.Join(o.Home, store.FileName), store.Options{Clock: clock, Audit: audit.NewKeeper(secrets), Seal: seal.NewKeyring(secrets)})
	if err != nil {
		return sum, err
	}
	defer db.Close()

	ts, err := consent.ShippedTemplates()
	if err != nil {
		return sum, err
	}
	if err := db.EnsureTemplates(ctx, ts); err != nil {
		return sum, err
	}
	tmpl := map[string]app.ConsentTemplate{}
	for _, t := range ts {
		tmpl[t.Country] = t
	}
	kit, err := db.BrandKit(ctx)
	if err != nil {
		return sum, err
	}
	kit.PracticeName = "Harbourside Dental & Physio"
	if _, err := db.SaveBrandKit(ctx, kit); err != nil {
		return sum, err
	}
	practice := app.ConsentPractice{Name: kit.PracticeName, Address: "4 Quay Street, Falmouth TR11 3HH", Email: "hello@harbourside.example",
		Phone: "01326 000000", PrivacyNoticeURL: "https://harbourside.example/privacy", Zone: "Europe/London"}

	// Patients are created in order, with every random choice drawn from
	// rng here, so the practice depends only on the seed. The expensive,
	// pure part of a consent (photos, signature, signing, the PDF) then runs
	// on every core, a chunk at a time, and is stored in order.
	var testimonials []int64
	const chunk = 64
	for base := 0; base < o.Patients; base += chunk {
		var plans []consentPlan
		for i := base; i < min(base+chunk, o.Patients); i++ {
			clock.Advance(10 * time.Minute)
			p, err := createPatient(ctx, db, rng, i)
			if err != nil {
				return sum, fmt.Errorf("patient %d: %w", i+1, err)
			}
			sum.Patients++
			sum.Names = append(sum.Names, p.FullName)
			if rng.IntN(10) >= 7 {
				continue // no consent yet
			}
			plans = append(plans, consentPlan{patient: p, now: clock.Now(), seed: rng.Uint64(), withdraw: rng.IntN(10) == 0})
		}
		prepared := make([]preparedConsent, len(plans))
		errs := make([]error, len(plans))
		var wg sync.WaitGroup
		next := make(chan int)
		for w := 0; w < runtime.NumCPU(); w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := range next {
					prepared[k], errs[k] = prepare(plans[k], tmpl["GB"], practice)
				}
			}()
		}
		for k := range plans {
			next <- k
		}
		close(next)
		wg.Wait()
		for k, pc := range prepared {
			if errs[k] != nil {
				return sum, fmt.Errorf("consent for %s: %w", plans[k].patient.Ref, errs[k])
			}
			clock.Advance(time.Minute)
			tid, err := storeConsent(ctx, db, pc)
			if err != nil {
				return sum, fmt.Errorf("consent for %s: %w", plans[k].patient.Ref, err)
			}
			sum.Consents++
			sum.Testimonials++
			sum.Photos += len(pc.photos)
			if pc.plan.withdraw {
				sum.Withdrawn++
			} else {
				testimonials = append(testimonials, tid)
			}
		}
	}

	// One post for every few testimonials: drafts, some scheduled, some out.
	for i, tid := range testimonials {
		if i%4 != 0 {
			continue
		}
		clock.Advance(5 * time.Minute)
		ch := []string{"facebook", "instagram"}
		dr, err := db.CreateDraft(ctx, app.Draft{Title: fmt.Sprintf("Patient story %d", i/4+1),
			Body: "Thank you to our patient for these kind words! " + quotes[rng.IntN(len(quotes))], Channels: ch,
			Hashtags: []string{"#smile", "#falmouth"}, Pillar: app.Pillar("testimonial"), Testimonials: []int64{tid}, Zone: "Europe/London"})
		if err != nil {
			return sum, fmt.Errorf("draft: %w", err)
		}
		sum.Drafts++
		switch i / 4 % 3 {
		case 1: // scheduled for next week
			at := now.Add(time.Duration(7*24+rng.IntN(72)) * time.Hour).Truncate(time.Hour)
			local := at.In(londonZone()).Format("2006-01-02T15:04")
			if _, err := db.SetDraftSchedule(ctx, dr.ID, app.Schedule{Status: app.DraftScheduled, ScheduledAt: &at, LocalTime: local, Zone: "Europe/London"}, "draft.schedule"); err != nil {
				return sum, fmt.Errorf("schedule: %w", err)
			}
			sum.Scheduled++
		case 2: // already published
			if err := publish(ctx, db, dr, clock.Now()); err != nil {
				return sum, fmt.Errorf("publish: %w", err)
			}
			sum.Published++
		}
	}

	if o.NamesOut != "" {
		f, err := store.CreatePrivate(o.NamesOut)
		if err != nil {
			return sum, err
		}
		for _, n := range sum.Names {
			fmt.Fprintln(f, n)
		}
		if err := f.Close(); err != nil {
			return sum, err
		}
	}
	return sum, nil
}

func londonZone() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}

func createPatient(ctx context.Context, db *store.DB, rng *rand.Rand, i int) (app.Patient, error) {
	first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
	name := first + " " + last
	// Names repeat in real practices too; a middle initial keeps the
	// names-out list useful for searching.
	if rng.IntN(3) == 0 {
		name = first + " " + string(rune('A'+rng.IntN(26))) + ". " + last
	}
	dob := app.CivilDate{Year: 1945 + rng.IntN(58), Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)}
	return db.CreatePatient(ctx, app.Patient{
		Ref: fmt.Sprintf("HD-%05d", 1000+i), FullName: name, DateOfBirth: dob,
		Email: strings.ToLower(strings.ReplaceAll(first+"."+last, "'", "")) + fmt.Sprintf("%d@example.com", rng.IntN(100)),
		Phone: fmt.Sprintf("07%03d %06d", 700+rng.IntN(300), rng.IntN(1000000)),
	})
}

// consentPlan is what was decided for one patient's consent.
type consentPlan struct {
	patient  app.Patient
	now      time.Time
	seed     uint64
	withdraw bool
}

// preparedConsent is a signed on-screen consent ready to store.
type preparedConsent struct {
	plan    consentPlan
	photos  [][]byte
	media   []app.ConsentMedia
	consent app.Consent
	sigPNG  []byte
	pdf     []byte
	saidOn  app.CivilDate
}

// prepare signs a consent for a quote and one or two photos, as the
// signing screen does, and renders its PDF. It touches no storage.
func prepare(pl consentPlan, t app.ConsentTemplate, practice app.ConsentPractice) (preparedConsent, error) {
	rng := rand.New(rand.NewPCG(pl.seed, 0xc0de))
	pc := preparedConsent{plan: pl}
	for range 1 + rng.IntN(2) {
		jpg := photo(rng)
		pc.photos = append(pc.photos, jpg)
		pc.media = append(pc.media, app.ConsentMedia{SHA256: app.SHA256Hex(jpg), Kind: "photo", Label: photoLabels[rng.IntN(len(photoLabels))]})
	}
	p := pl.patient
	f := consent.Form{
		Template: t, Practice: practice, Patient: p, Signer: app.Signer{Name: p.FullName},
		Scope: app.ConsentScope{Identity: []app.IdentityElement{app.IdentityFirstName, app.IdentityFace},
			Channels: []app.ConsentChannel{channels[rng.IntN(len(channels))], app.ChannelWebsite}},
		Quote:            quotes[rng.IntN(len(quotes))],
		Media:            pc.media,
		Remuneration:     app.Remuneration{Kind: app.RemunerationNone},
		WithdrawalMethod: "email " + practice.Email + " or tell reception",
		Method:           app.SignOnScreen,
	}
	at := pl.now.Add(-time.Duration(rng.IntN(60*24*30)) * time.Minute)
	pc.saidOn = app.CivilDate{Year: at.Year(), Month: at.Month(), Day: at.Day()}
	text, err := f.Text(at)
	if err != nil {
		return pc, err
	}
	strokes, sigPNG := signature(rng)
	pc.sigPNG = sigPNG
	pc.consent, err = consent.Sign(f, consent.Signing{
		Signature: app.Signature{TypedName: p.FullName, ImageSHA256: app.SHA256Hex(sigPNG), Strokes: strokes},
		SignedAt:  at, ShownTextSHA256: app.SHA256Hex([]byte(text)),
	}, pl.now)
	if err != nil {
		return pc, err
	}
	pc.pdf, err = consent.PDF(pc.consent, sigPNG, consent.PDFOptions{})
	return pc, err
}

// storeConsent keeps the photos and the testimonial first (what the patient
// said), then stores the consent signed for it, as the Testimonials screen
// does, and records the withdrawal when one was planned. It returns the
// testimonial's id.
func storeConsent(ctx context.Context, db *store.DB, pc preparedConsent) (int64, error) {
	err := db.Tx(ctx, func(tx *store.Tx) error {
		for _, jpg := range pc.photos {
			if _, err := tx.PutBlob(ctx, jpg, "image/jpeg", photoW, photoH); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	c := pc.consent
	tm, err := db.CreateTestimonial(ctx, app.Testimonial{PatientID: c.PatientID, Quote: c.Quote, Source: "in clinic",
		SaidOn: pc.saidOn, NameAs: app.IdentityFirstName, ShowsFace: true, Media: pc.media})
	if err != nil {
		return 0, err
	}
	e, err := db.InsertConsent(ctx, app.NewConsent{Consent: c, SignaturePNG: pc.sigPNG, PDF: pc.pdf,
		Link: &app.TestimonialLink{TestimonialID: tm.ID, ShowsFace: true}})
	if err != nil {
		return 0, err
	}
	if pc.plan.withdraw {
		r, err := consent.Revoke(e.Consent, pc.plan.now, "email", "", pc.plan.now)
		if err != nil {
			return 0, err
		}
		if err := db.RevokeConsent(ctx, r); err != nil {
			return 0, err
		}
	}
	return tm.ID, nil
}

// publish records dr as posted on each of its channels, as the queue does
// once the platform has answered with the post's id.
func publish(ctx context.Context, db *store.DB, dr app.Draft, at time.Time) error {
	req := app.PublishRequest{DraftID: fmt.Sprint(dr.ID), Text: dr.Body, Zone: dr.Zone, Testimonials: dr.Testimonials, ScheduledAt: at}
	var jobs []app.PublishJob
	for _, ch := range dr.Channels {
		jobs = append(jobs, app.PublishJob{Channel: ch, Platform: ch, State: app.JobQueued, Text: dr.Body, ScheduledAt: at, NextAt: at,
			IdemKey: fmt.Sprintf("seed-%d-%s", dr.ID, ch)})
	}
	err := db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.CreatePublishRequest(ctx, &req, jobs, "practice manager"); err != nil {
			return err
		}
		for i := range jobs {
			j := &jobs[i]
			id := fmt.Sprintf("%d%04d", at.Unix(), j.ID)
			j.State, j.NextAt, j.RemoteID, j.RemoteURL, j.PublishedAt = app.JobPublished, time.Time{}, id, "https://"+j.Channel+".example/posts/"+id, at
			if err := tx.SavePublishJob(ctx, j, "system"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = db.SetDraftSchedule(ctx, dr.ID, app.Schedule{Status: app.DraftPublished, ScheduledAt: &at,
		LocalTime: at.In(londonZone()).Format("2006-01-02T15:04"), Zone: "Europe/London"}, "draft.published")
	return err
}

const photoW, photoH = 320, 240

// photo draws a small, distinct JPEG (a gradient with a face-like disc).
func photo(rng *rand.Rand) []byte {
	img := image.NewRGBA(image.Rect(0, 0, photoW, photoH))
	r0, g0, b0 := uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256))
	cx, cy, rad := 100+rng.IntN(120), 80+rng.IntN(80), 40+rng.IntN(30)
	for y := 0; y < photoH; y++ {
		for x := 0; x < photoW; x++ {
			c := color.RGBA{r0 + uint8(x/3), g0 + uint8(y/3), b0, 255}
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) < rad*rad {
				c = color.RGBA{230, 190, 160, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	jpeg.Encode(&b, img, &jpeg.Options{Quality: 80})
	return b.Bytes()
}

// signature draws a wavy pen stroke and returns its points and its PNG.
func signature(rng *rand.Rand) ([][]app.StrokePoint, []byte) {
	img := image.NewRGBA(image.Rect(0, 0, 300, 100))
	var stroke []app.StrokePoint
	y := 50.0
	for x := 10; x < 290; x += 4 {
		y += float64(rng.IntN(11) - 5)
		y = min(max(y, 10), 90)
		stroke = append(stroke, app.StrokePoint{X: float64(x), Y: y, T: int64(x * 3)})
		for d := -1; d <= 1; d++ {
			img.Set(x, int(y)+d, color.Black)
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return [][]app.StrokePoint{stroke}, b.Bytes()
}

// secretStore opens the keychain the app will use for this data folder.
func secretStore(kind, home string) (app.Secrets, error) {
	switch kind {
	case "keyring":
		return auth.NewKeyringStore(home), nil
	case "memory":
		return auth.NewMemoryStore(), nil
	case "file":
		return devkeys.In(home), nil
	}
	return nil, fmt.Errorf("-secrets must be keyring, file or memory, not %q", kind)
}
