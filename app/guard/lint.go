package guard

import (
	"regexp"
	"strings"

	"practicepost/app"
	"practicepost/app/consent"
)

// LintInput is a post and what the advertising rules need to know about it.
type LintInput struct {
	Text       string
	Channel    Channel
	Country    string          // "GB" or "US", from the brand kit
	Clinicians []app.Clinician // Specialist marks those on a specialist list
	// Remunerated is true when the consent records that the patient got
	// something (a discount, free treatment, payment) for the testimonial.
	Remunerated bool
}

// Lint checks a post against the advertising rules in compliance.md §3.4
// and §3.6.9: UK prescription-only medicine names (CAP/MHRA), risk-free and
// guaranteed claims (GMC, CAP, FTC), "specialist" (GDC), time-limited
// cosmetic offers (GMC), results claims without a typical-results line (FTC),
// undisclosed payment for a testimonial (CAP, FTC), and Google's refusal of
// posts with a phone number in the text.
func Lint(in LintInput) []Finding {
	uk := strings.EqualFold(in.Country, "GB") || strings.EqualFold(in.Country, "UK")
	var fs []Finding
	add := func(k Kind, sev Severity, s, e int, msg, fix string) {
		fs = append(fs, Finding{Kind: k, Severity: sev, Start: s, End: e, Text: in.Text[s:e], Message: msg, Fix: fix})
	}
	text := in.Text

	if uk {
		for _, m := range pomRe.FindAllStringIndex(text, -1) {
			add(KindPOM, Block, m[0], m[1],
				"\""+text[m[0]:m[1]]+"\" names or stands for a prescription-only medicine. UK law (and the ASA/MHRA enforcement notice on Botox) forbids promoting these to the public, on social media too.",
				"Talk about the consultation instead (for example \"book a consultation to discuss treatments for lines and wrinkles\") without naming the medicine or the injection.")
		}
	}

	for _, m := range absoluteClaimRe.FindAllStringIndex(text, -1) {
		if negatedBefore(text, m[0]) {
			continue
		}
		add(KindClaim, Block, m[0], m[1],
			"\""+text[m[0]:m[1]]+"\" promises an outcome or safety no treatment can promise. Regulators (GMC, GDC, ASA, FTC) treat this as misleading.",
			"Describe what the treatment involves and that results vary, and say a clinician will explain the risks.")
	}
	for _, m := range softClaimRe.FindAllStringSubmatchIndex(text, -1) {
		s, e := m[2], m[3]
		if negatedBefore(text, s) || curedFoodRe.MatchString(text[e:]) {
			continue
		}
		add(KindClaim, Warn, s, e,
			"\""+text[s:e]+"\" is a strong health claim that needs evidence (CAP rule 12.1; FTC).",
			"Say what the treatment can help with, and only what you can back up with evidence.")
	}

	fs = append(fs, lintSpecialist(text, in.Clinicians, uk)...)

	if m := timeLimitedRe.FindStringIndex(text); m != nil && cosmeticRe.MatchString(text) {
		sev := Warn
		if uk {
			sev = Block
		}
		add(KindTimeLimited, sev, m[0], m[1],
			"A deadline on a cosmetic treatment offer pushes people to decide in a hurry; GMC guidance rules out time-limited deals for cosmetic interventions.",
			"Remove the deadline. You can still mention the price, with no pressure to book by a date.")
	}

	if !typicalResultsRe.MatchString(text) {
		for _, m := range resultsClaimRe.FindAllStringIndex(text, -1) {
			add(KindResultsClaim, Warn, m[0], m[1],
				"This describes a result. If it is not what most patients can expect, the post needs a line saying so (FTC endorsement guides; CAP 3.47).",
				"Add a line such as \"Individual results vary; your clinician will talk you through what to expect.\"")
			break // one line fixes all of them; one finding is enough
		}
	}

	if in.Remunerated && len(consent.ClearDisclosures(text, in.Country)) == 0 {
		fs = append(fs, Finding{Kind: KindUndisclosedPaid, Severity: Block,
			Message: "The consent records that this patient received something for their testimonial, and the post does not say so.",
			Fix:     "Add a disclosure such as \"Sarah received a complimentary whitening treatment\" or \"#ad\"."})
	}

	if in.Channel == GoogleBusiness {
		for _, p := range findPhones(text, digitWindows(text)) {
			fs = append(fs, Finding{Kind: KindGBPPhone, Severity: Block, Channel: GoogleBusiness, Start: p.start, End: p.end, Text: text[p.start:p.end],
				Message: "Google rejects Business Profile posts that have a phone number in the text, even the practice's own.",
				Fix:     "Delete the number and use the \"Call now\" button instead."})
		}
	}
	sortFindings(fs)
	return fs
}

var (
	// Prescription-only medicines advertised by aesthetics and weight-loss
	// clinics, and the euphemisms the ASA treats as naming them.
	pomRe = regexp.MustCompile(`(?i)\b(?:botox|b-tox|botulinum(?: toxin)?(?: type a)?|baby botox|brotox|dysport|azzalure|bocouture|xeomin|vistabel|letybo|relfydess|alluzience|daxxify|jeuveau|(?:anti|anti-)?wrinkle[- ](?:relaxing )?injections?|anti-wrinkle treatments?|wrinkle relax(?:ing|ers?)(?: injections?)?|muscle[- ]relaxing injections?|tox(?:in)? injections?|semaglutide|tirzepatide|liraglutide|ozempic|wegovy|mounjaro|saxenda|weight[- ]loss (?:injections?|jabs?|pens?)|skinny jabs?|fat[- ]loss jabs?)\b`)

	absoluteClaimRe = regexp.MustCompile(`(?i)\b(?:guaranteed?|guarantees|risk[- ]free|no risks?|100% (?:safe|effective|success)|completely safe|totally safe|perfectly safe|zero risk|permanent results?|pain[- ]free guaranteed)\b`)
	softClaimRe     = regexp.MustCompile(`(?i)\b(miracle\w*|cures?|cured|instant results?|life[- ]changing|never (?:fails|hurts)|painless)\b`)
	curedFoodRe     = regexp.MustCompile(`(?i)^\s+(?:meats?|ham|bacon|salmon|sausages?|fish|pork|beef|cheese|meat)\b`)
	negationRe      = regexp.MustCompile(`(?i)\b(?:no|not|never|isn't|is not|aren't|can't|cannot|won't|nor|without|there's no|no such thing as)\s+(?:a\s+|an\s+|any\s+|be\s+|always\s+)?$`)

	specialistRe     = regexp.MustCompile(`(?i)\bspecialists?\b|\bspecialising in\b|\bspecializing in\b`)
	referSpecialRe   = regexp.MustCompile(`(?i)\b(?:refer(?:s|red|ral)?|see|seeing|need|needs|ask (?:for|about)|from|to)\s+(?:you\s+)?(?:to\s+)?(?:a|an|the|hospital|nhs)\s+(?:\w+\s+)?$`)
	timeLimitedRe    = regexp.MustCompile(`(?i)\b(?:this (?:week|weekend|month) only|today only|tonight only|(?:for )?(?:a )?limited time(?: only)?|offer ends?|ends (?:today|tonight|tomorrow|soon|friday|saturday|sunday|monday|tuesday|wednesday|thursday|midnight)|book (?:by|before) (?:friday|saturday|sunday|monday|tuesday|wednesday|thursday|the end of|midnight|\d)|while (?:stocks|spaces|slots) last|last chance|flash sale|hurry|only \d+ (?:spaces|slots|places|appointments) (?:left|remaining)|expires? (?:on|at|this|soon|friday|today|tomorrow))\b`)
	cosmeticRe       = regexp.MustCompile(`(?i)\b(?:cosmetic|aesthetics?|fillers?|dermal|lip (?:filler|enhancement|flip)|botox|anti-wrinkle|wrinkles?|whitening|veneers?|composite bonding|smile makeover|skin boosters?|profhilo|chemical peels?|microneedling|laser hair|hair removal|thread lift|injectables?|facials?|invisalign|aligners|fat dissolving|lines and wrinkles|tox)\b`)
	typicalResultsRe = regexp.MustCompile(`(?i)results? (?:may|will|can) vary|individual results|results vary|typical results|not typical|results differ|everyone(?:'s| is) different`)
	resultsClaimRe   = regexp.MustCompile(`(?i)\b(?:before[- ](?:and|&)[- ]after|before/after|(?:amazing|incredible|stunning|fantastic|dramatic|real|visible|instant|natural-looking|lasting|proven|life-changing|great|brilliant|best) results?|results? (?:in|after|within) (?:just |only )?(?:\d+|one|two|three|four|six) (?:days?|weeks?|sessions?|treatments?|months?)|lost \d+(?:\.\d+)? ?(?:kg|kilos?|lbs?|pounds|stone)|(?:pain[- ]free|back to \w+) (?:in|within|after) (?:just |only )?(?:\d+|one|two|three|four|six) (?:days?|weeks?|sessions?)|\d+% (?:improvement|reduction|less pain|fewer)|in (?:just|only) \d+ (?:days|weeks|sessions|visits))`)
)

// negatedBefore reports whether the claim at i is denied just before it:
// "there is no cure", "not risk-free", "can't be guaranteed".
func negatedBefore(text string, i int) bool {
	lo := max(0, i-24)
	return negationRe.MatchString(text[lo:i])
}

// lintSpecialist applies the GDC rule that only dentists on a specialist list
// may be called specialists, and its US counterpart in state dental boards.
func lintSpecialist(text string, cl []app.Clinician, uk bool) []Finding {
	var fs []Finding
	for _, m := range specialistRe.FindAllStringIndex(text, -1) {
		lo := max(0, m[0]-40)
		if referSpecialRe.MatchString(text[lo:m[0]]) {
			continue // "we can refer you to a specialist" claims nothing for the practice
		}
		sentence := sentenceAround(text, m[0], m[1])
		var named, namedSpecialist bool
		anySpecialist := false
		for _, c := range cl {
			if c.Specialist {
				anySpecialist = true
			}
			if clinicianNamed(sentence, c.Name) {
				named = true
				if c.Specialist {
					namedSpecialist = true
				}
			}
		}
		sev, msg := Severity(""), ""
		switch {
		case namedSpecialist:
			continue
		case !anySpecialist:
			sev, msg = Block, "None of your clinicians is marked as being on a specialist list, so the post must not use the word \"specialist\" (GDC Standards 1.3.3; US state boards have the same rule)."
		case named:
			sev, msg = Block, "The clinician named here is not marked as being on a specialist list, so they must not be called a specialist (GDC Standards 1.3.3)."
		default:
			sev, msg = Warn, "\"Specialist\" may only describe a clinician on a specialist list. Make clear which of your clinicians it refers to."
		}
		if !uk && sev == Block {
			sev = Warn
		}
		fs = append(fs, Finding{Kind: KindSpecialist, Severity: sev, Start: m[0], End: m[1], Text: text[m[0]:m[1]], Message: msg,
			Fix: "Use \"special interest in\" or \"experienced in\", or name the specialist clinician (and mark them as specialist in the brand kit if they are on the list)."})
	}
	return fs
}

func sentenceAround(text string, s, e int) string {
	lo := strings.LastIndexAny(text[:s], ".!?\n")
	hi := strings.IndexAny(text[e:], ".!?\n")
	if hi < 0 {
		hi = len(text)
	} else {
		hi += e
	}
	return text[lo+1 : hi]
}

// clinicianNamed reports whether a clinician's full name or surname appears
// as a whole word in s.
func clinicianNamed(s, name string) bool {
	f := " " + string(foldInto(nil, s, nil, nil)) + " "
	words := strings.Fields(string(foldInto(nil, name, nil, nil)))
	for len(words) > 0 && staffTitles[words[0]] {
		words = words[1:]
	}
	if len(words) == 0 {
		return false
	}
	return strings.Contains(f, " "+strings.Join(words, " ")+" ") || strings.Contains(f, " "+words[len(words)-1]+" ")
}
