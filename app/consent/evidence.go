package consent

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"practicepost/app"
)

// evidenceScheme names the canonical form below. It is part of what is
// hashed, so a future layout can never collide with this one; existing
// consents keep verifying only while this function stays byte-for-byte
// the same.
const evidenceScheme = "practicepost/consent-evidence/v1"

// EvidenceHash is the sha256 (hex) of a canonical serialisation of
// everything the consent proves: what was shown, what was chosen, who
// signed how and when, and what content it covers. Every value is written
// as name=length:value on its own line, so no value can imitate another
// field; sets are sorted so tick order does not matter. Database ids,
// the hash itself and record-keeping times are left out, so the hash can be
// computed before the consent is stored.
func EvidenceHash(c app.Consent) string {
	var e canon
	e.str("scheme", evidenceScheme)
	e.str("country", c.Country)
	e.str("practice.name", c.Practice.Name)
	e.str("practice.address", c.Practice.Address)
	e.str("practice.email", c.Practice.Email)
	e.str("practice.phone", c.Practice.Phone)
	e.str("practice.privacy_notice_url", c.Practice.PrivacyNoticeURL)
	e.str("practice.privacy_contact", c.Practice.PrivacyContact)
	e.str("practice.zone", c.Practice.Zone)
	e.str("patient.ref", c.Patient.Ref)
	e.str("patient.full_name", c.Patient.FullName)
	e.str("patient.dob", c.Patient.DateOfBirth.String())
	e.str("patient.email", c.Patient.Email)
	e.str("patient.phone", c.Patient.Phone)
	e.str("patient.needs_representative", strconv.FormatBool(c.Patient.NeedsRepresentative))
	e.str("template.version", c.TemplateVersion)
	e.str("template.sha256", c.TemplateSHA256)
	e.str("text", c.Text)
	e.str("text.sha256", c.TextSHA256)
	scope := normalScope(c.Scope)
	e.list("scope.identity", len(scope.Identity), func(i int) { e.str("", string(scope.Identity[i])) })
	e.list("scope.channels", len(scope.Channels), func(i int) { e.str("", string(scope.Channels[i])) })
	e.str("health_details", c.HealthDetails)
	e.str("quote", c.Quote)
	e.str("quote.sha256", c.QuoteSHA256)
	media := slices.Clone(c.Media)
	slices.SortFunc(media, func(a, b app.ConsentMedia) int {
		return cmp.Or(cmp.Compare(a.SHA256, b.SHA256), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Label, b.Label))
	})
	e.list("media", len(media), func(i int) {
		e.str("sha256", media[i].SHA256)
		e.str("kind", media[i].Kind)
		e.str("label", media[i].Label)
	})
	e.str("expiry_months", strconv.Itoa(c.ExpiryMonths))
	e.time("expires_at", c.ExpiresAt)
	e.str("remuneration.kind", string(c.Remuneration.Kind))
	e.str("remuneration.description", c.Remuneration.Description)
	e.str("remuneration.disclosure", c.Remuneration.Disclosure)
	e.str("method", string(c.Method))
	e.str("signer.name", c.Signer.Name)
	e.str("signer.representative", strconv.FormatBool(c.Signer.Representative))
	e.str("signer.relationship", c.Signer.Relationship)
	e.str("signer.authority", c.Signer.Authority)
	e.str("signature.typed_name", c.Signature.TypedName)
	e.str("signature.image_sha256", c.Signature.ImageSHA256)
	e.str("signature.scan_sha256", c.Signature.ScanSHA256)
	e.list("signature.strokes", len(c.Signature.Strokes), func(i int) {
		s := c.Signature.Strokes[i]
		e.list("points", len(s), func(j int) {
			e.str("", fmt.Sprintf("%s,%s,%d", fmtFloat(s[j].X), fmtFloat(s[j].Y), s[j].T))
		})
	})
	e.time("signed_at", c.SignedAt)
	return app.SHA256Hex([]byte(e.b.String()))
}

type canon struct{ b strings.Builder }

func (e *canon) str(name, v string) {
	fmt.Fprintf(&e.b, "%s=%d:%s\n", name, len(v), v)
}

func (e *canon) time(name string, t time.Time) {
	if t.IsZero() {
		e.str(name, "")
		return
	}
	e.str(name, t.UTC().Format(time.RFC3339Nano))
}

func (e *canon) list(name string, n int, item func(int)) {
	fmt.Fprintf(&e.b, "%s#%d\n", name, n)
	for i := range n {
		item(i)
	}
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }
