package service

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
)

// PaperInput records a consent signed on paper: the request, what was
// ticked on the paper form, who signed and when, and the scan.
type PaperInput struct {
	Request      ConsentRequest `json:"request"`
	Draft        SigningDraft   `json:"draft"`
	SignedOn     string         `json:"signedOn"` // YYYY-MM-DD
	ScanFileName string         `json:"scanFileName"`
	ScanBase64   string         `json:"scanBase64"`
}

const maxScanBytes = 20 << 20

// ScanLimits bound a scanned image of a paper form.
var ScanLimits = app.ImageLimits{MaxBytes: maxScanBytes, MaxWidth: 12000, MaxHeight: 12000, MaxPixels: 100_000_000, Formats: []string{"jpeg", "png"}}

// checkScan accepts a PDF, JPEG or PNG scan and returns its MIME type.
func checkScan(data []byte, what string) (string, error) {
	if len(data) == 0 {
		return "", app.Errorf(app.EINVALID, "%s is empty. Scan the signed form again.", what)
	}
	if len(data) > maxScanBytes {
		return "", app.Errorf(app.EINVALID, "%s is %.1f MB; the most PracticePost accepts is %d MB. Scan at a lower resolution.", what, float64(len(data))/(1<<20), maxScanBytes>>20)
	}
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		tail := data[max(0, len(data)-1024):]
		if !bytes.Contains(tail, []byte("%%EOF")) {
			return "", app.Errorf(app.EINVALID, "%s is a PDF that was cut short (it has no end). Scan or save it again.", what)
		}
		return "application/pdf", nil
	}
	info, err := app.InspectImage(data, ScanLimits, what)
	if err != nil {
		return "", app.Errorf(app.EINVALID, "%s is not a PDF, JPEG or PNG that PracticePost can read. Scan the signed form as PDF, JPEG or PNG.", what)
	}
	return info.MIME, nil
}

// RecordPaper stores a consent signed on paper with its scan.
func (s *ConsentService) RecordPaper(in PaperInput) (ConsentView, error) {
	if err := s.c.manager(); err != nil {
		return ConsentView{}, err
	}
	s.signMu.Lock()
	defer s.signMu.Unlock()
	ctx := context.Background()
	db, err := s.c.open(ctx)
	if err != nil {
		return ConsentView{}, err
	}
	if err := s.checkReady(ctx, db); err != nil {
		return ConsentView{}, err
	}
	if err := s.checkRequest(ctx, db, &in.Request); err != nil {
		return ConsentView{}, err
	}
	what := fileWhat(in.ScanFileName, "The scan")
	if strings.TrimSpace(in.ScanBase64) == "" {
		return ConsentView{}, app.FieldError("scan", "Attach the scan of the signed paper form (PDF, JPEG or PNG).")
	}
	scan, err := decodeUpload(in.ScanBase64, maxScanBytes, what)
	if err != nil {
		return ConsentView{}, err
	}
	mime, err := checkScan(scan, what)
	if err != nil {
		return ConsentView{}, err
	}
	f, err := s.form(ctx, db, in.Request, in.Draft, app.SignPaper)
	if err != nil {
		return ConsentView{}, err
	}
	if f.Signer.Name == "" {
		return ConsentView{}, app.FieldError("signerName", "Enter the name of the person who signed the paper form.")
	}
	day, err := app.ParseCivilDate(strings.TrimSpace(in.SignedOn))
	if err != nil {
		return ConsentView{}, app.FieldError("signedOn", "Enter the date written on the signed form: the day, month and year in the order shown under the field.")
	}
	loc, err := time.LoadLocation(f.Practice.Zone)
	if err != nil {
		return ConsentView{}, app.FieldError("zone", "Set the practice's time zone first.")
	}
	now := s.c.Clock.Now()
	at := time.Date(day.Year, day.Month, day.Day, 12, 0, 0, 0, loc)
	if day == s.civilToday(f.Practice.Zone) {
		at = now
	}
	if at.After(now) {
		return ConsentView{}, app.FieldError("signedOn", "The signing date is in the future. Check the date on the form.")
	}
	// Age is judged on the date written on the form, not today.
	if age, alone := consent.SignsAloneUnderAge(f, at); alone {
		who := fmt.Sprintf("On the date written on the form (%s) the patient was %d", formatDay(f.Template.Country, day), age)
		if age >= consent.AdultAge(f.Template.Country) {
			who = "The patient is marked as needing a representative"
		}
		return ConsentView{}, app.FieldError("representative", "%s, so a parent, guardian or other representative must sign for them. If one did, tick “A representative signed for the patient” under How the patient signs and enter their name, relationship and authority. If the patient signed alone, ask a parent or guardian to sign a new paper form and save that one.", who)
	}
	if msg := s.signerProblem(f, at); msg != "" {
		return ConsentView{}, app.FieldError("representative", "The patient needs a representative: enter who signed for them, their relationship and their authority.")
	}
	text, err := f.Text(at)
	if err != nil {
		return ConsentView{}, err
	}
	sum := app.SHA256Hex(scan)
	c, err := consent.Sign(f, consent.Signing{Signature: app.Signature{TypedName: f.Signer.Name, ScanSHA256: sum},
		SignedAt: at, ShownTextSHA256: app.SHA256Hex([]byte(text))}, now)
	if err != nil {
		return ConsentView{}, err
	}
	pdf, err := consent.PDF(c, nil, consent.PDFOptions{})
	if err != nil {
		return ConsentView{}, err
	}
	nt, link := testimonialFor(in.Request, c, day)
	e, err := db.InsertConsent(ctx, app.NewConsent{Consent: c, Scan: scan, ScanMIME: mime, PDF: pdf, Testimonial: nt, Link: link})
	if err != nil {
		return ConsentView{}, err
	}
	s.c.Emit.Emit(EventConsentChanged, nil)
	return s.view(e, now), nil
}
