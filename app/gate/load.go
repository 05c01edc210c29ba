package gate

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/guard"
)

// Reader is what the gate reads: app.ConsentView, which the publishing
// transaction hands out, so the list of methods is written once. *store.DB
// satisfies it, and so does tx.Reader() inside a write transaction, where
// the queue claims a job.
type Reader = app.ConsentView

// Gate loads the state posts are judged against and keeps the patient-name
// matcher between checks (rebuilt only when patients change). It is safe
// for concurrent use.
type Gate struct {
	mu         sync.Mutex
	matcherKey string
	matcher    *guard.Matcher
	patients   map[int64]string // the names the matcher was built from
	// consents decoded from the data file, kept while store.ConsentsKey
	// says nothing was added, withdrawn, held or released.
	consentsKey string
	consents    *consentState
}

// consentState is the part of State read from every stored consent.
type consentState struct {
	byID  map[int64]Entry
	names map[string][]consent.Record
	media map[string]int64
}

// New returns a gate.
func New() *Gate { return &Gate{} }

// Check loads what posts rely on from r and judges each at moment, with the
// clock reading now.
func (g *Gate) Check(ctx context.Context, r Reader, posts []Post, now, moment time.Time) ([]Result, error) {
	s, err := g.Load(ctx, r, posts)
	if err != nil {
		return nil, err
	}
	out := make([]Result, len(posts))
	for i, p := range posts {
		out[i] = Check(p, s, now, moment)
	}
	return out, nil
}

// Load reads the state that posts are judged against: the practice, every
// consent with its withdrawal and hold, and the testimonials and images the
// posts use.
func (g *Gate) Load(ctx context.Context, r Reader, posts []Post) (State, error) {
	s := State{Patients: map[int64]string{}, Testimonials: map[int64]app.Testimonial{},
		Media: map[int64]app.Media{}, MediaByBlob: map[string]app.Media{}, Blobs: map[string]guard.Image{}}
	var err error
	if s.Practice, s.Patients, err = g.practice(ctx, r); err != nil {
		return s, err
	}
	cs, err := g.consentState(ctx, r)
	if err != nil {
		return s, err
	}
	s.Consents, s.Practice.NameConsents, s.ConsentMedia = cs.byID, cs.names, cs.media
	testimonial := func(id int64) error {
		if _, done := s.Testimonials[id]; done || id == 0 {
			return nil
		}
		t, err := r.Testimonial(ctx, id)
		if app.ErrorCode(err) == app.ENOTFOUND {
			return nil
		}
		s.Testimonials[id] = t
		return err
	}
	for _, p := range posts {
		for _, tid := range p.Testimonials {
			if err := testimonial(tid); err != nil {
				return s, err
			}
		}
		for _, img := range p.Images {
			if _, done := s.Blobs[img.SHA256]; !done {
				b, err := r.BlobInfo(ctx, img.SHA256)
				switch {
				case app.ErrorCode(err) == app.ENOTFOUND:
				case err != nil:
					return s, err
				default:
					s.Blobs[img.SHA256] = guard.Image{Bytes: b.Size, Width: b.Width, Height: b.Height,
						Format: strings.TrimPrefix(strings.TrimPrefix(b.MIME, "image/"), "x-")}
				}
			}
			if img.MediaID != 0 {
				if err := loadMedia(s.Media, img.MediaID, func(id int64) (app.Media, error) { return r.MediaByID(ctx, id) }, testimonial); err != nil {
					return s, err
				}
			}
			if err := loadMedia(s.MediaByBlob, img.SHA256, func(sha string) (app.Media, error) { return r.MediaByBlob(ctx, sha) }, testimonial); err != nil {
				return s, err
			}
		}
	}
	return s, nil
}

// loadMedia puts the library row read finds for key into into, once, and
// loads the testimonial the row says it shows. A row not found is no
// error: the image is judged without it.
func loadMedia[K comparable](into map[K]app.Media, key K, read func(K) (app.Media, error), testimonial func(int64) error) error {
	if _, done := into[key]; done {
		return nil
	}
	m, err := read(key)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	into[key] = m
	return testimonial(m.TestimonialID)
}

// consentState decodes every stored consent, or hands back the ones decoded
// last time when nothing has changed since. The maps are shared between
// checks and never written after they are built.
func (g *Gate) consentState(ctx context.Context, r Reader) (*consentState, error) {
	key, err := r.ConsentsKey(ctx)
	if err != nil {
		return nil, err
	}
	g.mu.Lock()
	if g.consents != nil && g.consentsKey == key {
		cs := g.consents
		g.mu.Unlock()
		return cs, nil
	}
	g.mu.Unlock()
	entries, err := r.ListConsents(ctx, app.ConsentFilter{})
	if err != nil {
		return nil, err
	}
	cs := &consentState{byID: map[int64]Entry{}, names: map[string][]consent.Record{}, media: map[string]int64{}}
	tpls := map[string]app.ConsentTemplate{}
	for _, e := range entries {
		rec, err := Record(ctx, r, e, tpls)
		if err != nil {
			return nil, err
		}
		cs.byID[e.Consent.ID] = Entry{Record: rec, PatientID: e.Consent.PatientID}
		id := pid(e.Consent.PatientID)
		cs.names[id] = append(cs.names[id], rec)
		for _, m := range e.Consent.Media {
			if _, ok := cs.media[m.SHA256]; !ok {
				cs.media[m.SHA256] = e.Consent.ID // newest first: the newest consent covering the file
			}
		}
	}
	g.mu.Lock()
	g.consents, g.consentsKey = cs, key
	g.mu.Unlock()
	return cs, nil
}

// Record is a stored consent with the template version it was signed on
// and the edited quotes the patient approved since.
// tpls caches versions between calls.
func Record(ctx context.Context, r Reader, e app.ConsentEntry, tpls map[string]app.ConsentTemplate) (consent.Record, error) {
	tpl, ok := tpls[e.Consent.TemplateVersion]
	if !ok {
		var err error
		tpl, err = r.Template(ctx, e.Consent.TemplateVersion)
		if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
			return consent.Record{}, err
		}
		tpls[e.Consent.TemplateVersion] = tpl // a missing version fails Validate's integrity check, as it should
	}
	return consent.Record{Consent: e.Consent, Template: tpl, Revocation: e.Revocation, Hold: e.Hold, QuoteApprovals: e.QuoteApprovals}, nil
}

// names returns the patient-name matcher and the names it was built from,
// read again only when patients change. Neither is written after.
func (g *Gate) names(ctx context.Context, r Reader) (*guard.Matcher, map[int64]string, error) {
	key, err := r.PatientNamesKey(ctx)
	if err != nil {
		return nil, nil, err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.matcher != nil && g.matcherKey == key {
		return g.matcher, g.patients, nil
	}
	ns, err := r.PatientNames(ctx)
	if err != nil {
		return nil, nil, err
	}
	list := make([]guard.PatientName, 0, len(ns))
	for id, n := range ns {
		list = append(list, guard.PatientName{PatientID: strconv.FormatInt(id, 10), Name: n})
	}
	g.matcher, g.matcherKey, g.patients = guard.NewMatcher(list), key, ns
	return g.matcher, ns, nil
}

// practice gathers what the guard needs to know about the practice, and
// every patient's name by id.
func (g *Gate) practice(ctx context.Context, r Reader) (guard.Practice, map[int64]string, error) {
	kit, err := r.BrandKit(ctx)
	if err != nil {
		return guard.Practice{}, nil, err
	}
	// The allow-list carries the country too: the link scan reads it.
	p := guard.Practice{Country: kit.Country, Clinicians: kit.Clinicians, Allow: guard.KitAllow(kit)}
	var names map[int64]string
	p.Names, names, err = g.names(ctx, r)
	return p, names, err
}
