package consent

import (
	"strings"
	"testing"

	"practicepost/app"
)

// Every covered file, whatever its kind, is named in the signed copy by
// label, kind and full hash, and in the form text by label, kind and
// fingerprint.
func TestPDFAndTextListVideoAndRecording(t *testing.T) {
	f := testForm(t, "GB")
	video, audio := "bb22"+zeros(60), "cc33"+zeros(60)
	f.Media = append(f.Media, app.ConsentMedia{SHA256: video, Kind: "video", Label: "Video 1"}, app.ConsentMedia{SHA256: audio, Kind: "audio", Label: "Recording 1"})
	text, err := f.Text(ukSigned)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"- Video 1 (video, fingerprint " + video[:16] + ")", "- Recording 1 (audio, fingerprint " + audio[:16] + ")", "- Smile after (photo, fingerprint aa11"} {
		if !strings.Contains(text, want) {
			t.Errorf("form text lacks %q", want)
		}
	}
	c := sign(t, f, ukSigned)
	b, err := PDF(c, nil, PDFOptions{NoCompression: true})
	if err != nil {
		t.Fatal(err)
	}
	_, lines := pdfText(t, b)
	all := strings.Join(lines, " ")
	for _, want := range []string{"Media: Video 1 (video): sha256 " + video, "Media: Recording 1 (voice recording): sha256 " + audio, "Media: Smile after (photo): sha256 aa11"} {
		if !strings.Contains(all, want) {
			t.Errorf("PDF text lacks %q in:\n%s", want, strings.Join(lines, "\n"))
		}
	}
}
