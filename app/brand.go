package app

import (
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// BrandKit is the practice's identity: who it is, how it speaks and how its
// images look. There is exactly one per data file.
type BrandKit struct {
	PracticeName string      `json:"practiceName"`
	Address      string      `json:"address"`
	Phone        string      `json:"phone"`
	Email        string      `json:"email"`
	Website      string      `json:"website"`
	Country      string      `json:"country"` // "GB" or "US": picks consent templates and advertising rules
	Disclaimer   string      `json:"disclaimer"`
	Hashtags     []string    `json:"hashtags"`
	Colors       BrandColors `json:"colors"`
	HeadingFont  string      `json:"headingFont"`
	BodyFont     string      `json:"bodyFont"`
	LogoSHA256   string      `json:"logoSha256"` // blob key; "" when no logo
	Clinicians   []Clinician `json:"clinicians"`
	UpdatedAt    time.Time   `json:"updatedAt"`
}

// BrandColors are hex colours such as "#0B6E4F".
type BrandColors struct {
	Primary    string `json:"primary"`
	Secondary  string `json:"secondary"`
	Accent     string `json:"accent"`
	Text       string `json:"text"`
	Background string `json:"background"`
}

// Clinician is a member of staff whose name and registration number may
// appear in posts (the GDC expects the number in dental advertising).
type Clinician struct {
	Name       string `json:"name"`
	Role       string `json:"role"`
	Regulator  string `json:"regulator"` // GDC, GMC, HCPC, NMC, GPhC, GOC, or "" (US: state board)
	Number     string `json:"number"`
	Specialist bool   `json:"specialist"` // on a specialist list; allows the word "specialist"
}

// Regulators that issue the registration numbers a clinician may list.
var Regulators = []string{"GDC", "GMC", "HCPC", "NMC", "GPhC", "GOC", "State licence", "Other"}

// DefaultBrandKit is what a new data file starts with.
func DefaultBrandKit() BrandKit {
	return BrandKit{
		Country:     "GB",
		Disclaimer:  "General information, not medical advice. Speak to your clinician about your own care.",
		Colors:      BrandColors{Primary: "#0B6E6E", Secondary: "#E7F3F1", Accent: "#F2A541", Text: "#1F2933", Background: "#FFFFFF"},
		HeadingFont: "Noto Serif Display",
		BodyFont:    "Inter",
		Hashtags:    []string{},
		Clinicians:  []Clinician{},
	}
}

var hexColor = regexp.MustCompile(`^#[0-9A-Fa-f]{6}$`)

const (
	maxNameLen       = 120
	maxAddressLen    = 300
	maxDisclaimerLen = 300
	maxHashtags      = 30
	maxClinicians    = 100
)

// Normalize trims whitespace, upper-cases colours, and turns "dental care,
// #smile" into ["#DentalCare"...]-style tags without changing their meaning.
func (b *BrandKit) Normalize() {
	b.PracticeName = strings.TrimSpace(b.PracticeName)
	b.Address = strings.TrimSpace(b.Address)
	b.Phone = strings.TrimSpace(b.Phone)
	b.Email = strings.TrimSpace(b.Email)
	b.Website = strings.TrimSpace(b.Website)
	b.Disclaimer = strings.TrimSpace(b.Disclaimer)
	b.Country = strings.ToUpper(strings.TrimSpace(b.Country))
	for _, c := range []*string{&b.Colors.Primary, &b.Colors.Secondary, &b.Colors.Accent, &b.Colors.Text, &b.Colors.Background} {
		*c = strings.ToUpper(strings.TrimSpace(*c))
		if *c != "" && !strings.HasPrefix(*c, "#") {
			*c = "#" + *c
		}
	}
	tags := make([]string, 0, len(b.Hashtags))
	seen := map[string]bool{}
	for _, t := range b.Hashtags {
		for _, f := range strings.FieldsFunc(t, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' }) {
			f = "#" + strings.TrimLeft(f, "#")
			if f == "#" || seen[strings.ToLower(f)] {
				continue
			}
			seen[strings.ToLower(f)] = true
			tags = append(tags, f)
		}
	}
	b.Hashtags = tags
	cl := b.Clinicians[:0:0]
	for _, c := range b.Clinicians {
		c.Name, c.Role, c.Number = strings.TrimSpace(c.Name), strings.TrimSpace(c.Role), strings.TrimSpace(c.Number)
		if c.Name == "" && c.Role == "" && c.Number == "" {
			continue // an untouched empty row in the form
		}
		cl = append(cl, c)
	}
	b.Clinicians = cl
}

// Validate reports the first problem a practice manager must fix before the
// brand kit can be saved. Call Normalize first.
func (b *BrandKit) Validate(fonts []string) error {
	if b.PracticeName == "" {
		return FieldError("practiceName", "Enter the practice name as patients know it.")
	}
	if len(b.PracticeName) > maxNameLen {
		return FieldError("practiceName", "The practice name is longer than %d characters; shorten it.", maxNameLen)
	}
	if len(b.Address) > maxAddressLen {
		return FieldError("address", "The address is longer than %d characters; shorten it.", maxAddressLen)
	}
	if b.Phone != "" && !validPhone(b.Phone) {
		return FieldError("phone", "The phone number %q does not look right: use digits, spaces and an optional leading +.", b.Phone)
	}
	if b.Email != "" && (!strings.Contains(b.Email, "@") || strings.ContainsAny(b.Email, " <>")) {
		return FieldError("email", "The email address %q does not look right.", b.Email)
	}
	if b.Website != "" {
		u, err := url.Parse(b.Website)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || !strings.Contains(u.Host, ".") {
			return FieldError("website", "Enter the website as a full address, for example https://www.example-dental.co.uk.")
		}
	}
	if b.Country != "GB" && b.Country != "US" {
		return FieldError("country", "Choose the country the practice is in: United Kingdom or United States.")
	}
	if len(b.Disclaimer) > maxDisclaimerLen {
		return FieldError("disclaimer", "The disclaimer is longer than %d characters; shorten it.", maxDisclaimerLen)
	}
	if len(b.Hashtags) > maxHashtags {
		return FieldError("hashtags", "Keep to %d default hashtags or fewer (Instagram allows 30 in a post).", maxHashtags)
	}
	for _, h := range b.Hashtags {
		if !validHashtag(h) {
			return FieldError("hashtags", "The hashtag %q can only hold letters, numbers and underscores.", h)
		}
	}
	for _, c := range []struct{ field, name, v string }{
		{"colors.primary", "primary", b.Colors.Primary}, {"colors.secondary", "secondary", b.Colors.Secondary},
		{"colors.accent", "accent", b.Colors.Accent}, {"colors.text", "text", b.Colors.Text},
		{"colors.background", "background", b.Colors.Background},
	} {
		if !hexColor.MatchString(c.v) {
			return FieldError(c.field, "The %s colour %q is not a hex colour such as #0B6E6E.", c.name, c.v)
		}
	}
	if !contains(fonts, b.HeadingFont) {
		return FieldError("headingFont", "Choose a heading font from the list.")
	}
	if !contains(fonts, b.BodyFont) {
		return FieldError("bodyFont", "Choose a body font from the list.")
	}
	if len(b.Clinicians) > maxClinicians {
		return FieldError("clinicians", "Keep to %d clinicians or fewer.", maxClinicians)
	}
	for i, c := range b.Clinicians {
		if c.Name == "" {
			return FieldError(fmt.Sprintf("clinicians.%d.name", i), "Clinician %d has no name.", i+1)
		}
		if c.Regulator != "" && !contains(Regulators, c.Regulator) {
			return FieldError(fmt.Sprintf("clinicians.%d.regulator", i), "Choose %s's regulator from the list.", c.Name)
		}
		if c.Regulator == "" && c.Number != "" {
			// A number on a team post means nothing to a patient without the body
			// that issued it, and cannot be looked up on its register.
			return FieldError(fmt.Sprintf("clinicians.%d.regulator", i), "Choose who issued %s's registration number (GDC, GMC, HCPC…), or clear the number.", c.Name)
		}
		if c.Regulator != "" && c.Number == "" {
			return FieldError(fmt.Sprintf("clinicians.%d.number", i), "Enter %s's %s registration number, or clear the regulator.", c.Name, c.Regulator)
		}
	}
	return nil
}

func validPhone(s string) bool {
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == ' ', r == '-', r == '(', r == ')', r == '.':
		default:
			return false
		}
	}
	return digits >= 7 && digits <= 15
}

func validHashtag(h string) bool {
	if len(h) < 2 || h[0] != '#' {
		return false
	}
	for _, r := range h[1:] {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 127) {
			return false
		}
	}
	return true
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// ContrastWarning says that two brand colours used together are hard to read.
type ContrastWarning struct {
	Pair    string  `json:"pair"`
	Ratio   float64 `json:"ratio"`
	Needed  float64 `json:"needed"`
	Message string  `json:"message"`
}

// ContrastWarnings checks the colour pairs the studio puts together against
// WCAG 2.1 AA: 4.5:1 for body text, 3:1 for large headings.
func (b *BrandKit) ContrastWarnings() []ContrastWarning {
	pairs := []struct {
		name, fg, bg string
		need         float64
		fix          string
	}{
		{"text on background", b.Colors.Text, b.Colors.Background, 4.5, "Darken the text colour or lighten the background."},
		{"text on secondary", b.Colors.Text, b.Colors.Secondary, 4.5, "Darken the text colour or lighten the secondary colour."},
		{"primary on background", b.Colors.Primary, b.Colors.Background, 3, "Headings in the primary colour will be hard to read; choose a darker primary colour."},
		{"white on primary", "#FFFFFF", b.Colors.Primary, 4.5, "White text on the primary colour will be hard to read; choose a darker primary colour."},
	}
	var out []ContrastWarning
	for _, p := range pairs {
		r, ok := ContrastRatio(p.fg, p.bg)
		if !ok || r >= p.need {
			continue
		}
		out = append(out, ContrastWarning{
			Pair: p.name, Ratio: math.Round(r*100) / 100, Needed: p.need,
			Message: fmt.Sprintf("Contrast of %s is %.1f:1, below the %.1f:1 that WCAG AA asks for. %s", p.name, r, p.need, p.fix),
		})
	}
	return out
}

// ContrastRatio is the WCAG 2.1 contrast ratio of two hex colours.
func ContrastRatio(a, b string) (float64, bool) {
	la, ok1 := luminance(a)
	lb, ok2 := luminance(b)
	if !ok1 || !ok2 {
		return 0, false
	}
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05), true
}

func luminance(hex string) (float64, bool) {
	if !hexColor.MatchString(hex) {
		return 0, false
	}
	var ch [3]float64
	for i := range 3 {
		v, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		c := float64(v) / 255
		if c <= 0.04045 {
			ch[i] = c / 12.92
		} else {
			ch[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*ch[0] + 0.7152*ch[1] + 0.0722*ch[2], true
}
