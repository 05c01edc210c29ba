package service

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"practicepost/app"
	"practicepost/app/guard"
	"practicepost/app/store"
)

// imageWhat is how the checks name an image made from each Studio design.
var imageWhat = map[string]string{
	"testimonial": "quote card", "beforeafter": "before-and-after picture", "caption": "captioned photo",
	"team": "meet-the-team card", "tip": "tip card", "myth": "myth-or-fact card", "event": "event card",
}

func imageKind(template string) string {
	if w, ok := imageWhat[template]; ok {
		return w
	}
	return "image"
}

// imageUses looks at where each attached image came from. A quote card
// made from a testimonial is a use of that testimonial, checked against its
// consent on every channel at the publish moment, unless the post already
// quotes the same testimonial naming the patient at least as fully. The
// words drawn into every image go to the identifier scan. Images whose
// words PracticePost never recorded are flagged, since nothing can vouch
// for them.
// quoted holds, per testimonial the post quotes, the NameRank of how fully
// it names the patient.
func (s *DraftService) imageUses(ctx context.Context, db *store.DB, d app.Draft, quoted map[int64]int, tpls map[string]app.ConsentTemplate) ([]guard.ConsentUse, []guard.ImageText, []guard.Finding, error) {
	var uses []guard.ConsentUse
	var texts []guard.ImageText
	var findings []guard.Finding
	checked := map[string]bool{} // testimonial + identity already made a use
	for i, dm := range d.Media {
		n := i + 1
		m, ok, err := draftImageSource(ctx, db, dm)
		if err != nil {
			return nil, nil, nil, err
		}
		if !ok {
			if _, err := db.Blob(ctx, dm.SHA256); err == nil {
				// Not blocked: the pixels are stored, only their source is not.
				findings = append(findings, guard.Finding{Kind: "image_source_unknown", Severity: guard.Warn, Image: n,
					Message: fmt.Sprintf("Image %d is not in the Studio library, so PracticePost cannot check whose words or name it shows.", n),
					Fix:     "Look at it before posting: if it shows a patient's name or words, make it in the Studio from their testimonial and swap it in."})
			} // a missing blob is reported by images()
			continue
		}
		what := imageKind(m.Template)
		if !m.TextRecorded {
			f := guard.Finding{Kind: "image_text_unknown", Severity: guard.Warn, Image: n,
				Message: fmt.Sprintf("The %s (image %d) was made before PracticePost recorded the words in images, so it cannot check them for patients' names or details.", what, n),
				Fix:     "Look at the image: if it shows a patient's name or details, make it again in the Studio (from their testimonial for a quote card) and swap it in."}
			if m.Template == "testimonial" && m.TestimonialID == 0 {
				// A quote card is a patient's words, and this one names no testimonial: no consent can be checked.
				f.Severity = guard.Block
				f.Message = fmt.Sprintf("The quote card (image %d) was made before PracticePost linked quote cards to their testimonial, so the patient's consent cannot be checked.", n)
				f.Fix = "Make the quote card again in the Studio from the testimonial (From a testimonial), then swap the new one into the post."
			}
			findings = append(findings, f)
		}
		it := guard.ImageText{Image: n, What: what, Text: m.ImageText}
		if m.TestimonialID != 0 {
			u, pid, err := s.imageUse(ctx, db, m, n, what, tpls)
			if err != nil {
				return nil, nil, nil, err
			}
			if m.Identity == app.IdentityFullName && pid != "" {
				it.Covered = []string{pid}
			}
			key := fmt.Sprintf("%d|%s", m.TestimonialID, m.Identity)
			rank, inPost := quoted[m.TestimonialID]
			if !checked[key] && (!inPost || app.NameRank(m.Identity) > rank) {
				checked[key] = true
				uses = append(uses, u)
			}
		}
		texts = append(texts, it)
	}
	return uses, texts, findings, nil
}

// draftImageSource finds the library row for an attached image: by its id,
// or, when that row has gone, another row with the same pixels.
func draftImageSource(ctx context.Context, db *store.DB, dm app.DraftMedia) (store.Media, bool, error) {
	if dm.MediaID != 0 {
		m, err := db.MediaByID(ctx, dm.MediaID)
		if err == nil && m.SHA256 == dm.SHA256 {
			return m, true, nil
		}
		if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
			return store.Media{}, false, err
		}
	}
	m, err := db.MediaByBlob(ctx, dm.SHA256)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return store.Media{}, false, nil
	}
	return m, err == nil, err
}

// imageUse is the consent use of an image made from a testimonial: the
// name form it shows and the words it carries, at the publish moment.
func (s *DraftService) imageUse(ctx context.Context, db *store.DB, m store.Media, n int, what string, tpls map[string]app.ConsentTemplate) (guard.ConsentUse, string, error) {
	u := guard.ConsentUse{InImage: true}
	t, err := db.Testimonial(ctx, m.TestimonialID)
	if app.ErrorCode(err) == app.ENOTFOUND {
		u.Label = fmt.Sprintf("Image %d: %s from a testimonial no longer in PracticePost", n, what)
		return u, "", nil
	} else if err != nil {
		return u, "", err
	}
	u.Label = fmt.Sprintf("Image %d: %s from %s", n, what, testimonialLabel(t))
	u.PatientID = strconv.FormatInt(t.PatientID, 10)
	if m.Identity != "" {
		u.Use.Identity = []app.IdentityElement{m.Identity}
	}
	// The words in the image must be the approved ones. They were the
	// testimonial's when it was made; if the testimonial's words changed
	// since, the image still shows the old ones and fails the check.
	if q := strings.Join(strings.Fields(t.Quote), " "); q != "" {
		if strings.Contains(strings.Join(strings.Fields(m.ImageText), " "), q) {
			u.Use.Quote = t.Quote
		} else {
			u.Use.Quote = m.ImageText
		}
	}
	if t.ConsentID != 0 {
		e, err := db.Consent(ctx, t.ConsentID)
		if err != nil {
			return u, "", err
		}
		rec, err := consentRecord(ctx, db, e, tpls)
		if err != nil {
			return u, "", err
		}
		u.Record = &rec
	}
	return u, u.PatientID, nil
}

// testimonialLabel names a testimonial on screen by its first words, never
// by the patient's name.
func testimonialLabel(t app.Testimonial) string {
	words := strings.Fields(t.Quote)
	if len(words) == 0 {
		return "a testimonial"
	}
	if len(words) > 6 {
		return "the testimonial “" + strings.Join(words[:6], " ") + "…”"
	}
	return "the testimonial “" + strings.Join(words, " ") + "”"
}

// draftConsentIDs lists every consent a post relies on: those of the
// testimonials it quotes and of the testimonials its quote cards were made
// from. The publish queue blocks a post when any of them is withdrawn, so a
// post that uses a patient only through an image must name that consent too.
func draftConsentIDs(ctx context.Context, db *store.DB, d app.Draft) ([]string, error) {
	var ids []string
	add := func(tid int64) error {
		t, err := db.Testimonial(ctx, tid)
		if app.ErrorCode(err) == app.ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		if id := strconv.FormatInt(t.ConsentID, 10); t.ConsentID != 0 && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
		return nil
	}
	for _, tid := range d.Testimonials {
		if err := add(tid); err != nil {
			return nil, err
		}
	}
	for _, dm := range d.Media {
		m, ok, err := draftImageSource(ctx, db, dm)
		if err != nil {
			return nil, err
		}
		if ok && m.TestimonialID != 0 {
			if err := add(m.TestimonialID); err != nil {
				return nil, err
			}
		}
	}
	return ids, nil
}
