package service

import (
	"context"
	"strings"

	"practicepost/app"
	"practicepost/app/store"
)

// fill sets the testimonial's words and details from the form and checks
// them (the same rules for adding and editing).
func (s *TestimonialService) fill(ctx context.Context, db *store.DB, t app.Testimonial, in TestimonialInput) (app.Testimonial, error) {
	t.Quote, t.Source, t.NameAs, t.ShowsFace, t.Media = app.NormalQuote(in.Quote), strings.TrimSpace(in.Source), in.NameAs, in.ShowsFace, in.Media
	t.SaidOn = app.CivilDate{}
	if said := strings.TrimSpace(in.SaidOn); said != "" {
		var err error
		if t.SaidOn, err = app.ParseCivilDate(said); err != nil {
			return t, app.FieldError("saidOn", "That is not a date. Type the day, month and year in the order shown under the field.")
		}
	}
	day, _ := today(ctx, s.c, db)
	if err := t.Check(day); err != nil {
		return t, err
	}
	for i, m := range t.Media {
		if _, err := db.Blob(ctx, m.SHA256); err != nil {
			return t, app.FieldError("media", "Photo %d is no longer in PracticePost. Add it again.", i+1)
		}
	}
	return t, nil
}

// Update saves an edited testimonial. It stays with its patient and its
// consent: a consent covers the words it was signed for, so changed words
// show as blocked until the patient approves them (ask them from the
// testimonial's card).
func (s *TestimonialService) Update(id int64, in TestimonialInput) (TestimonialView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (TestimonialView, error) {
		t, err := db.Testimonial(ctx, id)
		if err != nil {
			return TestimonialView{}, err
		}
		if in.PatientID != 0 && in.PatientID != t.PatientID {
			return TestimonialView{}, app.FieldError("patientId", "A testimonial stays with the patient who gave it. Add a new testimonial for another patient.")
		}
		if t, err = s.fill(ctx, db, t, in); err != nil {
			return TestimonialView{}, err
		}
		if t, err = db.UpdateTestimonial(ctx, t); err != nil {
			return TestimonialView{}, err
		}
		s.c.Emit.Emit(EventConsentChanged, nil)
		return s.viewOne(ctx, db, t)
	})
}

// Delete removes a testimonial nothing relies on; one a post quotes or a
// Studio image shows is refused with what uses it.
func (s *TestimonialService) Delete(id int64) error {
	return s.c.withDB(func(ctx context.Context, db *store.DB) error {
		if err := db.DeleteTestimonial(ctx, id); err != nil {
			return err
		}
		s.c.Emit.Emit(EventConsentChanged, nil)
		return nil
	})
}
