package consent

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"practicepost/app"
)

// DisclosureReach is how far, in characters, a disclosure may stand from the
// testimonial it discloses when it is not in the same paragraph. 200
// characters is about two lines of a caption: close enough that a reader of
// the quote reads the disclosure too (CAP 2.1 and the FTC's "clear and
// conspicuous": next to the claim, not buried in the hashtags at the foot of
// a long post).
const DisclosureReach = 200

// disclosurePhrase is one wording that plainly tells a reader the patient
// got something for their testimonial. Pattern is RE2, matched ignoring case;
// a space in it matches any run of white space (write \s? for an optional
// one), and a match must start and
// end on a word boundary ("#ad" does not match "#adult").
type disclosurePhrase struct {
	Country string // "GB", "US", or "" for both
	Pattern string
	Example string // documents the pattern; the tests check each one matches
}

// disclosurePhrases is the one list of clear disclosures (FTC 16 CFR 255.5
// and its guide "Disclosures 101"; CAP Code 2.1, 3.45 and the ASA/CMA
// influencer guidance). Single words that also occur in ordinary copy
// ("complimentary", "discount", "gifted", "received a") are deliberately not
// here on their own: "a warm welcome is complimentary" or "whitening discount
// this month" say nothing about the testimonial.
var disclosurePhrases = []disclosurePhrase{
	{"", `#(?:ad|advert|advertisement|sponsored|gifted|paidpartnership|paidpromotion|paidad)`, "#ad"},
	{"", `[(\[]ad[)\]]`, "[ad]"},
	{"", `ad:`, "Ad: Sam received ..."},
	{"", `paid (?:partnership|promotion)`, "paid partnership with Harbour Dental"},
	{"", `sponsored by`, "sponsored by Harbour Dental"},
	{"", `(?:received|receives|was given|were given|was offered|were offered|was provided with|were provided with|got|accepted) (?:a |an |some |their |her |his |my )?(?:complimentary|free|free-of-charge|discounted|reduced-price|reduced-cost)`, "received complimentary treatment"},
	{"", `(?:received|receives|was given|were given|was offered|were offered|got|accepted) (?:a |an )?(?:\d+(?:\.\d+)?\s?% |[£$€]\d+(?:\.\d\d)? )?(?:discount|gift|payment|fee|voucher|gift card|reward)`, "was offered a discount for this review"},
	{"", `(?:received|receives|was given|were given|was offered|were offered|got) (?:\d+(?:\.\d+)?\s?%|[£$€]\d+(?:\.\d\d)?) off`, "received 20% off"},
	{"", `(?:treatment|treatments|whitening|consultation|product|products|session|sessions|procedure|service|services|aligners|veneers) (?:was|were) (?:provided |given |offered |supplied )?(?:free of charge|at no (?:cost|charge)|for free|complimentary|free)`, "her treatment was provided free of charge"},
	{"", `in (?:exchange|return) for (?:(?:this|her|his|their|my|a|an|the|your) )?(?:honest )?(?:review|testimonial|feedback|post|endorsement|story|photos?)`, "in exchange for this review"},
	{"", `(?:was|were|been|being|is|are|got) paid (?:for|to write|to give|to share|to leave) (?:(?:this|her|his|their|my|a|an|the) )?(?:review|testimonial|feedback|post|endorsement|story)`, "was paid for this review"},
	{"", `discount(?:ed)? (?:for|in (?:return|exchange) for) (?:(?:this|her|his|their|my|a|an) )?(?:review|testimonial|feedback|story|post)`, "a discount for this testimonial"},
	{"", `(?:was|were|been) gifted (?:a|an|this|her|his|their|some|complimentary|free|treatment|products?)`, "was gifted a whitening kit"},
	{"GB", `(?:advertisement|ad) feature`, "advertisement feature"},
	{"GB", `advertorial`, "advertorial"},
	{"US", `paid (?:ad|advertisement|endorsement)`, "paid endorsement"},
	{"US", `(?:was|were|been|being|is|are) compensated`, "was compensated for this review"},
	{"US", `material connection`, "I have a material connection to the practice"},
}

var disclosureRes = func() []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(disclosurePhrases))
	for i, p := range disclosurePhrases {
		out[i] = regexp.MustCompile(`(?i)` + strings.ReplaceAll(p.Pattern, " ", `\s+`))
		out[i].Longest() // "#advert" must not stop at "#ad" and then fail the word boundary
	}
	return out
}()

// ClearDisclosures returns the byte spans of post that plainly disclose a
// payment, gift or discount, for the practice's country ("GB" or "US"; any
// other value uses the phrases both share).
func ClearDisclosures(post, country string) [][2]int {
	var out [][2]int
	for i, re := range disclosureRes {
		if c := disclosurePhrases[i].Country; c != "" && !strings.EqualFold(c, normCountry(country)) {
			continue
		}
		out = appendBounded(out, post, re)
	}
	return out
}

func normCountry(c string) string {
	if strings.EqualFold(c, "UK") {
		return "GB"
	}
	return c
}

// appendBounded adds re's matches in s that start and end on word
// boundaries.
func appendBounded(out [][2]int, s string, re *regexp.Regexp) [][2]int {
	for _, m := range re.FindAllStringIndex(s, -1) {
		if wordBoundary(s, m[0], m[1]) {
			out = append(out, [2]int{m[0], m[1]})
		}
	}
	return out
}

// wordBoundary reports whether s[i:j] neither continues a word on its left
// nor runs into one on its right. A match that begins or ends with
// punctuation ("#ad", "Ad:") only needs the letter side checked.
func wordBoundary(s string, i, j int) bool {
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }
	first, _ := utf8.DecodeRuneInString(s[i:])
	last, _ := utf8.DecodeLastRuneInString(s[:j])
	if i > 0 {
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		if (isWord(first) || first == '#') && (isWord(before) || before == '#') {
			return false
		}
	}
	if j < len(s) {
		after, _ := utf8.DecodeRuneInString(s[j:])
		if isWord(last) && isWord(after) {
			return false
		}
	}
	return true
}

// disclosed reports whether the post discloses the remuneration clearly and
// near the testimonial. What counts: a phrase from disclosurePhrases, the
// wording agreed on the consent (Remuneration.Disclosure), or "received"
// followed by what the consent records was given ("received 20% off
// whitening"). Where: in the same paragraph as the quote (paragraphs are
// separated by a blank line) or within DisclosureReach characters of it.
// When the use has no quote, or the quote is not in the text (it is drawn
// into an image, or was edited, which is a problem of its own), anywhere in
// the post will do.
func disclosed(c app.Consent, use Use) bool {
	post := use.PostText
	spans := ClearDisclosures(post, c.Country)
	for _, agreed := range []string{c.Remuneration.Disclosure, agreedReceived(c.Remuneration.Description)} {
		if re := wordsRegexp(agreed, true); re != nil {
			spans = appendBounded(spans, post, re)
		}
	}
	if len(spans) == 0 {
		return false
	}
	quotes := [][]int(nil)
	if re := wordsRegexp(use.Quote, false); re != nil {
		quotes = re.FindAllStringIndex(post, -1)
	}
	if len(quotes) == 0 {
		return true
	}
	for _, q := range quotes {
		for _, d := range spans {
			if near(post, q[0], q[1], d[0], d[1]) {
				return true
			}
		}
	}
	return false
}

func agreedReceived(desc string) string {
	if strings.TrimSpace(desc) == "" {
		return ""
	}
	return "received " + desc
}

// wordsRegexp matches s's words in order with any white space between them;
// nil when s has none.
func wordsRegexp(s string, fold bool) *regexp.Regexp {
	ws := strings.Fields(s)
	if len(ws) == 0 {
		return nil
	}
	for i, w := range ws {
		ws[i] = regexp.QuoteMeta(w)
	}
	p := strings.Join(ws, `\s+`)
	if fold {
		p = `(?i)` + p
	}
	return regexp.MustCompile(p)
}

// near reports whether spans a and b of s are in the same paragraph or at
// most DisclosureReach characters apart.
func near(s string, a0, a1, b0, b1 int) bool {
	lo, hi := a1, b0
	if b1 <= a0 {
		lo, hi = b1, a0
	}
	if lo >= hi {
		return true // they overlap or touch
	}
	gap := s[lo:hi]
	return !paragraphBreak.MatchString(gap) || utf8.RuneCountInString(gap) <= DisclosureReach
}

// paragraphBreak is a blank line: two line breaks with only spaces between.
var paragraphBreak = regexp.MustCompile(`\n[ \t\r]*\n`)
