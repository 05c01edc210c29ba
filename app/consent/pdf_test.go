package consent

import (
	"bytes"
	"compress/zlib"
	"image"
	"image/color"
	"image/png"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"practicepost/app"
)

func signaturePNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 300, 100))
	for x := 10; x < 290; x++ {
		img.Set(x, 50+(x%20)-10, color.NRGBA{0, 0, 80, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestPDFContent(t *testing.T) {
	sig := signaturePNG(t)
	f := testForm(t, "GB")
	// A long quote forces wrapping and more than one page.
	f.Quote = strings.Repeat("The whole team made me feel at ease from the first visit to the last. ", 60)
	text, err := f.Text(ukSigned)
	if err != nil {
		t.Fatal(err)
	}
	s := testSignature
	s.ImageSHA256 = app.SHA256Hex(sig)
	c, err := Sign(f, Signing{Signature: s, SignedAt: ukSigned, ShownTextSHA256: app.SHA256Hex([]byte(text))}, ukSigned.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, opt := range []PDFOptions{{}, {NoCompression: true}} {
		b, err := PDF(c, sig, opt)
		if err != nil {
			t.Fatal(err)
		}
		pages, lines := pdfText(t, b)
		all := strings.Join(lines, "\n")
		for _, want := range []string{
			"Signed consent: Riverside Dental",
			"Patient: Zoë Ångström-Smith (date of birth 21 July 1984, reference P-0042)",
			"[x] Instagram (ticked)",
			"[x] The practice's website (ticked)",
			"[ ] Facebook (not ticked)",
			"[ ] My full name (not ticked)",
			"[x] My first name only (ticked)",
			"Evidence hash: " + c.EvidenceHash,
			"Signed at: 10 March 2026 14:00 GMT (2026-03-10T14:00:00Z)",
			"Method: signed on screen at the practice",
			"Remuneration: none",
			"The practice is the data controller for the information on this form.",
			"Page 1 of " + strconv.Itoa(pages),
		} {
			if !strings.Contains(all, want) {
				t.Errorf("PDF text lacks %q", want)
			}
		}
		if pages < 2 {
			t.Errorf("pages = %d; the long quote should spill onto more pages", pages)
		}
		for _, l := range lines {
			if len([]rune(l)) > 120 {
				t.Errorf("line not wrapped (%d chars): %.60s…", len([]rune(l)), l)
			}
		}
		if !bytes.Contains(b, []byte("/Subtype /Image")) {
			t.Error("signature image not embedded")
		}
	}
}

func TestPDFRefusals(t *testing.T) {
	f := testForm(t, "US")
	c := sign(t, f, ukSigned)
	if _, err := PDF(c, signaturePNG(t), PDFOptions{}); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("mismatched signature image: %v", err)
	}
	if _, err := PDF(c, []byte("\x89PNG\r\n\x1a\nbroken"), PDFOptions{}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("corrupt signature image: %v", err)
	}
	b, err := PDF(c, nil, PDFOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, lines := pdfText(t, b)
	all := strings.Join(lines, "\n")
	if !strings.Contains(all, "Signed authorization: Riverside Dental") || !strings.Contains(all, "Signed at: March 10, 2026 10:00 EDT") {
		t.Errorf("US PDF text:\n%s", all)
	}
}

var (
	pdfObj      = regexp.MustCompile(`(?s)(\d+) 0 obj\s*(.*?)endobj`)
	pdfRef      = regexp.MustCompile(`/F(\d+) (\d+) 0 R`)
	pdfToUni    = regexp.MustCompile(`/ToUnicode (\d+) 0 R`)
	pdfBfrange  = regexp.MustCompile(`<([0-9A-F]{4})><([0-9A-F]{4})><([0-9A-F]{4})>`)
	pdfContents = regexp.MustCompile(`/Contents\s+(\d+) 0 R`)
	pdfKids     = regexp.MustCompile(`/Kids \[([^\]]*)\]`)
	pdfOps      = regexp.MustCompile(`(?s)/F(\d+) \S+ Tf|\[(.*?)\] TJ`)
	pdfHex      = regexp.MustCompile(`<([0-9A-F]*)>`)
)

// pdfText extracts each drawn line of text from a gopdf file: it reads the
// objects, inflates Flate streams, maps glyph ids back to characters through
// each font's ToUnicode map and walks the page content streams in order.
func pdfText(t *testing.T, b []byte) (pages int, lines []string) {
	t.Helper()
	objs := map[string]string{}
	for _, m := range pdfObj.FindAllSubmatch(b, -1) {
		body := string(m[2])
		if i := strings.Index(body, "stream\n"); i >= 0 {
			dict, data := body[:i], body[i+len("stream\n"):]
			data = data[:strings.LastIndex(data, "endstream")]
			if strings.Contains(dict, "FlateDecode") {
				r, err := zlib.NewReader(strings.NewReader(data))
				if err != nil {
					t.Fatalf("object %s: %v", m[1], err)
				}
				raw, err := io.ReadAll(r)
				if err != nil && err != io.ErrUnexpectedEOF {
					t.Fatalf("object %s: %v", m[1], err)
				}
				data = string(raw)
			}
			body = dict + "stream\n" + data
		}
		objs[string(m[1])] = body
	}
	cmaps := map[string]map[string]rune{} // font resource number -> glyph hex -> rune
	for _, o := range objs {
		for _, ref := range pdfRef.FindAllStringSubmatch(o, -1) {
			tu := pdfToUni.FindStringSubmatch(objs[ref[2]])
			if tu == nil {
				continue
			}
			cm := map[string]rune{}
			for _, r := range pdfBfrange.FindAllStringSubmatch(objs[tu[1]], -1) {
				v, _ := strconv.ParseUint(r[3], 16, 32)
				cm[r[1]] = rune(v)
			}
			cmaps[ref[1]] = cm
		}
	}
	var kids []string
	for _, o := range objs {
		if k := pdfKids.FindStringSubmatch(o); k != nil && strings.Contains(o, "/Type /Pages") {
			kids = strings.Fields(strings.ReplaceAll(k[1], "0 R", ""))
		}
	}
	for _, page := range kids {
		c := pdfContents.FindStringSubmatch(objs[page])
		if c == nil {
			t.Fatalf("page %s has no contents", page)
		}
		font := ""
		for _, op := range pdfOps.FindAllStringSubmatch(objs[c[1]], -1) {
			if op[1] != "" {
				font = op[1]
				continue
			}
			var line strings.Builder
			for _, h := range pdfHex.FindAllStringSubmatch(op[2], -1) {
				for i := 0; i+4 <= len(h[1]); i += 4 {
					r, ok := cmaps[font][h[1][i:i+4]]
					if !ok {
						t.Fatalf("glyph %s of font F%s has no ToUnicode entry", h[1][i:i+4], font)
					}
					line.WriteRune(r)
				}
			}
			lines = append(lines, line.String())
		}
	}
	return len(kids), lines
}

// TestBlankPDF: the printable form for consent by email carries the text
// with empty boxes to tick and lines to sign, and nothing signed.
func TestBlankPDF(t *testing.T) {
	f := testForm(t, "GB")
	f.Method = app.SignEmail
	f.Scope = app.ConsentScope{}
	text, err := f.Text(ukSigned)
	if err != nil {
		t.Fatal(err)
	}
	for _, opt := range []PDFOptions{{}, {NoCompression: true}} {
		b, err := BlankPDF(f, text, opt)
		if err != nil {
			t.Fatal(err)
		}
		_, lines := pdfText(t, b)
		all := strings.Join(lines, "\n")
		for _, want := range []string{
			"Riverside Dental · 1 High Street, Bath BA1 1AA",
			"Patient: Zoë Ångström-Smith\n",
			"> I can smile in photos again.",
			"[    ]  No name (anonymous)",
			"[    ]  Facebook",
			"What this covers",
			"Please tick the boxes you agree to above, then sign below",
			"Full name:  ____",
			"Signature:  ____",
			"Date:  ____",
		} {
			if !strings.Contains(all, want) {
				t.Errorf("blank form lacks %q", want)
			}
		}
		for _, not := range []string{"- [", "[x]", "**", "Evidence hash", "Typed name"} {
			if strings.Contains(all, not) {
				t.Errorf("blank form has %q", not)
			}
		}
	}
}
