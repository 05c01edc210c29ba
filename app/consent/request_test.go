package consent

import (
	"strings"
	"testing"

	"practicepost/app"
)

func TestCheckRequest(t *testing.T) {
	cases := []struct {
		name                  string
		quote, source, health string
		media                 int
		field, msg            string
	}{
		{"words", "Lovely team.", "in clinic", "Invisalign", 0, "", ""},
		{"a photo alone", "", "", "", 1, "", ""},
		{"twelve files", "", "", "", MaxMedia, "", ""},
		{"nothing to agree to", "", "in clinic", "", 0, "quote", "Enter the testimonial text or add a photo: the patient must see exactly what will be used."},
		{"too long", strings.Repeat("é", app.MaxQuoteRunes+1), "", "", 0, "quote", "The testimonial is longer than 3,000 characters. Shorten it (the patient approves any edit)."},
		{"long treatment", "Hi", "", strings.Repeat("a", 201), 0, "healthDetails", "Keep the treatment to 200 characters and the source to 100."},
		{"long source", "Hi", strings.Repeat("a", 101), "", 0, "healthDetails", "Keep the treatment to 200 characters and the source to 100."},
		{"thirteen files", "", "", "", MaxMedia + 1, "media", "A consent can cover up to 12 photos, videos and recordings. Ask for a second consent for more."},
	}
	for _, c := range cases {
		err := CheckRequest(c.quote, c.source, c.health, c.media)
		if app.ErrorField(err) != c.field || (err == nil) != (c.msg == "") || (err != nil && app.ErrorMessage(err) != c.msg) {
			t.Errorf("%s: %v, want %s %q", c.name, err, c.field, c.msg)
		}
	}
}

func TestRequestMedia(t *testing.T) {
	if err := CheckMediaKind(3, "selfie"); app.ErrorField(err) != "media" || !strings.HasPrefix(app.ErrorMessage(err), "Attachment 3 has no type.") {
		t.Errorf("unknown kind: %v", err)
	}
	for _, k := range app.MediaKinds {
		if err := CheckMediaKind(1, k); err != nil {
			t.Errorf("%s: %v", k, err)
		}
	}
	files := []struct {
		kind, mime string
		msg        string
	}{
		{"photo", "image/jpeg", ""},
		{"before_after", "application/pdf", ""},
		{"video", "video/mp4", ""},
		{"audio", "audio/mpeg", ""},
		{"photo", "video/mp4", "Attachment 2 is marked as a photo but the file is a video. Mark it as what it is."},
		{"before_after", "audio/mpeg", "Attachment 2 is marked as a photo but the file is a recording. Mark it as what it is."},
		{"video", "image/png", "Attachment 2 is marked as a video but the file is a picture or document. Mark it as what it is."},
		{"audio", "video/webm", "Attachment 2 is marked as a recording but the file is a video. Mark it as what it is."},
	}
	for _, f := range files {
		err := CheckMediaFile(2, f.kind, f.mime)
		if (err == nil) != (f.msg == "") || (err != nil && (app.ErrorMessage(err) != f.msg || app.ErrorField(err) != "media")) {
			t.Errorf("%s as %s: %v, want %q", f.mime, f.kind, err, f.msg)
		}
	}
	for _, l := range []struct {
		kind string
		i, n int
		want string
	}{{"photo", 4, 2, "Photo 4"}, {"before_after", 5, 3, "Photo 5"}, {"video", 4, 1, "Video 1"}, {"audio", 6, 2, "Recording 2"}} {
		if got := MediaLabel(l.kind, l.i, l.n); got != l.want || MediaWord(l.kind)+" " != strings.SplitAfter(got, " ")[0] {
			t.Errorf("MediaLabel(%s, %d, %d) = %q, want %q", l.kind, l.i, l.n, got, l.want)
		}
	}
}

func TestCheckExpiry(t *testing.T) {
	for _, c := range []struct {
		in, want int
		ok       bool
	}{{0, DefaultExpiryMonths, true}, {1, 1, true}, {MaxExpiryMonths, MaxExpiryMonths, true}, {MaxExpiryMonths + 1, 0, false}, {-1, 0, false}} {
		got, err := CheckExpiry(c.in)
		if (err == nil) != c.ok || (c.ok && got != c.want) || (!c.ok && (app.ErrorField(err) != "expiryMonths" || app.ErrorMessage(err) != "Choose how long the consent lasts: 1 to 60 months.")) {
			t.Errorf("CheckExpiry(%d) = %d, %v", c.in, got, err)
		}
	}
}
