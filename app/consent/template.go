// Package consent is the pure domain of patient consent: versioned form
// templates and their lint, rendering the exact text shown, signing,
// evidence hashing, the validity check and the signed-form PDF.
package consent

import (
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"practicepost/app"
	"practicepost/assets"
)

// Placeholders every template may use. A template naming anything else is
// refused, so a typo cannot leave "{{patient_nmae}}" on a signed form.
var Placeholders = []string{
	"practice_name", "practice_address", "practice_contact", "privacy_contact",
	"authorised_users", "patient_name", "patient_dob", "patient_ref",
	"signer_name", "signer_capacity", "testimonial_quote", "media_list",
	"health_details", "identity_choices", "channel_choices", "expiry_months",
	"expiry_date", "remuneration", "withdrawal_method", "removal_days",
	"privacy_notice_url", "form_date", "signing_method", "template_version",
}

const maxTemplateBytes = 64 << 10

// ShippedTemplates parses every template bundled in assets, sorted by key.
func ShippedTemplates() ([]app.ConsentTemplate, error) {
	fsys := assets.ConsentTemplates()
	names, err := fs.Glob(fsys, "*.md")
	if err != nil {
		return nil, app.Internal(err, "The built-in consent forms could not be read.")
	}
	out := make([]app.ConsentTemplate, 0, len(names))
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, app.Internal(err, "The built-in consent forms could not be read.")
		}
		t, err := ParseTemplate(b)
		if err != nil {
			return nil, app.Internal(err, "A built-in consent form is damaged: "+path.Base(n))
		}
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

// ParseTemplate reads a template file: a front matter of "key: value" lines
// between "---" lines, then the Markdown body.
func ParseTemplate(data []byte) (app.ConsentTemplate, error) {
	var t app.ConsentTemplate
	if !utf8.Valid(data) {
		return t, app.Errorf(app.EINVALID, "The consent form is not UTF-8 text.")
	}
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	if !strings.HasPrefix(s, "---\n") {
		return t, app.Errorf(app.EINVALID, "The consent form has no header (it must start with ---).")
	}
	head, body, ok := strings.Cut(s[4:], "\n---\n")
	if !ok {
		return t, app.Errorf(app.EINVALID, "The consent form header is not closed with ---.")
	}
	for _, line := range strings.Split(head, "\n") {
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.TrimSpace(k) {
		case "key":
			t.Key = v
		case "version":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return t, app.Errorf(app.EINVALID, "The consent form version must be a whole number from 1.")
			}
			t.Version = n
		case "country":
			t.Country = v
		case "title":
			t.Title = v
		case "review_notice":
			t.ReviewNotice = v
		}
	}
	if t.Key == "" || t.Version == 0 || (t.Country != "US" && t.Country != "GB") {
		return t, app.Errorf(app.EINVALID, "The consent form header needs key, version and country (US or GB).")
	}
	t.Body = strings.TrimLeft(body, "\n")
	t.SHA256 = app.SHA256Hex([]byte(t.Body))
	return t, nil
}

// NewVersion is a practice's edit of prev's wording: a new version with its
// own hash. It refuses a body that fails the lint, so no unsafe wording can
// ever be shown to a patient.
func NewVersion(prev app.ConsentTemplate, body string, at time.Time) (app.ConsentTemplate, error) {
	body = strings.ReplaceAll(body, "\r\n", "\n")
	next := prev
	next.Version = prev.Version + 1
	next.Body = body
	next.SHA256 = app.SHA256Hex([]byte(body))
	next.CreatedAt = at.UTC()
	if probs := Lint(next); len(probs) > 0 {
		msgs := make([]string, len(probs))
		for i, p := range probs {
			msgs[i] = p.Message
		}
		e := app.FieldError("body", "This wording cannot be saved: %s", strings.Join(msgs, " "))
		return prev, e
	}
	return next, nil
}

// stripComments removes HTML comments. The shipped templates mark each
// required element with comments for the editor; patients never see them,
// and the lint ignores anything inside them.
func stripComments(s string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, "<!--")
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		j := strings.Index(s[i+4:], "-->")
		if j < 0 {
			break // an unclosed comment hides the rest, as a Markdown viewer would
		}
		s = s[i+4+j+3:]
	}
	// Drop the blank lines left behind where a marker stood alone.
	lines := strings.Split(b.String(), "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			blank++
			if blank > 1 {
				continue
			}
			l = ""
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n")) + "\n"
}

// PlaceholderNames lists the {{names}} in body in order of first use, and
// reports malformed ones ("{{", no closing braces, empty or odd names).
func PlaceholderNames(body string) ([]string, error) {
	var names []string
	seen := map[string]bool{}
	err := scan(body, func(lit string) {}, func(name string) error {
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
		return nil
	})
	return names, err
}

// scan walks body, calling lit for literal text and ph for each placeholder.
func scan(body string, lit func(string), ph func(string) error) error {
	for {
		i := strings.Index(body, "{{")
		if i < 0 {
			if j := strings.Index(body, "}}"); j >= 0 {
				return app.Errorf(app.EINVALID, "The form has a stray }} with no {{ before it.")
			}
			lit(body)
			return nil
		}
		if j := strings.Index(body[:i], "}}"); j >= 0 {
			return app.Errorf(app.EINVALID, "The form has a stray }} with no {{ before it.")
		}
		lit(body[:i])
		rest := body[i+2:]
		j := strings.Index(rest, "}}")
		if j < 0 {
			return app.Errorf(app.EINVALID, "The form has a {{ that is never closed with }}.")
		}
		name := strings.TrimSpace(rest[:j])
		if !validName(name) {
			return app.Errorf(app.EINVALID, "The form has a placeholder {{%s}} that is not a plain name.", clip(rest[:j], 40))
		}
		if err := ph(name); err != nil {
			return err
		}
		body = rest[j+2:]
	}
}

func validName(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if !(r == '_' || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9')) {
			return false
		}
	}
	return true
}

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// Render fills body's placeholders from values and strips the editor's
// comments. Every placeholder must have a value (an empty string counts);
// values are inserted as they are, never expanded again, with control
// characters other than newline and tab removed.
func Render(body string, values map[string]string) (string, error) {
	if len(body) > maxTemplateBytes {
		return "", app.Errorf(app.EINVALID, "The form text is longer than %d KB.", maxTemplateBytes>>10)
	}
	if !utf8.ValidString(body) {
		return "", app.Errorf(app.EINVALID, "The form text is not valid UTF-8.")
	}
	var b strings.Builder
	err := scan(stripComments(body), func(s string) { b.WriteString(s) }, func(name string) error {
		v, ok := values[name]
		if !ok {
			return app.Errorf(app.EINVALID, "The form uses {{%s}}, which PracticePost does not know how to fill.", name)
		}
		b.WriteString(cleanValue(v))
		return nil
	})
	if err != nil {
		return "", err
	}
	return b.String(), nil
}

func cleanValue(v string) string {
	v = strings.ToValidUTF8(strings.ReplaceAll(v, "\r\n", "\n"), "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, v)
}

// DateLayout is how dates are written for the practice's country.
func DateLayout(country string) string {
	if country == "US" {
		return "January 2, 2006"
	}
	return "2 January 2006"
}

func formatDate(country string, t time.Time) string { return t.Format(DateLayout(country)) }
