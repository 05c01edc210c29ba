package service

import (
	"context"

	"practicepost/app/store"
)

// StudioLibraryItem is a kept image with the URL the UI shows it from.
type StudioLibraryItem struct {
	store.Media
	URL string `json:"url"`
	// Provenance says in words where the image's photos came from.
	Provenance string `json:"provenance"`
}

func studioLibraryItem(m store.Media) StudioLibraryItem {
	return StudioLibraryItem{Media: m, URL: MediaURL(m.SHA256), Provenance: provenanceLabel(m)}
}

// StudioLibrary is a page of the library, newest first.
type StudioLibrary struct {
	Items []StudioLibraryItem `json:"items"`
	Total int                 `json:"total"`
}

// Keep stores every size of a render in the library with its alt text,
// the testimonial it was made from and the words it shows, so the guard can
// check them whenever a post uses it.
func (s *StudioService) Keep(renderID, altText string, acceptOverflow bool) (StudioLibrary, error) {
	if err := s.c.manager(); err != nil {
		return StudioLibrary{}, err
	}
	if _, err := store.CheckAltText(altText); err != nil {
		return StudioLibrary{}, err
	}
	r, err := s.pending(renderID, acceptOverflow)
	if err != nil {
		return StudioLibrary{}, err
	}
	db, err := s.c.DB()
	if err != nil {
		return StudioLibrary{}, err
	}
	items := make([]store.NewMedia, len(r.variants))
	for i, v := range r.variants {
		items[i] = store.NewMedia{Data: v.Data, MIME: v.MIME, Template: r.template, Layout: r.layout, SizeID: v.Size.ID, Width: v.Width, Height: v.Height,
			TestimonialID: r.testimonialID, Identity: r.identity, ImageText: r.words,
			Sources: r.sources, SourcesKnown: true, Attribution: r.attribution}
	}
	kept, err := db.KeepMedia(context.Background(), r.id, altText, items)
	if err != nil {
		return StudioLibrary{}, err
	}
	out := StudioLibrary{Total: len(kept)}
	for _, m := range kept {
		out.Items = append(out.Items, studioLibraryItem(m))
	}
	return out, nil
}

// Library lists kept images, newest first.
func (s *StudioService) Library(limit, offset int) (StudioLibrary, error) {
	db, err := s.c.open(context.Background(), nil)
	if err != nil {
		return StudioLibrary{}, err
	}
	p, err := db.ListMedia(context.Background(), limit, max(offset, 0))
	if err != nil {
		return StudioLibrary{}, err
	}
	out := StudioLibrary{Items: []StudioLibraryItem{}, Total: p.Total}
	for _, m := range p.Items {
		out.Items = append(out.Items, studioLibraryItem(m))
	}
	return out, nil
}

// DeleteMedia removes one image from the library.
func (s *StudioService) DeleteMedia(id int64) error {
	db, err := s.c.open(context.Background(), nil)
	if err != nil {
		return err
	}
	return db.DeleteMedia(context.Background(), id)
}
