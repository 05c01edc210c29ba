package guard

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"practicepost/app"
	"practicepost/assets"
)

// RewritePrefix starts a finding's Fix when the rest is wording the
// manager can use as it is (the screen offers "Use this").
const RewritePrefix = "Try instead: "

// Reply-guard kinds: Kind(ReplyKindPrefix + rule kind), e.g. "reply_confirms_patient".
const ReplyKindPrefix = "reply_"

// Reply is one public reply to a comment or review, as it will be sent.
type Reply struct {
	Text string
	// Commenter is the display name the platform shows for the person
	// being answered ("" when anonymous). Any form of it in the reply is
	// blocked, whether or not they are in the patient list.
	Commenter string
	// Others are the other people in the thread the reply appears in
	// (platform-contracts §13.9): a reply names none of them either.
	Others []string
	// Kit gives the practice's name (never a finding, even "Your Smile
	// Dental"), its phone and email (allowed; offered as the private
	// route), staff names and country ("GB"/"US" picks the wording).
	Kit app.BrandKit
	// Names is the practice's patient list; nil when not loaded.
	Names *Matcher
}

// ReplyReport is the reply guard's verdict.
type ReplyReport struct {
	Findings []Finding `json:"findings"`
	Blocked  bool      `json:"blocked"`
	// Private is the sentence that offers a private route, filled with the
	// practice's phone and email: what every fix suggests instead.
	Private string `json:"private"`
}

// ReplyRules are the compiled rules from assets/replies/rules.json.
type ReplyRules struct {
	rules []replyRule
	byID  map[string]*replyRule
	// disclosure: every pattern matching in one sentence of a comment means
	// the person shared their own health details there.
	disclosure []*regexp.Regexp
}

type replyRule struct {
	ID       string            `json:"id"`
	Kind     string            `json:"kind"`
	Severity Severity          `json:"severity"`
	Scope    string            `json:"scope"` // match | sentence | text | code
	Patterns []string          `json:"patterns"`
	Unless   []string          `json:"unless"`
	Explain  map[string]string `json:"explain"`
	Rewrite  map[string]string `json:"rewrite"`
	// Advice: the rewrite says what to do ("Remove the name") rather than
	// giving words to use instead.
	Advice bool `json:"advice"`
	pats   []*regexp.Regexp
	unless []*regexp.Regexp
}

var listRef = regexp.MustCompile(`\{([a-z]+)\}`)

// ParseReplyRules compiles a rules file; the error names the rule at fault.
func ParseReplyRules(data []byte) (*ReplyRules, error) {
	var f struct {
		Lists      map[string][]string `json:"lists"`
		Rules      []replyRule         `json:"rules"`
		Disclosure struct {
			Patterns []string `json:"patterns"`
		} `json:"disclosure"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("reply rules: %w", err)
	}
	alt := map[string]string{}
	for name, words := range f.Lists {
		// Longest first, so "root canal treatment" wins over "root canal".
		ws := slices.Clone(words)
		slices.SortFunc(ws, func(a, b string) int { return len(b) - len(a) })
		parts := make([]string, len(ws))
		for i, w := range ws {
			parts[i] = phraseRe(w)
		}
		alt[name] = strings.Join(parts, "|")
	}
	compile := func(id, p string) (*regexp.Regexp, error) {
		var missing string
		p = listRef.ReplaceAllStringFunc(p, func(m string) string {
			name := m[1 : len(m)-1]
			a, ok := alt[name]
			if !ok {
				missing = name
			}
			return a
		})
		if missing != "" {
			return nil, fmt.Errorf("reply rule %s: no list %q", id, missing)
		}
		p = eitherApostrophe(p)
		re, err := regexp.Compile("(?i)" + p)
		if err != nil {
			return nil, fmt.Errorf("reply rule %s: %w", id, err)
		}
		return re, nil
	}
	rs := &ReplyRules{byID: map[string]*replyRule{}}
	for _, r := range f.Rules {
		if r.Severity != Block && r.Severity != Warn {
			return nil, fmt.Errorf("reply rule %s: severity %q", r.ID, r.Severity)
		}
		for _, c := range []string{"GB", "US"} {
			if r.Explain[c] == "" || r.Rewrite[c] == "" {
				return nil, fmt.Errorf("reply rule %s: no %s explanation or rewrite", r.ID, c)
			}
		}
		switch r.Scope {
		case "match", "sentence":
			if len(r.Patterns) == 0 {
				return nil, fmt.Errorf("reply rule %s: no patterns", r.ID)
			}
		case "text", "code":
		default:
			return nil, fmt.Errorf("reply rule %s: scope %q", r.ID, r.Scope)
		}
		for _, p := range r.Patterns {
			re, err := compile(r.ID, p)
			if err != nil {
				return nil, err
			}
			r.pats = append(r.pats, re)
		}
		for _, p := range r.Unless {
			re, err := compile(r.ID, p)
			if err != nil {
				return nil, err
			}
			r.unless = append(r.unless, re)
		}
		rs.rules = append(rs.rules, r)
	}
	for i := range rs.rules {
		rs.byID[rs.rules[i].ID] = &rs.rules[i]
	}
	for _, p := range f.Disclosure.Patterns {
		re, err := compile("disclosure", p)
		if err != nil {
			return nil, err
		}
		rs.disclosure = append(rs.disclosure, re)
	}
	for _, id := range []string{"name", "patient_name", "identifier", "private_route"} {
		if rs.byID[id] == nil {
			return nil, fmt.Errorf("reply rules: rule %q is missing", id)
		}
	}
	return rs, nil
}

// phraseRe matches a listed phrase: words apart by any space or hyphen,
// apostrophes straight or curly (added by compile).
func phraseRe(w string) string {
	fs := strings.FieldsFunc(w, func(r rune) bool { return r == ' ' || r == '-' })
	for i, f := range fs {
		fs[i] = regexp.QuoteMeta(f)
	}
	return strings.Join(fs, `[\s-]+`)
}

var (
	defaultRulesOnce sync.Once
	defaultRules     *ReplyRules
	defaultRulesErr  error
)

// DefaultReplyRules are the shipped rules (assets/replies/rules.json).
func DefaultReplyRules() *ReplyRules {
	defaultRulesOnce.Do(func() { defaultRules, defaultRulesErr = ParseReplyRules(assets.ReplyRules()) })
	if defaultRulesErr != nil {
		panic(defaultRulesErr) // the embedded file is checked by a test
	}
	return defaultRules
}

// ReplyWording is how the practice's country words things.
type ReplyWording struct {
	Country string
	Contact string // "call us on 0117 496 0123 or email hello@…"
	Manager string // "practice manager" | "office manager"
}

// WordingFor fills the private route from the brand kit.
func WordingFor(kit app.BrandKit) ReplyWording {
	w := ReplyWording{Country: "GB", Manager: "practice manager"}
	on := "on"
	if kit.Country == "US" {
		w.Country, w.Manager, on = "US", "office manager", "at"
	}
	phone, email := strings.TrimSpace(kit.Phone), strings.TrimSpace(kit.Email)
	switch {
	case phone != "" && email != "":
		w.Contact = fmt.Sprintf("call us %s %s or email %s", on, phone, email)
	case phone != "":
		w.Contact = fmt.Sprintf("call us %s %s", on, phone)
	case email != "":
		w.Contact = "email us at " + email
	default:
		w.Contact = "contact the practice directly"
	}
	return w
}

// Fill puts the practice's details into a rule's rewrite or a template.
func (w ReplyWording) Fill(s, practice string) string {
	if strings.TrimSpace(practice) == "" {
		practice = "the practice"
	}
	return strings.NewReplacer("{contact}", w.Contact, "{manager}", w.Manager, "{practice}", practice).Replace(s)
}

func (r *replyRule) finding(w ReplyWording, practice string, start, end int, text string) Finding {
	c := w.Country
	fix := w.Fill(r.Rewrite[c], practice)
	if !r.Advice {
		fix = RewritePrefix + fix
	}
	return Finding{Kind: Kind(ReplyKindPrefix + r.Kind), Severity: r.Severity, Start: start, End: end, Text: text,
		Message: r.Explain[c], Fix: fix}
}

// KitAllow is what a brand kit lets the practice publish about itself:
// its phone, email, web and mail domains, address and staff.
func KitAllow(kit app.BrandKit) AllowList {
	a := AllowList{Country: kit.Country}
	if kit.Phone != "" {
		a.Phones = append(a.Phones, kit.Phone)
	}
	if kit.Email != "" {
		a.Emails = append(a.Emails, kit.Email)
		if i := strings.LastIndex(kit.Email, "@"); i >= 0 {
			a.Domains = append(a.Domains, kit.Email[i+1:])
		}
	}
	if kit.Website != "" {
		a.Domains = append(a.Domains, kit.Website)
	}
	if kit.Address != "" {
		a.Addresses = append(a.Addresses, kit.Address)
	}
	for _, c := range kit.Clinicians {
		a.StaffNames = append(a.StaffNames, c.Name)
		if c.Number != "" {
			a.Registrations = append(a.Registrations, c.Number)
			if c.Regulator != "" {
				a.Registrations = append(a.Registrations, c.Regulator+" "+c.Number)
			}
		}
	}
	return a
}

// CheckReply runs the reply guard (platform-contracts.md §13.9): the
// identifier scan with the patient list, the commenter's name in every
// form, and the rules in rs. Text the practice's own name covers is never
// a finding. Findings point into r.Text in reading order.
func CheckReply(r Reply, rs *ReplyRules) ReplyReport {
	if rs == nil {
		rs = DefaultReplyRules()
	}
	w := WordingFor(r.Kit)
	practice := strings.TrimSpace(r.Kit.PracticeName)
	rep := ReplyReport{Findings: []Finding{}, Private: w.Fill(rs.byID["private_route"].Rewrite[w.Country], practice)}
	text := r.Text
	if strings.TrimSpace(text) == "" {
		return rep
	}
	var fs []Finding
	add := func(f Finding) { fs = append(fs, f) }

	// The identifier scanner, with the practice's own details allowed and
	// no consent exemption: a reply never names a patient.
	for _, f := range Scan(text, r.Names, KitAllow(r.Kit)) {
		switch f.Kind {
		case KindPatientName:
			add(rs.byID["patient_name"].finding(w, practice, f.Start, f.End, f.Text))
		case KindPossibleName:
			add(rs.byID["name"].finding(w, practice, f.Start, f.End, f.Text))
		default:
			rule := rs.byID["identifier"]
			nf := rule.finding(w, practice, f.Start, f.End, f.Text)
			nf.Kind, nf.Severity = f.Kind, f.Severity
			if f.Kind == KindAppointment {
				nf.Severity = Block // a visit date is never for a reply
			}
			if nf.Severity == Block && offeredRoute(text, f) {
				nf.Severity = Warn // the practice's own line, not in the kit
				nf.Message = offeredRouteNote + " " + nf.Message
			}
			nf.Message = f.Message + " " + rule.Explain[w.Country]
			add(nf)
		}
	}
	for _, who := range append([]string{r.Commenter}, r.Others...) {
		for _, h := range commenterHits(text, who) {
			add(rs.byID["name"].finding(w, practice, h[0], h[1], text[h[0]:h[1]]))
		}
	}
	for i := range rs.rules {
		rule := &rs.rules[i]
		switch rule.Scope {
		case "match":
			for _, re := range rule.pats {
				for _, m := range re.FindAllStringIndex(text, -1) {
					if !rule.excused(text, 0, len(text), m[0], m[1]) {
						add(rule.finding(w, practice, m[0], m[1], text[m[0]:m[1]]))
					}
				}
			}
		case "sentence":
			for _, s := range sentences(text) {
				sent := text[s[0]:s[1]]
				var last []int
				for _, re := range rule.pats {
					if last = re.FindStringIndex(sent); last == nil {
						break
					}
				}
				if last == nil {
					continue
				}
				st, en := s[0]+last[0], s[0]+last[1]
				if !rule.excused(text, s[0], s[1], st, en) {
					add(rule.finding(w, practice, st, en, text[st:en]))
				}
			}
		}
	}
	fs = dropPractice(fs, text, practice)
	fs = dropCovered(fs)
	if !offersPrivate(text, r.Kit) && soundsNegative(text) {
		f := rs.byID["private_route"].finding(w, practice, 0, 0, "")
		fs = append(fs, f)
	}
	sortFindings(fs)
	if fs != nil {
		rep.Findings = fs
	}
	rep.Blocked = Blocked(fs)
	return rep
}

// DisclosesHealth reports whether a comment shares its writer's own health
// details ("my crown came loose", "I've had back pain since…"): the Inbox
// then suggests hiding it and answering privately.
func DisclosesHealth(text string, rs *ReplyRules) bool {
	if rs == nil {
		rs = DefaultReplyRules()
	}
	if len(rs.disclosure) == 0 {
		return false
	}
	for _, s := range sentences(text) {
		sent := text[s[0]:s[1]]
		all := true
		for _, re := range rs.disclosure {
			if !re.MatchString(sent) {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// excused reports whether an unless pattern matching within [from,to)
// overlaps the match [st,en). A sentence rule passes its sentence, so any
// unless anywhere in the sentence excuses it.
func (r *replyRule) excused(text string, from, to, st, en int) bool {
	if r.Scope == "sentence" {
		st, en = from, to
	}
	part := text[from:to]
	for _, re := range r.unless {
		for _, m := range re.FindAllStringIndex(part, -1) {
			if from+m[0] < en && st < from+m[1] {
				return true
			}
		}
	}
	return false
}

// sentences splits text at . ! ? and line breaks.
func sentences(text string) [][2]int {
	var out [][2]int
	start := 0
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '.', '!', '?', '\n':
			// "Dr." and decimals stay in the sentence.
			if text[i] == '.' && (i+1 < len(text) && text[i+1] != ' ' && text[i+1] != '\n') {
				continue
			}
			if i+1 > start {
				out = append(out, [2]int{start, i + 1})
			}
			start = i + 1
		}
	}
	if start < len(text) {
		out = append(out, [2]int{start, len(text)})
	}
	return out
}

// dropPractice removes findings inside the practice's own name: "Your
// Smile Dental" is not "your smile", "Mrs Jones Physio" is not a person.
func dropPractice(fs []Finding, text, practice string) []Finding {
	if practice == "" {
		return fs
	}
	re, err := regexp.Compile(`(?i)\b` + phraseRe(practice) + `\b`)
	if err != nil {
		return fs
	}
	spans := re.FindAllStringIndex(text, -1)
	return slices.DeleteFunc(fs, func(f Finding) bool {
		return f.End > f.Start && slices.ContainsFunc(spans, func(s []int) bool { return f.Start >= s[0] && f.End <= s[1] })
	})
}

// dropCovered keeps one finding per stretch of text: a block inside or
// overlapping another block is the same problem told twice; a warning
// overlapping a block adds nothing.
func dropCovered(fs []Finding) []Finding {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		if a.Severity != b.Severity {
			if a.Severity == Block {
				return -1
			}
			return 1
		}
		return (b.End - b.Start) - (a.End - a.Start)
	})
	var kept []Finding
	for _, f := range fs {
		if f.End > f.Start && slices.ContainsFunc(kept, func(k Finding) bool { return f.Start < k.End && k.Start < f.End }) {
			continue
		}
		kept = append(kept, f)
	}
	return kept
}

var privateRoute = regexp.MustCompile(`(?i)\b(?:call|ring|phone|email|e-mail|contact|get in touch|message|DM|direct message|reach|speak (?:to|with)|talk (?:to|with)|privately|in private)\b`)

func offersPrivate(text string, kit app.BrandKit) bool {
	if privateRoute.MatchString(text) {
		return true
	}
	lt := strings.ToLower(text)
	return kit.Email != "" && strings.Contains(lt, strings.ToLower(kit.Email))
}

var negative = regexp.MustCompile(`(?i)\b(?:sorry|apologi[sz]e|apologies|regret|unfortunately|disappointed|concern|concerns|complaint|unhappy|frustrat\w*|upset)\b`)

func soundsNegative(text string) bool { return negative.MatchString(text) }
