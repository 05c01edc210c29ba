package consent

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"practicepost/app"
)

// MaxMedia is how many photos, videos and recordings one consent covers.
const MaxMedia = 12

// CheckRequest checks what a consent request puts before the patient, as
// entered (quote normalised, source and treatment trimmed): the words or
// at least one of the media files, within the quote limit, a short
// treatment and source, and no more than MaxMedia files.
func CheckRequest(quote, source, healthDetails string, media int) error {
	if quote == "" && media == 0 {
		return app.FieldError("quote", "Enter the testimonial text or add a photo: the patient must see exactly what will be used.")
	}
	if err := app.CheckQuoteLength(quote, "Shorten it (the patient approves any edit)."); err != nil {
		return err
	}
	if utf8.RuneCountInString(healthDetails) > 200 || utf8.RuneCountInString(source) > 100 {
		return app.FieldError("healthDetails", "Keep the treatment to 200 characters and the source to 100.")
	}
	if media > MaxMedia {
		return app.FieldError("media", "A consent can cover up to %d photos, videos and recordings. Ask for a second consent for more.", MaxMedia)
	}
	return nil
}

// mediaKindWords name an attachment of each kind in messages and default labels.
var mediaKindWords = map[string]string{"photo": "Photo", "before_after": "Photo", "video": "Video", "audio": "Recording"}

// MediaWord names a file of kind in messages and default labels: Photo,
// Video or Recording ("" for an unknown kind).
func MediaWord(kind string) string { return mediaKindWords[kind] }

// CheckMediaKind refuses the i-th attachment (from 1) of a request when it
// has no known kind.
func CheckMediaKind(i int, kind string) error {
	if !slices.Contains(app.MediaKinds, kind) {
		return app.FieldError("media", "Attachment %d has no type. Mark it as a photo, part of a before-and-after pair, a video or a recording.", i)
	}
	return nil
}

// CheckMediaFile refuses the i-th attachment (from 1), of a known kind,
// when its file (of type mime) is something else: a video is never passed
// off as a photo, nor a photo as a recording.
func CheckMediaFile(i int, kind, mime string) error {
	is := "a picture or document"
	switch {
	case strings.HasPrefix(mime, "video/"):
		is = "a video"
	case strings.HasPrefix(mime, "audio/"):
		is = "a recording"
	}
	fits := map[string]string{"video": "a video", "audio": "a recording"}[kind]
	if fits == "" {
		fits = "a picture or document"
	}
	if is != fits {
		return app.FieldError("media", "Attachment %d is marked as a %s but the file is %s. Mark it as what it is.", i, strings.ToLower(mediaKindWords[kind]), is)
	}
	return nil
}

// MediaLabel is the label of the i-th attachment (from 1) when none was
// typed: photos are numbered by position, other kinds by their count so far
// (n).
func MediaLabel(kind string, i, n int) string {
	word := mediaKindWords[kind]
	if word == "Photo" {
		n = i // photos were always numbered by position
	}
	return word + " " + strconv.Itoa(n)
}

// CheckExpiry is a request's duration in months: DefaultExpiryMonths for 0,
// refused outside 1 to MaxExpiryMonths.
func CheckExpiry(months int) (int, error) {
	if months == 0 {
		months = DefaultExpiryMonths
	}
	if months < 1 || months > MaxExpiryMonths {
		return months, app.FieldError("expiryMonths", "Choose how long the consent lasts: 1 to %d months.", MaxExpiryMonths)
	}
	return months, nil
}
