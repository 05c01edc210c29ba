package app

import ()

// TestimonialLink binds a testimonial that is waiting for consent (one made
// from an emailed reply, or added by hand) to the consent signed for it.
type TestimonialLink struct {
	TestimonialID int64
	// UseConsentWords is the manager's explicit choice to replace the
	// testimonial's words and photos with those on the consent (edited
	// before the patient signed). Without it they must already be equal:
	// the consent's evidence hashes the quote, so a testimonial that
	// differs from it could never be published under it.
	UseConsentWords bool
	// ShowsFace is set when the request said a photo shows the face; it is
	// never cleared by a link.
	ShowsFace bool
}
