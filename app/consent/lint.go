package consent

import (
	"slices"
	"strings"

	"practicepost/app"
)

// LintProblem is one required element a template lacks.
type LintProblem struct {
	Element string `json:"element"` // "A1".."F1", "E1".."E7", or "syntax"
	Message string `json:"message"`
}

// LintRule is one element of compliance.md 3.5. A template satisfies it when
// it uses every placeholder and, for each phrase group, at least one of the
// phrases (case-insensitive). Rules name what the element is, so wording
// may change freely as long as the substance stays.
type LintRule struct {
	Element      string
	Name         string     // plain words for the practice manager
	Countries    []string   // nil: every country
	Placeholders []string   // all required
	AnyOf        [][]string // each group: at least one phrase
}

// LintRules is the checklist, in the order the form reads.
var LintRules = []LintRule{
	{Element: "A1", Name: "the practice's name, address and contact details",
		Placeholders: []string{"practice_name", "practice_address", "practice_contact"}},
	{Element: "A1", Name: "that the practice is the HIPAA covered entity", Countries: []string{"US"},
		AnyOf: [][]string{{"covered entity"}}},
	{Element: "A1", Name: "that the practice is the data controller", Countries: []string{"GB"},
		AnyOf: [][]string{{"data controller"}}},
	{Element: "A2", Name: "who may use and disclose the information",
		Placeholders: []string{"authorised_users"}},
	{Element: "A3", Name: "the patient's name, date of birth and reference",
		Placeholders: []string{"patient_name", "patient_dob", "patient_ref"}},
	{Element: "B1", Name: "the exact testimonial, the media and the health details covered",
		Placeholders: []string{"testimonial_quote", "media_list", "health_details"}},
	{Element: "B2", Name: "the identity choices (name, face, before/after, video, voice, age, town, tag)",
		Placeholders: []string{"identity_choices"}},
	{Element: "C1", Name: "the purpose (marketing) and the channel choices",
		Placeholders: []string{"channel_choices"}, AnyOf: [][]string{{"marketing", "promote", "publicity"}}},
	{Element: "D1", Name: "when the consent ends",
		Placeholders: []string{"expiry_date"}},
	{Element: "E1", Name: "the right to withdraw at any time, how, and how fast content comes down",
		Placeholders: []string{"withdrawal_method", "removal_days"},
		AnyOf:        [][]string{{"any time"}, {"reliance"}}},
	{Element: "E1", Name: "that revocation must be in writing (HIPAA)", Countries: []string{"US"},
		AnyOf: [][]string{{"in writing"}}},
	{Element: "E2", Name: "that public content may be copied and not fully retrievable",
		AnyOf: [][]string{{"copied", "cached"}, {"retrievable", "not be possible to"}}},
	{Element: "E2", Name: "the HIPAA redisclosure statement", Countries: []string{"US"},
		AnyOf: [][]string{{"no longer be protected"}}},
	{Element: "E3", Name: "that care will not be affected by refusing or withdrawing",
		AnyOf: [][]string{{"will not be affected", "not be conditioned", "not conditional"}}},
	{Element: "E4", Name: "the remuneration statement",
		Placeholders: []string{"remuneration"}},
	{Element: "E5", Name: "that the testimonial is the patient's honest opinion and they approve edits",
		AnyOf: [][]string{{"honest opinion"}, {"approve the final", "approve any edit"}}},
	{Element: "E6", Name: "that the form is separate from other terms",
		AnyOf: [][]string{{"separate from"}}},
	{Element: "E7", Name: "the privacy notice link",
		Placeholders: []string{"privacy_notice_url"}},
	{Element: "E7", Name: "the right to complain to the ICO", Countries: []string{"GB"},
		AnyOf: [][]string{{"information commissioner"}}},
	{Element: "F1", Name: "the signature block (signer, date, method, form version, copy to the patient)",
		Placeholders: []string{"signer_name", "signer_capacity", "form_date", "signing_method", "template_version"},
		AnyOf:        [][]string{{"copy of this"}}},
}

// maxSentenceWords is the plain-language limit (E6, HIPAA (c)(3)): a
// sentence longer than this is hard to follow for a patient in a waiting
// room, so the wording must be split.
const maxSentenceWords = 40

// Lint returns every required element t lacks, or nil when it passes.
func Lint(t app.ConsentTemplate) []LintProblem {
	var out []LintProblem
	body := stripComments(t.Body)
	names, err := PlaceholderNames(body)
	if err != nil {
		return []LintProblem{{Element: "syntax", Message: app.ErrorMessage(err)}}
	}
	for _, n := range names {
		if !slices.Contains(Placeholders, n) {
			out = append(out, LintProblem{Element: "syntax", Message: "The form uses {{" + n + "}}, which PracticePost does not know how to fill."})
		}
	}
	lower := strings.ToLower(body)
	for _, r := range LintRules {
		if r.Countries != nil && !slices.Contains(r.Countries, t.Country) {
			continue
		}
		if !ruleHolds(r, names, lower) {
			out = append(out, LintProblem{Element: r.Element, Message: "The form must state " + r.Name + " (" + r.Element + ")."})
		}
	}
	if s := longestSentence(body); s > maxSentenceWords {
		out = append(out, LintProblem{Element: "E6", Message: "A sentence on the form is too long for plain language; split sentences over 40 words (E6)."})
	}
	return out
}

func ruleHolds(r LintRule, names []string, lower string) bool {
	for _, p := range r.Placeholders {
		if !slices.Contains(names, p) {
			return false
		}
	}
	for _, group := range r.AnyOf {
		if !slices.ContainsFunc(group, func(p string) bool { return strings.Contains(lower, p) }) {
			return false
		}
	}
	return true
}

// longestSentence counts words per sentence of prose, treating line ends
// of headings and list items as sentence ends.
func longestSentence(body string) int {
	longest, n := 0, 0
	for _, line := range strings.Split(body, "\n") {
		for _, w := range strings.Fields(line) {
			n++
			if n > longest {
				longest = n
			}
			if strings.HasSuffix(w, ".") || strings.HasSuffix(w, "?") || strings.HasSuffix(w, "!") || strings.HasSuffix(w, ":") {
				n = 0
			}
		}
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "-") || strings.HasPrefix(t, ">") {
			n = 0
		}
	}
	return longest
}
