package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"

	"practicepost/app"
	"practicepost/app/studio"
)

// StudioPreview is one size drawn small from the working copies.
type StudioPreview struct {
	SizeID    string            `json:"sizeId"`
	Image     string            `json:"image"` // data: URL
	Width     int               `json:"width"`
	Height    int               `json:"height"`
	Overflows []studio.Overflow `json:"overflows"`
	Warnings  []string          `json:"warnings"`
	Millis    float64           `json:"millis"` // engine time, for the speed goal (≤ 50 ms)
}

// Preview draws one size at longSide pixels (0: the default 540).
func (s *StudioService) Preview(in StudioDesign, sizeID string, longSide int) (StudioPreview, error) {
	if err := s.c.manager(); err != nil {
		return StudioPreview{}, err
	}
	eng, err := s.engine()
	if err != nil {
		return StudioPreview{}, err
	}
	size, ok := studio.SizeByID(sizeID)
	if !ok {
		return StudioPreview{}, app.FieldError("size", "Choose one of the image sizes.")
	}
	longSide = min(max(longSide, 0), 1600)
	ctx := context.Background()
	sp, notes, _, err := s.spec(ctx, in, true)
	if err != nil {
		return StudioPreview{}, err
	}
	start := time.Now()
	v, err := eng.Preview(ctx, sp, size, longSide)
	if err != nil {
		return StudioPreview{}, err
	}
	ms := float64(time.Since(start).Microseconds()) / 1000
	return StudioPreview{SizeID: size.ID, Image: studioDataURL(v.MIME, v.Data), Width: v.Width, Height: v.Height,
		Overflows: studioNonNil(v.Overflows), Warnings: studioNonNil(append(notes, v.Warnings...)), Millis: ms}, nil
}

func studioDataURL(mime string, b []byte) string {
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(b)
}

func studioNonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// StudioVariant is one rendered size.
type StudioVariant struct {
	SizeID    string            `json:"sizeId"`
	Name      string            `json:"name"`
	Width     int               `json:"width"`
	Height    int               `json:"height"`
	Bytes     int               `json:"bytes"`
	Quality   int               `json:"quality"`
	Image     string            `json:"image"` // data: URL of the exported file itself
	Overflows []studio.Overflow `json:"overflows"`
	Warnings  []string          `json:"warnings"`
}

// StudioRender is every size of one design, ready to keep or export.
type StudioRender struct {
	ID        string            `json:"id"`
	Template  string            `json:"template"`
	Variants  []StudioVariant   `json:"variants"`
	Overflows []studio.Overflow `json:"overflows"` // all sizes; export waits until fixed or accepted
	Millis    int64             `json:"millis"`
}

// Render makes every size at full resolution, reporting progress as pairs
// of sizes finish (the engine renders each pair on both cores).
func (s *StudioService) Render(in StudioDesign) (StudioRender, error) {
	if err := s.c.manager(); err != nil {
		return StudioRender{}, err
	}
	if !s.rendering.TryLock() {
		return StudioRender{}, app.Errorf(app.ECONFLICT, "The sizes are already being rendered. Wait for them to finish.")
	}
	defer s.rendering.Unlock()
	eng, err := s.engine()
	if err != nil {
		return StudioRender{}, err
	}
	ctx := context.Background()
	sp, _, prov, err := s.spec(ctx, in, false)
	if err != nil {
		return StudioRender{}, err
	}
	words, err := eng.Words(sp)
	if err != nil {
		return StudioRender{}, err
	}
	// One source per photo the design draws: a photo placed in a slot the
	// layout or background does not paint is not in the image.
	drawn, err := eng.PhotosDrawn(sp)
	if err != nil {
		return StudioRender{}, err
	}
	sources := make([]app.ImageSource, 0, len(drawn))
	for _, slot := range drawn {
		sources = append(sources, prov.sources[slot])
	}
	var identity app.IdentityElement
	if sp.Attribution != nil {
		identity = app.IdentityElement(sp.Attribution.Mode)
	}
	id := studioNewID()
	start := time.Now()
	total := len(studio.Sizes)
	s.c.Emit.Emit(EventStudioProgress, map[string]any{"renderId": id, "done": 0, "total": total})
	var vs []studio.Variant
	ex := studio.Export{Format: studio.JPEG, Quality: 88, MaxBytes: studioExportBudget}
	for i := 0; i < total; i += 2 {
		part, err := eng.Render(ctx, sp, studio.Sizes[i:min(i+2, total)], ex)
		if err != nil {
			return StudioRender{}, err
		}
		vs = append(vs, part...)
		s.c.Emit.Emit(EventStudioProgress, map[string]any{"renderId": id, "done": len(vs), "total": total})
	}
	out := StudioRender{ID: id, Template: in.Template, Overflows: []studio.Overflow{}, Millis: time.Since(start).Milliseconds()}
	for _, v := range vs {
		out.Variants = append(out.Variants, StudioVariant{SizeID: v.Size.ID, Name: v.Size.Name, Width: v.Width, Height: v.Height,
			Bytes: len(v.Data), Quality: v.Quality, Image: studioDataURL(v.MIME, v.Data), Overflows: studioNonNil(v.Overflows), Warnings: studioNonNil(v.Warnings)})
		out.Overflows = append(out.Overflows, v.Overflows...)
	}
	layout := in.Layout
	if layout == "" {
		for _, t := range eng.Templates() {
			if t.ID == in.Template && len(t.Layouts) > 0 {
				layout = t.Layouts[0].ID
			}
		}
	}
	s.mu.Lock()
	s.renders = append(s.renders, &studioPendingRender{id: id, template: in.Template, layout: layout, variants: vs,
		testimonialID: in.TestimonialID, identity: identity, words: words, sources: sources, attribution: prov.attribution})
	if len(s.renders) > studioPendingRenders {
		s.renders = s.renders[len(s.renders)-studioPendingRenders:]
	}
	s.mu.Unlock()
	return out, nil
}

func studioNewID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// pending finds a render and checks it may leave the Studio: text that
// does not fit holds it back until the user has looked and accepted.
func (s *StudioService) pending(renderID string, acceptOverflow bool) (*studioPendingRender, error) {
	s.mu.Lock()
	var r *studioPendingRender
	for _, x := range s.renders {
		if x.id == renderID {
			r = x
		}
	}
	s.mu.Unlock()
	if r == nil {
		return nil, app.Errorf(app.ENOTFOUND, "These images are no longer ready (PracticePost keeps the last %d renders until you keep or export them). Click “Render all sizes” again.", studioPendingRenders)
	}
	if !acceptOverflow {
		var sizes []string
		for _, v := range r.variants {
			if len(v.Overflows) > 0 {
				sizes = append(sizes, v.Size.Name)
			}
		}
		if len(sizes) > 0 {
			return nil, app.FieldError("overflow", "Some text does not fit the %s: it would be cut off. Shorten the text or choose another layout, or tick “Use these images anyway”.", strings.Join(sizes, ", "))
		}
	}
	return r, nil
}
