package mail

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"practicepost/app"
)

var (
	bulletRe   = regexp.MustCompile(`^(?:[-*•·–]|\d{1,2}[.)])\s+`)
	checkboxRe = regexp.MustCompile(`^[\[(]\s*([^\])]{0,4}?)\s*[\])]\s*(.*)$`)
	glyphRe    = regexp.MustCompile(`^(☑|✅|✓|✔|√|☒|☐|✗|✘|❌|✖)\s*(.+)$`)
	prefixRe   = regexp.MustCompile(`(?i)^(yes|no|agreed|agree|i agree to|ok|okay)(?:\s+(?:to|for|on|please))?(?:\s*[:\-–—=,]\s*|\s+)(.+)$`)
	suffixRe   = regexp.MustCompile(`(?i)^(.+?)\s*(?:[:\-–—=]|\s)\s*(yes|y|no|n|ok|okay|agreed|agree|fine|☑|✅|✓|✔|√|☐|✗|✘|❌|✖)(?:\s*(?:please|thanks|thank you))?\s*[.!]*$`)
	listSepRe  = regexp.MustCompile(`[,;]`)
	politeRe   = regexp.MustCompile(`(?i)[\s,]+(?:please|thanks|thank you|thx)[.!]*$`)
	andSepRe   = regexp.MustCompile(`(?i)\s+(?:and|&|\+)\s+|^and\s+`)
	allRe      = regexp.MustCompile(`(?i)^(?:(?:yes|no|ok|agreed?)\s*(?:to|for)?\s*[:\-–—,]?\s*)?(?:all|all of them|all of the above|everything|any|anything|none|none of them|none of the above|nothing)\s*[.!]*$`)
)

func markAnswer(mark string) app.ScopeAnswer {
	switch strings.ToLower(strings.TrimSpace(mark)) {
	case "":
		return app.AnswerNo
	case "x", "xx", "✓", "✔", "✅", "☑", "√", "*", "y", "yes", "ok", "agree", "agreed", "fine":
		return app.AnswerYes
	case "n", "no", "☐":
		return app.AnswerNo
	}
	return app.AnswerAmbiguous
}

type optionIndex struct {
	opts  []app.ScopeOption
	names map[string][]string // normalised name -> keys
}

func newOptionIndex(opts []app.ScopeOption) *optionIndex {
	ix := &optionIndex{opts: opts, names: map[string][]string{}}
	for _, o := range opts {
		for _, n := range append([]string{o.Label, o.Key}, o.Aliases...) {
			k := normName(n)
			if k != "" && !slices.Contains(ix.names[k], o.Key) {
				ix.names[k] = append(ix.names[k], o.Key)
			}
		}
	}
	return ix
}

// normName lowercases and keeps letters and digits only, so "Before/after",
// "before & after" and "Before and after!" compare equal.
func normName(s string) string {
	s = strings.ToLower(strings.ReplaceAll(s, "&", " and "))
	f := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for len(f) > 1 && (f[0] == "my" || f[0] == "the" || f[0] == "on" || f[0] == "in") {
		f = f[1:]
	}
	return strings.Join(f, " ")
}

// exact returns the one option an item names, or nil.
func (ix *optionIndex) exact(item string) []string {
	return ix.names[normName(item)]
}

// mentions returns the options whose name appears as whole words in s. Names
// of one or two letters ("X", "FB" aside) are too common to count as a
// mention.
func (ix *optionIndex) mentions(s string) []string {
	n := " " + normName(s) + " "
	var out []string
	for name, keys := range ix.names {
		if len(name) < 3 {
			continue
		}
		if strings.Contains(n, " "+name+" ") {
			for _, k := range keys {
				if !slices.Contains(out, k) {
					out = append(out, k)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// items splits "Facebook, Instagram and LinkedIn" into option names. A piece
// that names no box is returned in rest.
func (ix *optionIndex) items(s string) (keys [][]string, rest []string) {
	if k := ix.exact(s); k != nil {
		return [][]string{k}, nil
	}
	for _, piece := range listSepRe.Split(s, -1) {
		piece = strings.TrimSpace(piece)
		if piece == "" {
			continue
		}
		if k := ix.exact(piece); k != nil {
			keys = append(keys, k)
			continue
		}
		for _, sub := range andSepRe.Split(piece, -1) {
			sub = strings.TrimSpace(sub)
			if sub == "" {
				continue
			}
			if k := ix.exact(sub); k != nil {
				keys = append(keys, k)
			} else {
				rest = append(rest, sub)
			}
		}
	}
	return keys, rest
}

type reader struct {
	ix      *optionIndex
	answers map[string][]app.ScopeAnswer
	out     app.ScopeReading
}

func (r *reader) record(line, key string, a app.ScopeAnswer) {
	r.answers[key] = append(r.answers[key], a)
	r.out.Lines = append(r.out.Lines, app.ScopeLine{Text: line, Key: key, Answer: a})
}

// line reads one line; it reports whether the line said anything about a box.
func (r *reader) line(raw string, checkboxOnly bool) bool {
	t := strings.TrimSpace(raw)
	t = strings.TrimSpace(bulletRe.ReplaceAllString(t, ""))
	if t == "" {
		return false
	}
	if m := nameLabelRe.FindStringSubmatch(t); m != nil {
		if _, ok := cleanName(m[1] + m[2]); ok {
			return false // the typed name, read by ReadTypedName
		}
	}
	assign := func(rest string, a app.ScopeAnswer) bool {
		rest = politeRe.ReplaceAllString(strings.TrimSpace(strings.TrimRight(rest, ".!;:")), "")
		keys, unknown := r.ix.items(rest)
		if len(keys) == 0 {
			if m := r.ix.mentions(rest); len(m) > 0 {
				for _, k := range m {
					r.record(t, k, app.AnswerAmbiguous)
				}
				return true
			}
			return false
		}
		for _, ks := range keys {
			ans := a
			if len(ks) > 1 {
				ans = app.AnswerAmbiguous // one word names two boxes
			}
			for _, k := range ks {
				r.record(t, k, ans)
			}
		}
		if len(unknown) > 0 {
			r.out.Unclear = append(r.out.Unclear, t)
		}
		return true
	}
	if m := checkboxRe.FindStringSubmatch(t); m != nil && m[2] != "" {
		return assign(m[2], markAnswer(m[1]))
	}
	if m := glyphRe.FindStringSubmatch(t); m != nil {
		return assign(m[2], markAnswer(m[1]))
	}
	if checkboxOnly {
		return false
	}
	if allRe.MatchString(t) {
		r.out.Unclear = append(r.out.Unclear, t)
		return true
	}
	// "Label - yes" first: a label may itself begin with "No" ("No name
	// (anonymous) - no" is not a "no" to "name (anonymous) - no").
	if m := suffixRe.FindStringSubmatch(t); m != nil {
		if keys := r.ix.exact(strings.TrimSpace(m[1])); keys != nil {
			a := markAnswer(m[2])
			if len(keys) > 1 {
				a = app.AnswerAmbiguous
			}
			for _, k := range keys {
				r.record(t, k, a)
			}
			return true
		}
	}
	if m := prefixRe.FindStringSubmatch(t); m != nil {
		a := app.AnswerYes
		if strings.EqualFold(m[1], "no") {
			a = app.AnswerNo
		}
		if allRe.MatchString(m[2]) {
			r.out.Unclear = append(r.out.Unclear, t)
			return true
		}
		if assign(m[2], a) {
			return true
		}
	}
	// A box named in free text ("Facebook is fine but not Instagram") is an
	// answer a person must read.
	if m := r.ix.mentions(t); len(m) > 0 {
		for _, k := range m {
			r.record(t, k, app.AnswerAmbiguous)
		}
		return true
	}
	return false
}

// ReadScope reads which of the offered boxes a reply agrees to. Clear forms
// are "[x] Facebook", "☑ Facebook", "Yes: Instagram, LinkedIn", "Facebook -
// yes", "No: Paid adverts". Anything else that names a box, or contradicts
// another line, is Ambiguous; "yes to all" and the like are Unclear. Only if
// the sender's own words say nothing about any box are ticks inside the quoted
// request read (our request only ever sends empty boxes, so a tick there is
// the patient's).
func ReadScope(words, quoted string, opts []app.ScopeOption) app.ScopeReading {
	r := &reader{ix: newOptionIndex(opts), answers: map[string][]app.ScopeAnswer{}}
	for _, l := range strings.Split(words, "\n") {
		r.line(l, false)
	}
	if len(r.answers) == 0 && len(r.out.Unclear) == 0 && quoted != "" {
		q := &reader{ix: r.ix, answers: map[string][]app.ScopeAnswer{}}
		ticked := false
		for _, l := range strings.Split(quoted, "\n") {
			if q.line(l, true) {
				for _, a := range q.answers {
					if slices.Contains(a, app.AnswerYes) || slices.Contains(a, app.AnswerAmbiguous) {
						ticked = true
					}
				}
			}
		}
		if ticked {
			r = q
			r.out.FromQuote = true
		}
	}
	for _, o := range opts {
		as := r.answers[o.Key]
		switch {
		case len(as) == 0:
			r.out.Unanswered = append(r.out.Unanswered, o.Key)
		case allSame(as, app.AnswerYes):
			r.out.Agreed = append(r.out.Agreed, o.Key)
		case allSame(as, app.AnswerNo):
			r.out.Declined = append(r.out.Declined, o.Key)
		default:
			r.out.Ambiguous = append(r.out.Ambiguous, o.Key)
		}
	}
	return r.out
}

func allSame(as []app.ScopeAnswer, a app.ScopeAnswer) bool {
	for _, x := range as {
		if x != a {
			return false
		}
	}
	return true
}

var nameLabelRe = regexp.MustCompile(`(?i)^(?:my\s+)?(?:full\s+name|name|signed|signature|typed\s+signature|e-?signature|signed\s+name)\s*[:\-–]\s*(.+)$|^(?:/s/|signed\s+by\s|typed\s+by\s)\s*(.+)$`)

// notNameWords appear in sentences that follow a label-like start ("Signed
// copy attached") but never in a person's name.
var notNameWords = map[string]bool{"attached": true, "attachment": true, "copy": true, "form": true, "below": true,
	"above": true, "please": true, "thanks": true, "thank": true, "see": true, "the": true, "and": true, "yes": true,
	"no": true, "scan": true, "photo": true, "here": true, "is": true, "my": true, "it": true}

// ReadTypedName finds the full name the patient typed, from a labelled line
// ("Full name: Jane Smith", "Signed: Jane Smith", "/s/ Jane Smith") or, failing
// that, a line that is exactly the patient's name on record. Two different
// names make it ambiguous; a single word is not a full name.
func ReadTypedName(words, patientName string) (name string, ambiguous bool) {
	var found []string
	add := func(n string) {
		for _, f := range found {
			if normName(f) == normName(n) {
				return
			}
		}
		found = append(found, n)
	}
	for _, l := range strings.Split(words, "\n") {
		t := strings.TrimSpace(bulletRe.ReplaceAllString(strings.TrimSpace(l), ""))
		if m := nameLabelRe.FindStringSubmatch(t); m != nil {
			v := m[1] + m[2]
			if n, ok := cleanName(v); ok {
				add(n)
			}
		}
	}
	if len(found) == 0 && patientName != "" {
		want := normName(patientName)
		for _, l := range strings.Split(words, "\n") {
			if n, ok := cleanName(l); ok && normName(n) == want {
				add(n)
			}
		}
	}
	switch len(found) {
	case 0:
		return "", false
	case 1:
		return found[0], false
	}
	return found[0], true
}

func cleanName(s string) (string, bool) {
	s = strings.Join(strings.Fields(strings.TrimRight(strings.TrimSpace(s), ".,;!")), " ")
	if len([]rune(s)) < 3 || len([]rune(s)) > 100 {
		return "", false
	}
	words := 0
	for _, w := range strings.Fields(s) {
		if notNameWords[strings.ToLower(w)] {
			return "", false
		}
		letters := 0
		for _, r := range w {
			switch {
			case unicode.IsLetter(r):
				letters++
			case r == '-' || r == '\'' || r == '’' || r == '.':
			default:
				return "", false
			}
		}
		if letters > 0 {
			words++
		}
	}
	return s, words >= 2
}

// SameName compares a typed name with the one on record: same first and
// last word, ignoring case, punctuation and accents (middle names may
// differ; a patient typing on a phone writes "Zoe Bronte" for Zoë Brontë).
func SameName(typed, onRecord string) bool {
	a, b := strings.Fields(normName(withoutMarks(typed))), strings.Fields(normName(withoutMarks(onRecord)))
	if len(a) == 0 || len(b) == 0 {
		return false
	}
	return a[0] == b[0] && a[len(a)-1] == b[len(b)-1]
}

// withoutMarks drops accents: "Zoë Brontë" → "Zoe Bronte".
func withoutMarks(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
