// Package gate is the one check every post passes before it leaves: the
// editor, Schedule, Publish, Publish now, Reschedule, Retry, a missed post
// and the publishing queue's claim of a job all call it. Check is pure: it
// takes the post as it will be sent and the practice's state (patients,
// consents, withdrawals, holds, testimonials, images and their provenance)
// and returns the findings and the consents the post relies on. Load reads
// that state through a narrow interface over the store, so the queue can
// judge a job against the data as it is inside the transaction that starts
// the attempt.
package gate

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/guard"
)

// Post is one post as it will be sent on one channel.
type Post struct {
	Channel guard.Channel
	// Text is exactly what is sent: the channel's wording, hashtags and,
	// where the platform shows it in the text, the tagged link.
	Text string
	// Link is the link as sent beside the text ("" when none).
	Link   string
	Images []Image
	// Testimonials the post quotes.
	Testimonials []int64
	// Paid: the post will be promoted as a paid advert.
	Paid bool
	// Details are the words sent beside the text that anyone who sees the
	// post can read: a Google event's title, an offer's voucher code, terms
	// and links.
	Details []Detail
}

// Detail is one piece of words sent with a post beside its text.
type Detail struct {
	What string // how a message names it, after "the": "offer's terms"
	Text string
	Link bool // a web address, read as the words in its path and query
}

// Image is one image attached to a post.
type Image struct {
	SHA256  string
	MediaID int64 // the Studio library row it was chosen from; 0 when unknown
	Alt     string
}

// Result is the gate's verdict on one post.
type Result struct {
	Report guard.Report
	// Relied are the consents the post relies on, by id: its testimonials',
	// its images' and those that cleared a patient's name. The queue links
	// them to the job, so a withdrawal blocks it or lists it for takedown.
	Relied []int64
}

// Blocked reports whether anything stops the post.
func (r Result) Blocked() bool { return r.Report.Blocked }

// Reasons are the blocking findings' messages, each once.
func (r Result) Reasons() []string {
	var out []string
	for _, f := range r.Report.Findings {
		if f.Severity == guard.Block && !slices.Contains(out, f.Message) {
			out = append(out, f.Message)
		}
	}
	return out
}

// Entry is one stored consent as the gate sees it.
type Entry struct {
	Record    consent.Record
	PatientID int64
}

// State is everything the gate knows at one instant. Load fills it from the
// store; tests build it by hand.
type State struct {
	Practice     guard.Practice // names matcher, allow-list, country, clinicians
	Consents     map[int64]Entry
	Patients     map[int64]string // patient id → full name, for the patients a post may rely on
	Testimonials map[int64]app.Testimonial
	// Media are library rows by id, and by blob for images attached without
	// one; Blobs are the stored files' facts. A missing key means gone.
	Media       map[int64]app.Media
	MediaByBlob map[string]app.Media
	Blobs       map[string]guard.Image
	// ConsentMedia maps a consent media file (sha256) to its consent, for a
	// consent photo attached to a post as it is.
	ConsentMedia map[string]int64
}

// Check judges post at moment (when it will go live: the scheduled time, or
// now) with the clock reading now.
func Check(p Post, s State, now, moment time.Time) Result {
	var fs []guard.Finding
	var uses []guard.ConsentUse
	var texts []guard.ImageText
	var relied []int64
	rely := func(id int64) {
		if id != 0 && !slices.Contains(relied, id) {
			relied = append(relied, id)
		}
	}
	record := func(consentID int64) *consent.Record {
		e, ok := s.Consents[consentID]
		if !ok {
			return nil
		}
		rec := e.Record
		return &rec
	}

	// Testimonials the post quotes. quoted holds how fully each names the
	// patient, so a quote card of the same testimonial needs no second use.
	quoted := map[int64]int{}
	covered := map[string]bool{} // image shas a quoted testimonial's consent covers
	for i, tid := range p.Testimonials {
		label := fmt.Sprintf("Testimonial %d", i+1)
		t, ok := s.Testimonials[tid]
		if !ok {
			uses = append(uses, guard.ConsentUse{Label: label + " (no longer in PracticePost)"})
			continue
		}
		quoted[tid] = max(quoted[tid], app.NameRank(t.NameAs))
		u := guard.ConsentUse{Label: label, PatientID: pid(t.PatientID), PatientName: s.Patients[t.PatientID],
			Use: consent.Use{Identity: t.Identity(), Quote: t.Quote, Paid: p.Paid, CheckedAt: now}}
		for _, img := range p.Images {
			if slices.ContainsFunc(t.Media, func(m app.ConsentMedia) bool { return m.SHA256 == img.SHA256 }) {
				u.Use.MediaSHA256 = append(u.Use.MediaSHA256, img.SHA256)
				covered[img.SHA256] = true
			}
		}
		if t.ConsentID != 0 {
			u.Record = record(t.ConsentID)
			rely(t.ConsentID)
		}
		uses = append(uses, u)
	}

	var imgs []guard.Image
	checked := map[string]bool{} // testimonial + name form already made a use
	for i, img := range p.Images {
		n := i + 1
		b, ok := s.Blobs[img.SHA256]
		if !ok {
			fs = append(fs, guard.Finding{Kind: "image_missing", Severity: guard.Block, Image: n,
				Message: fmt.Sprintf("Image %d is no longer in PracticePost.", n),
				Fix:     "Remove it and choose another image from the Studio library."})
			continue
		}
		imgs = append(imgs, b)
		if strings.TrimSpace(img.Alt) == "" {
			fs = append(fs, guard.Finding{Kind: "alt_text_missing", Severity: guard.Warn, Image: n,
				Message: fmt.Sprintf("Image %d has no alt text, so people using screen readers will not know what it shows.", n),
				Fix:     "Describe the image in a sentence."})
		}
		if covered[img.SHA256] {
			continue // a photo of a quoted testimonial: its consent use covers it
		}
		m, inLibrary := s.mediaFor(img)
		if !inLibrary {
			if cid, ok := s.ConsentMedia[img.SHA256]; ok {
				// A consent photo attached as it is: a use of that consent,
				// showing whatever the photo shows.
				uses = append(uses, s.sourceUse(app.ImageSource{Kind: app.SourceConsent, ConsentID: cid, MediaSHA256: img.SHA256,
					Shows: consentMediaShows(s.Consents[cid].Record, img.SHA256)}, n, "photo", p.Paid, now))
				rely(cid)
				continue
			}
			fs = append(fs, guard.Finding{Kind: "image_source_unknown", Severity: guard.Block, Image: n,
				Message: fmt.Sprintf("Image %d did not come from the Studio library or a signed consent, so PracticePost cannot tell whether it shows a patient.", n),
				Fix:     "Make the image in the Studio (saying where its photo comes from), then swap it into the post."})
			continue
		}
		what := imageKind(m.Template)
		fs = append(fs, sourceFindings(m, n, what)...)
		for _, src := range m.Sources {
			if src.Kind != app.SourceConsent {
				continue
			}
			uses = append(uses, s.sourceUse(src, n, what, p.Paid, now))
			rely(src.ConsentID)
		}
		it := guard.ImageText{Image: n, What: what, Text: m.ImageText}
		if m.TestimonialID != 0 {
			u := s.quoteCardUse(m, n, what, p.Paid, now)
			if u.Record != nil {
				rely(u.Record.Consent.ID)
			}
			if m.Identity == app.IdentityFullName && u.PatientID != "" {
				it.Covered = []string{u.PatientID}
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

	practice := s.Practice
	practice.Now = now
	r := guard.Check(guard.Draft{Text: p.Text, Images: imgs, Uses: uses, ImageTexts: texts}, p.Channel, practice, moment)
	extra := slices.Clone(fs)
	// Names the post shows and a consent clears: the post relies on that consent.
	for _, id := range namesCleared(p, s, now, moment) {
		rely(id)
	}
	extra = append(extra, sideFindings(p, s, now, moment)...)
	if p.Paid {
		extra = append(extra, advertFindings(p, uses)...)
	}
	for i := range extra {
		extra[i].Channel = p.Channel
	}
	r.Findings = append(r.Findings, extra...)
	r.Blocked = r.Blocked || guard.Blocked(extra)
	slices.Sort(relied)
	return Result{Report: r, Relied: relied}
}

func pid(id int64) string { return strconv.FormatInt(id, 10) }

// mediaFor finds the library row for an attached image: by its id, or,
// when that row has gone, another row with the same pixels.
func (s State) mediaFor(img Image) (app.Media, bool) {
	if m, ok := s.Media[img.MediaID]; ok && img.MediaID != 0 && m.SHA256 == img.SHA256 {
		return m, true
	}
	m, ok := s.MediaByBlob[img.SHA256]
	return m, ok
}

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

// sourceFindings are what the library row itself says about an image:
// photos of unknown origin, words never recorded, a hand-typed quote card
// that does not say whose words it carries.
func sourceFindings(m app.Media, n int, what string) []guard.Finding {
	var out []guard.Finding
	if !m.SourcesKnown {
		out = append(out, guard.Finding{Kind: "image_source_undeclared", Severity: guard.Block, Image: n,
			Message: fmt.Sprintf("The %s (image %d) was made before PracticePost recorded where photos come from, so it cannot tell whether it shows a patient.", what, n),
			Fix:     "On Home, under \"Images waiting for their source\", say whether it shows a patient (choose the consent) or not (team, premises, stock, illustration)."})
	}
	for _, src := range m.Sources {
		if src.Kind == app.SourceDeclared && !slices.Contains(app.SourceDeclarations, src.Declared) {
			out = append(out, guard.Finding{Kind: "image_source_undeclared", Severity: guard.Block, Image: n,
				Message: fmt.Sprintf("A photo in the %s (image %d) has no valid declaration of what it shows.", what, n),
				Fix:     "Make the image again in the Studio and say where its photo comes from."})
		}
	}
	if !m.TextRecorded {
		f := guard.Finding{Kind: "image_text_unknown", Severity: guard.Warn, Image: n,
			Message: fmt.Sprintf("The %s (image %d) was made before PracticePost recorded the words in images, so it cannot check them for patients' names or details.", what, n),
			Fix:     "Look at the image: if it shows a patient's name or details, make it again in the Studio (from their testimonial for a quote card) and swap it in."}
		if m.Template == "testimonial" && m.TestimonialID == 0 {
			// A quote card is someone's words, and this one names no
			// testimonial: no consent can be checked.
			f.Severity = guard.Block
			f.Message = fmt.Sprintf("The quote card (image %d) was made before PracticePost linked quote cards to their testimonial, so the patient's consent cannot be checked.", n)
			f.Fix = "Make the quote card again in the Studio from the testimonial (From a testimonial), then swap the new one into the post."
		}
		return append(out, f)
	}
	// A quote card typed by hand, or any design naming someone without
	// saying whose words they are, must say: a patient's (then it is made
	// from their testimonial) or not a patient's.
	if m.TestimonialID == 0 && (m.Template == "testimonial" || m.WordsUnattributed()) {
		switch m.Attribution {
		case app.AttributionNotPatient:
			if span, ok := guard.InitialsAttribution(m.ImageText); ok {
				out = append(out, guard.Finding{Kind: "attribution_initials", Severity: guard.Block, Image: n, Text: span,
					Message: fmt.Sprintf("The quote card (image %d) is marked as not a patient's words, but it is signed with initials (%s), the way patients' testimonials are.", n, strings.TrimSpace(span)),
					Fix:     "Sign it with the person's name and role (for example \"— Dr Amy Shah, dentist\"), or, if these are a patient's words, make it from their testimonial."})
			}
		default:
			out = append(out, guard.Finding{Kind: "attribution_unknown", Severity: guard.Block, Image: n,
				Message: fmt.Sprintf("The %s (image %d) was typed by hand and does not say whose words it carries.", what, n),
				Fix:     "If these are a patient's words, make it again in the Studio from their testimonial. If not, say so on Home, under \"Images waiting for their source\"."})
		}
	}
	return out
}

// sourceUse is the consent use of a photo made from a consent's media.
func (s State) sourceUse(src app.ImageSource, n int, what string, paid bool, now time.Time) guard.ConsentUse {
	u := guard.ConsentUse{Label: fmt.Sprintf("Image %d (%s from a patient's consent)", n, what), InImage: true,
		Use: consent.Use{Identity: slices.Clone(src.Shows), Paid: paid, CheckedAt: now}}
	if src.MediaSHA256 != "" {
		u.Use.MediaSHA256 = []string{src.MediaSHA256}
	}
	e, ok := s.Consents[src.ConsentID]
	if !ok {
		u.Label = fmt.Sprintf("Image %d (%s from a consent no longer in PracticePost)", n, what)
		return u
	}
	rec := e.Record
	u.Record = &rec
	u.PatientID, u.PatientName = pid(e.PatientID), s.Patients[e.PatientID]
	return u
}

// consentMediaShows is what a consent's own media file shows of the
// patient, judged from its kind: a photo is taken to show the face unless
// it went through the Studio, where the manager says so.
func consentMediaShows(rec consent.Record, sha string) []app.IdentityElement {
	for _, m := range rec.Consent.Media {
		if m.SHA256 != sha {
			continue
		}
		switch e := m.Shows(); e {
		case app.IdentityBeforeAfter, app.IdentityVoice:
			return []app.IdentityElement{e}
		case "":
			return []app.IdentityElement{app.IdentityFace}
		default: // a video shows the face too
			return []app.IdentityElement{e, app.IdentityFace}
		}
	}
	return nil
}

// quoteCardUse is the consent use of an image made from a testimonial: the
// name form it shows and the words it carries.
func (s State) quoteCardUse(m app.Media, n int, what string, paid bool, now time.Time) guard.ConsentUse {
	u := guard.ConsentUse{InImage: true, Use: consent.Use{Paid: paid, CheckedAt: now}}
	t, ok := s.Testimonials[m.TestimonialID]
	if !ok {
		u.Label = fmt.Sprintf("Image %d: %s from a testimonial no longer in PracticePost", n, what)
		return u
	}
	u.Label = fmt.Sprintf("Image %d: %s from %s", n, what, TestimonialLabel(t))
	u.PatientID, u.PatientName = pid(t.PatientID), s.Patients[t.PatientID]
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
		if e, ok := s.Consents[t.ConsentID]; ok {
			rec := e.Record
			u.Record = &rec
		}
	}
	return u
}

// TestimonialLabel names a testimonial on screen by its first words, never
// by the patient's name.
func TestimonialLabel(t app.Testimonial) string {
	words := strings.Fields(t.Quote)
	if len(words) == 0 {
		return "a testimonial"
	}
	if len(words) > 6 {
		return "the testimonial “" + strings.Join(words[:6], " ") + "…”"
	}
	return "the testimonial “" + strings.Join(words, " ") + "”"
}

// nameCovers reports whether rec lets a post show the patient's full name
// on ch at moment.
func nameCovers(rec consent.Record, ch guard.Channel, text string, paid bool, now, moment time.Time) bool {
	use := consent.Use{Channel: app.ConsentChannel(ch), Identity: []app.IdentityElement{app.IdentityFullName}, PostText: text, Paid: paid, CheckedAt: now}
	return len(consent.Validate(rec, use, moment)) == 0
}

// namesCleared lists the consents that clear a patient named in the post's
// text, the words in its images or its link.
func namesCleared(p Post, s State, now, moment time.Time) []int64 {
	m := s.Practice.Names
	if m == nil {
		return nil
	}
	words := []string{p.Text}
	for _, l := range postLinks(p) {
		words = append(words, linkWords(l))
	}
	for _, img := range p.Images {
		if md, ok := s.mediaFor(img); ok {
			words = append(words, md.ImageText)
		}
		words = append(words, img.Alt)
	}
	for _, d := range p.Details {
		words = append(words, detailWords(d))
	}
	var out []int64
	for _, w := range words {
		for _, id := range guard.NamedPatients(w, m) {
			for _, rec := range s.Practice.NameConsents[id] {
				if nameCovers(rec, p.Channel, p.Text, p.Paid, now, moment) && !slices.Contains(out, rec.Consent.ID) {
					out = append(out, rec.Consent.ID)
				}
			}
		}
	}
	return out
}

// sideFindings scans what a post sends besides its text and the words in
// its images, where anyone can read it too: its links (beside the text or
// inside it) with their campaign and other tags decoded, each image's alt
// text, and the details sent with it (a Google event's title, an offer's
// terms). A draft's title is for the practice's own eyes, but it becomes
// the link's campaign name unless one is typed; alt text is read aloud by
// screen readers and shown by every platform that takes it.
func sideFindings(p Post, s State, now, moment time.Time) []guard.Finding {
	var out []guard.Finding
	for _, l := range postLinks(p) {
		for _, f := range scanSide(linkWords(l), p, s, now, moment) {
			if f.Severity != guard.Block {
				continue // a link's words are a slug: only what blocks is worth a look
			}
			out = append(out, guard.Finding{Kind: f.Kind, Severity: guard.Block, Text: f.Text,
				Message: fmt.Sprintf("The link sent with the post contains %s (%s). Everyone who sees the post can read its link.", guard.KindNoun(f.Kind), strings.Join(strings.Fields(f.Text), " ")),
				Fix:     "Type a campaign name under the link (the post's title is used when it is empty), or change the link, so it names no patient."})
		}
	}
	for i, img := range p.Images {
		for _, f := range scanSide(img.Alt, p, s, now, moment) {
			out = append(out, guard.Finding{Kind: f.Kind, Severity: f.Severity, Text: f.Text, Image: i + 1,
				Message: fmt.Sprintf("The alt text of image %d contains %s (%s). Alt text goes out with the image: screen readers read it aloud and anyone can see it.", i+1, guard.KindNoun(f.Kind), strings.Join(strings.Fields(f.Text), " ")),
				Fix:     fmt.Sprintf("In the post editor, change \"Alt text for image %d\" so it describes the image without the patient's name or details.", i+1)})
		}
	}
	for _, d := range p.Details {
		for _, f := range scanSide(detailWords(d), p, s, now, moment) {
			out = append(out, guard.Finding{Kind: f.Kind, Severity: f.Severity, Text: f.Text,
				Message: fmt.Sprintf("In the %s sent with the post: %s (%s). Everyone who sees the post can read it.", d.What, guard.KindNoun(f.Kind), strings.Join(strings.Fields(f.Text), " ")),
				Fix:     "In the Publish panel, under Google Business Profile post, change the event or offer details so they name no patient."})
		}
	}
	return out
}

// scanSide runs the identifier scan over words sent with p, clearing the
// patients whose consent lets this post show their full name.
func scanSide(words string, p Post, s State, now, moment time.Time) []guard.Finding {
	if strings.TrimSpace(words) == "" {
		return nil
	}
	allow := s.Practice.Allow
	allow.ConsentedPatients = slices.Clone(allow.ConsentedPatients)
	for _, id := range guard.NamedPatients(words, s.Practice.Names) {
		if slices.ContainsFunc(s.Practice.NameConsents[id], func(rec consent.Record) bool { return nameCovers(rec, p.Channel, p.Text, p.Paid, now, moment) }) {
			allow.ConsentedPatients = append(allow.ConsentedPatients, id)
		}
	}
	slices.Sort(allow.ConsentedPatients)
	return guard.Scan(words, s.Practice.Names, allow)
}

// linkInTextRe finds the web addresses a post's text carries: a tagged link
// is put into the text for every platform that shows it there.
var linkInTextRe = regexp.MustCompile(`(?i)\bhttps?://[^\s<>"]+|\bwww\.[^\s<>"]+`)

// postLinks are the links a post sends: the one beside its text and every
// one inside it, each once.
func postLinks(p Post) []string {
	var out []string
	if l := strings.TrimSpace(p.Link); l != "" {
		out = append(out, l)
	}
	for _, l := range linkInTextRe.FindAllString(p.Text, -1) {
		l = strings.TrimRight(l, ".,;:!?)]}'’")
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

func detailWords(d Detail) string {
	if d.Link {
		return linkWords(d.Text)
	}
	return d.Text
}
