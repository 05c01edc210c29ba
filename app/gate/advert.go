package gate

import (
	"fmt"
	"regexp"
	"slices"

	"practicepost/app"
	"practicepost/app/guard"
)

// advertRule is one rule that applies to a post only when it is promoted
// as a paid advert. Platforms lists where it blocks; elsewhere it warns.
type advertRule struct {
	kind      guard.Kind
	re        *regexp.Regexp
	message   string
	fix       string
	platforms []guard.Channel
}

var meta = []guard.Channel{guard.Facebook, guard.Instagram}

// advertRules: Meta's advertising policy on personal attributes forbids ads
// that assert or imply a reader's health condition ("Do you suffer from…",
// "your missing teeth"); health ads are the most refused kind.
var advertRules = []advertRule{{
	kind:      "advert_personal_attribute",
	re:        regexp.MustCompile(`(?i)\b(do you (suffer|struggle|live) (from|with)|are you (embarrassed|ashamed|unhappy|self[- ]conscious|struggling)|struggling with your|tired of your|hate your|your (missing|crooked|yellow|stained|broken|bad|wonky|gappy) (teeth|tooth|smile)|your (back|knee|neck|joint) pain|your (wrinkles|acne|hair loss|weight))\b`),
	message:   "Paid adverts may not say or imply what is wrong with the reader (Meta's advertising policy on personal attributes), so the advert would be refused.",
	fix:       "Speak about the treatment instead, for example \"Straighter smiles with clear aligners\" rather than \"Embarrassed by your crooked teeth?\".",
	platforms: meta,
}}

// advertFindings apply the advert rules to a post marked as a paid advert.
func advertFindings(p Post, uses []guard.ConsentUse) []guard.Finding {
	var out []guard.Finding
	for _, r := range advertRules {
		for _, m := range r.re.FindAllStringIndex(p.Text, -1) {
			sev := guard.Warn
			if slices.Contains(r.platforms, p.Channel) {
				sev = guard.Block
			}
			out = append(out, guard.Finding{Kind: r.kind, Severity: sev, Start: m[0], End: m[1], Text: p.Text[m[0]:m[1]], Message: r.message, Fix: r.fix})
		}
	}
	// Meta refuses before-and-after pictures in health and cosmetic adverts.
	if slices.Contains(meta, p.Channel) {
		for _, u := range uses {
			if slices.Contains(u.Use.Identity, app.IdentityBeforeAfter) {
				out = append(out, guard.Finding{Kind: "advert_before_after", Severity: guard.Block,
					Message: fmt.Sprintf("%s shows before-and-after pictures, which Facebook and Instagram refuse in paid health and cosmetic adverts.", u.Label),
					Fix:     "Post it without paid promotion, or promote a post without the before-and-after pictures."})
				break
			}
		}
	}
	return out
}
