package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/app/audit"
	"practicepost/app/auth"
	"practicepost/app/consent"
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
	db, err := store.OpenWith(ctx, filepath.Join(o.Home, store.FileName), store.Options{Clock: clock, Audit: audit.NewKeeper(secrets)})
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

	var testimonials []int64
	for i := 0; i < o.Patients; i++ {
		clock.Advance(10 * time.Minute)
		first, last := firstNames[rng.IntN(len(firstNames))], lastNames[rng.IntN(len(lastNames))]
		name := first + " " + last
		// Names repeat in real practices too; a middle initial keeps the
		// names-out list useful for searching.
		if rng.IntN(3) == 0 {
			name = first + " " + string(rune('A'+rng.IntN(26))) + ". " + last
		}
		dob := app.CivilDate{Year: 1945 + rng.IntN(58), Month: time.Month(1 + rng.IntN(12)), Day: 1 + rng.IntN(28)}
		p, err := db.CreatePatient(ctx, app.Patient{
			Ref: fmt.Sprintf("HD-%05d", 1000+i), FullName: name, DateOfBirth: dob,
			Email: strings.ToLower(strings.ReplaceAll(first+"."+last, "'", "")) + fmt.Sprintf("%d@example.com", rng.IntN(100)),
			Phone: fmt.Sprintf("07%03d %06d", 700+rng.IntN(300), rng.IntN(1000000)),
		})
		if err != nil {
			return sum, fmt.Errorf("patient %d: %w", i+1, err)
		}
		sum.Patients++
		sum.Names = append(sum.Names, name)
		if rng.IntN(10) >= 7 {
			continue // no consent yet
		}
		tid, photos, withdrawn, err := signConsent(ctx, db, rng, tmpl["GB"], practice, p, clock.Now())
		if err != nil {
			return sum, fmt.Errorf("consent for patient %d: %w", i+1, err)
		}
		sum.Consents++
		sum.Testimonials++
		sum.Photos += photos
		if withdrawn {
			sum.Withdrawn++
		} else {
			testimonials = append(testimonials, tid)
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
			if _, err := db.SetDraftSchedule(ctx, dr.ID, store.Schedule{Status: app.DraftScheduled, ScheduledAt: &at, LocalTime: local, Zone: "Europe/London"}, "draft.schedule"); err != nil {
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

// signConsent signs an on-screen consent for p covering a quote and one or
// two photos, stores it with its testimonial, and withdraws about one in
// ten. It returns the testimonial's id.
func signConsent(ctx context.Context, db *store.DB, rng *rand.Rand, t app.ConsentTemplate, practice app.ConsentPractice, p app.Patient, now time.Time) (int64, int, bool, error) {
	var media []app.ConsentMedia
	nPhotos := 1 + rng.IntN(2)
	err := db.Tx(ctx, func(tx *store.Tx) error {
		for k := 0; k < nPhotos; k++ {
			jpg := photo(rng)
			sha, err := tx.PutBlob(ctx, jpg, "image/jpeg", photoW, photoH)
			if err != nil {
				return err
			}
			media = append(media, app.ConsentMedia{SHA256: sha, Kind: "photo", Label: photoLabels[rng.IntN(len(photoLabels))]})
		}
		return nil
	})
	if err != nil {
		return 0, 0, false, err
	}
	chs := []app.ConsentChannel{channels[rng.IntN(len(channels))], app.ChannelWebsite}
	f := consent.Form{
		Template: t, Practice: practice, Patient: p, Signer: app.Signer{Name: p.FullName},
		Scope:            app.ConsentScope{Identity: []app.IdentityElement{app.IdentityFirstName, app.IdentityFace}, Channels: chs},
		Quote:            quotes[rng.IntN(len(quotes))],
		Media:            media,
		Remuneration:     app.Remuneration{Kind: app.RemunerationNone},
		WithdrawalMethod: "email " + practice.Email + " or tell reception",
		Method:           app.SignOnScreen,
	}
	at := now.Add(-time.Duration(rng.IntN(60*24*30)) * time.Minute)
	text, err := f.Text(at)
	if err != nil {
		return 0, 0, false, err
	}
	strokes, sigPNG := signature(rng)
	c, err := consent.Sign(f, consent.Signing{
		Signature: app.Signature{TypedName: p.FullName, ImageSHA256: app.SHA256Hex(sigPNG), Strokes: strokes},
		SignedAt:  at, ShownTextSHA256: app.SHA256Hex([]byte(text)),
	}, now)
	if err != nil {
		return 0, 0, false, err
	}
	pdf, err := consent.PDF(c, sigPNG, consent.PDFOptions{})
	if err != nil {
		return 0, 0, false, err
	}
	// The testimonial is kept first (what the patient said, the photos),
	// then the consent is signed for it, as the Testimonials screen does.
	tm, err := db.CreateTestimonial(ctx, app.Testimonial{PatientID: p.ID, Quote: c.Quote, Source: "in clinic",
		SaidOn: app.CivilDate{Year: at.Year(), Month: at.Month(), Day: at.Day()}, NameAs: app.IdentityFirstName, ShowsFace: true, Media: media})
	if err != nil {
		return 0, 0, false, err
	}
	tid := tm.ID
	e, err := db.InsertConsent(ctx, store.NewConsent{Consent: c, SignaturePNG: sigPNG, PDF: pdf, Link: &store.TestimonialLink{TestimonialID: tid, ShowsFace: true}})
	if err != nil {
		return 0, 0, false, err
	}
	if rng.IntN(10) == 0 {
		r, err := consent.Revoke(e.Consent, now, "email", "", now)
		if err != nil {
			return 0, 0, false, err
		}
		if err := db.RevokeConsent(ctx, r); err != nil {
			return 0, 0, false, err
		}
		return tid, nPhotos, true, nil
	}
	return tid, nPhotos, false, nil
}

// publish records dr as posted on each of its channels, as the queue does
// once the platform has answered with the post's id.
func publish(ctx context.Context, db *store.DB, dr app.Draft, at time.Time) error {
	req := store.PublishRequest{DraftID: fmt.Sprint(dr.ID), Text: dr.Body, Zone: dr.Zone, Testimonials: dr.Testimonials, ScheduledAt: at}
	var jobs []store.PublishJob
	for _, ch := range dr.Channels {
		jobs = append(jobs, store.PublishJob{Channel: ch, Platform: ch, State: store.JobQueued, Text: dr.Body, ScheduledAt: at, NextAt: at,
			IdemKey: fmt.Sprintf("seed-%d-%s", dr.ID, ch)})
	}
	err := db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.CreatePublishRequest(ctx, &req, jobs, "practice manager"); err != nil {
			return err
		}
		for i := range jobs {
			j := &jobs[i]
			id := fmt.Sprintf("%d%04d", at.Unix(), j.ID)
			j.State, j.NextAt, j.RemoteID, j.RemoteURL, j.PublishedAt = store.JobPublished, time.Time{}, id, "https://"+j.Channel+".example/posts/"+id, at
			if err := tx.SavePublishJob(ctx, j, "system"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	_, err = db.SetDraftSchedule(ctx, dr.ID, store.Schedule{Status: app.DraftPublished, ScheduledAt: &at,
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
func secretStore(kind, home string) (audit.Secrets, error) {
	switch kind {
	case "keyring":
		return auth.NewKeyringStore(home), nil
	case "memory":
		return auth.NewMemoryStore(), nil
	case "file":
		return openFileSecrets(filepath.Join(home, "dev-secrets.json"))
	}
	return nil, fmt.Errorf("-secrets must be keyring, file or memory, not %q", kind)
}

// fileSecrets writes the development build's file keychain
// (main_secrets_dev.go, PRACTICEPOST_SECRETS=file): a JSON object of
// name → value, private to the user, rewritten whole on every change.
type fileSecrets struct {
	mu   sync.Mutex
	path string
	mem  *auth.MemoryStore
	all  map[string]string
}

func openFileSecrets(path string) (*fileSecrets, error) {
	s := &fileSecrets{path: path, mem: auth.NewMemoryStore(), all: map[string]string{}}
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &s.all); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	for k, v := range s.all {
		s.mem.Set(k, v)
	}
	return s, nil
}

func (s *fileSecrets) Get(k string) (string, error) { return s.mem.Get(k) }

func (s *fileSecrets) Set(k, v string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.mem.Set(k, v); err != nil {
		return err
	}
	s.all[k] = v
	b, _ := json.Marshal(s.all)
	if err := store.PrivateDir(filepath.Dir(s.path)); err != nil {
		return err
	}
	f, err := store.CreatePrivate(s.path)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
