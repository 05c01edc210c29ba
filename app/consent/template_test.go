package consent

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"practicepost/app"
)

var elementBlock = regexp.MustCompile(`(?s)<!-- element (\w+) -->.*?<!-- end (\w+) -->\n?`)

func shipped(t *testing.T) []app.ConsentTemplate {
	t.Helper()
	ts, err := ShippedTemplates()
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 2 {
		t.Fatalf("shipped templates = %d, want the US and UK forms", len(ts))
	}
	return ts
}

func TestShippedTemplatesPassLint(t *testing.T) {
	countries := map[string]bool{}
	for _, tpl := range shipped(t) {
		countries[tpl.Country] = true
		if probs := Lint(tpl); len(probs) > 0 {
			t.Errorf("%s fails lint: %+v", tpl.VersionID(), probs)
		}
		if !strings.Contains(tpl.ReviewNotice, "counsel") || !strings.Contains(tpl.ReviewNotice, "before first use") {
			t.Errorf("%s review notice does not ask for counsel review before first use: %q", tpl.VersionID(), tpl.ReviewNotice)
		}
		if tpl.Version != 1 || tpl.SHA256 != app.SHA256Hex([]byte(tpl.Body)) {
			t.Errorf("%s: version %d hash %s", tpl.Key, tpl.Version, tpl.SHA256)
		}
	}
	if !countries["US"] || !countries["GB"] {
		t.Errorf("countries = %v", countries)
	}
}

// Each shipped template marks the text of every required element. Removing
// any single one of those blocks must make the lint name that element.
func TestLintCatchesEachMissingElement(t *testing.T) {
	for _, tpl := range shipped(t) {
		blocks := elementBlock.FindAllStringSubmatchIndex(tpl.Body, -1)
		var seen []string
		for _, b := range blocks {
			el, end := tpl.Body[b[2]:b[3]], tpl.Body[b[4]:b[5]]
			if el != end {
				t.Fatalf("%s: block %s closed as %s", tpl.Key, el, end)
			}
			seen = append(seen, el)
			broken := tpl
			broken.Body = tpl.Body[:b[0]] + tpl.Body[b[1]:]
			probs := Lint(broken)
			if !slices.ContainsFunc(probs, func(p LintProblem) bool { return p.Element == el }) {
				t.Errorf("%s without %s: lint reported %+v", tpl.Key, el, probs)
			}
		}
		// Every rule that applies to this country has a block to remove.
		for _, r := range LintRules {
			if (r.Countries == nil || slices.Contains(r.Countries, tpl.Country)) && !slices.Contains(seen, r.Element) {
				t.Errorf("%s has no marked block for %s", tpl.Key, r.Element)
			}
		}
	}
}

func TestLintSyntaxAndPlainLanguage(t *testing.T) {
	base := shipped(t)[1]
	cases := []struct {
		name, edit, want string
	}{
		{"unknown placeholder", "{{patient_nmae}}", "syntax"},
		{"unclosed", "Signed {{signer_name", "syntax"},
		{"stray close", "oops }} here", "syntax"},
		{"long sentence", strings.Repeat("word ", 45) + "end.", "E6"},
		{"statement hidden in a comment", "", "E2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tpl := base
			if tc.edit == "" {
				// Wrap the E2 block's text in a comment: it is then not shown,
				// so it must not satisfy the lint.
				tpl.Body = strings.Replace(tpl.Body, "Content posted publicly", "<!-- Content posted publicly", 1)
				tpl.Body = strings.Replace(tpl.Body, "fully retrievable.", "fully retrievable. -->", 1)
			} else {
				tpl.Body += "\n" + tc.edit + "\n"
			}
			probs := Lint(tpl)
			if !slices.ContainsFunc(probs, func(p LintProblem) bool { return p.Element == tc.want }) {
				t.Errorf("lint = %+v, want element %s", probs, tc.want)
			}
		})
	}
}

func TestNewVersion(t *testing.T) {
	prev := shipped(t)[0]
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	edited := strings.Replace(prev.Body, "This form is written in plain language.", "We wrote this form in plain words.", 1)
	next, err := NewVersion(prev, edited, at)
	if err != nil {
		t.Fatal(err)
	}
	if next.Version != prev.Version+1 || next.SHA256 == prev.SHA256 || next.VersionID() == prev.VersionID() || !next.CreatedAt.Equal(at) {
		t.Errorf("next = %s %s", next.VersionID(), next.SHA256)
	}
	if prev.Body == next.Body {
		t.Error("previous version was changed")
	}
	bad := strings.Replace(prev.Body, "{{remuneration}}", "nothing", 1)
	if _, err := NewVersion(prev, bad, at); app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), "E4") {
		t.Errorf("broken edit: %v", err)
	}
}

func TestParseTemplateErrors(t *testing.T) {
	for _, in := range []string{
		"no header",
		"---\nkey: a\nversion: 1\ncountry: US\n",
		"---\nkey: a\nversion: x\ncountry: US\n---\nbody",
		"---\nkey: a\nversion: 1\ncountry: FR\n---\nbody",
		"---\nkey: a\nversion: 1\ncountry: US\n---\n\xff",
	} {
		if _, err := ParseTemplate([]byte(in)); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("ParseTemplate(%q) err = %v", in, err)
		}
	}
}

func TestRender(t *testing.T) {
	cases := []struct {
		body   string
		values map[string]string
		want   string
		ok     bool
	}{
		{"Hi {{a}}!", map[string]string{"a": "Sam"}, "Hi Sam!\n", true},
		{"{{ a }}{{a}}", map[string]string{"a": "x"}, "xx\n", true},
		{"<!-- note -->Hi {{a}}", map[string]string{"a": "Sam"}, "Hi Sam\n", true},
		{"Hi {{a}}", map[string]string{"a": "{{b}}"}, "Hi {{b}}\n", true},
		{"Hi {{a}}", map[string]string{"a": "<!-- x -->"}, "Hi <!-- x -->\n", true},
		{"Hi {{a}}", map[string]string{"a": "bell\a\r\nline"}, "Hi bell\nline\n", true},
		{"Hi {{a}}", nil, "", false},
		{"Hi {{A}}", map[string]string{"A": "x"}, "", false},
		{"Hi {{a", map[string]string{"a": "x"}, "", false},
		{"Hi a}}", nil, "", false},
	}
	for _, tc := range cases {
		got, err := Render(tc.body, tc.values)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("Render(%q) = %q, %v", tc.body, got, err)
		}
	}
}

// FuzzRender checks the renderer never panics, never leaves a template
// placeholder unfilled, and inserts values verbatim (no second expansion).
func FuzzRender(f *testing.F) {
	f.Add("Dear {{patient_name}},\n<!-- hidden -->{{x}}", "Zoë {{x}}")
	f.Add("{{", "")
	f.Add("}}{{a}}", "v")
	f.Add("<!-- {{a}} -->{{b}}", "v")
	f.Fuzz(func(t *testing.T, body, value string) {
		names, err := PlaceholderNames(stripComments(body))
		values := map[string]string{}
		for _, n := range names {
			values[n] = value
		}
		out, rerr := Render(body, values)
		if err != nil || len(body) > maxTemplateBytes || !utf8Valid(body) {
			if rerr == nil && err != nil {
				t.Fatalf("Render accepted a body PlaceholderNames refused: %q", body)
			}
			return
		}
		if rerr != nil {
			t.Fatalf("Render(%q) refused a well-formed body: %v", body, rerr)
		}
		if !strings.Contains(value, "{") && strings.Contains(out, "{{") {
			t.Fatalf("placeholder left in %q", out)
		}
		again, _ := Render(body, values)
		if again != out {
			t.Fatal("Render is not deterministic")
		}
		if cleanValue(value) == value && len(names) > 0 && !strings.Contains(out, value) {
			t.Fatalf("value %q not inserted verbatim into %q", value, out)
		}
	})
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }
