package studio

import (
	"math"
	"strings"
	"testing"
)

func testPair(t *testing.T, family string) pair {
	t.Helper()
	var fs fonts
	p, err := fs.pair(family, false, false)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestGlyphCoverage(t *testing.T) {
	// Characters a UK/US practice's posts use: curly quotes, dashes,
	// accents in patients' and clinicians' names, currency.
	const needed = "“”‘’–—…éèêëáàâäíìïóòôöúùûüçñÉÁÓøåæœß£€•"
	for _, fam := range []string{"Inter", "Noto Sans", "Noto Serif", "Noto Serif Display", "Noto Sans Display"} {
		p := testPair(t, fam)
		for _, r := range needed {
			if _, ok := p.main.advance(r); !ok {
				t.Errorf("%s lacks %q (U+%04X)", fam, r, r)
			}
		}
	}
}

func TestFitTable(t *testing.T) {
	p := testPair(t, "Inter")
	for _, c := range []struct {
		name           string
		text           string
		w, h, min, max float64
		overflow       bool
		atMax, atMin   bool
		lines          int // 0: any
	}{
		{"short fits at max", "Book today", 800, 200, 20, 60, false, true, false, 1},
		{"long shrinks", strings.Repeat("Our hygienists will help you keep your teeth for life. ", 6), 800, 400, 12, 80, false, false, false, 0},
		{"too long keeps min and overflows", strings.Repeat("word ", 400), 400, 100, 20, 40, true, false, true, 0},
		{"long word is broken", "Pneumonoultramicroscopicsilicovolcanoconiosis", 200, 400, 30, 30, false, true, true, 0},
		{"paragraphs kept", "One\nTwo\nThree", 800, 400, 20, 40, false, true, false, 3},
		{"box smaller than one line", "Hello there", 300, 10, 20, 40, true, false, true, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			pt := prepareText(p, c.text, false, false)
			f := fit(pt, c.w, c.h, c.min, c.max, 1.25)
			if f.overflow != c.overflow {
				t.Errorf("overflow = %v", f.overflow)
			}
			if f.size < c.min || f.size > c.max {
				t.Errorf("size %.1f outside %v..%v", f.size, c.min, c.max)
			}
			if c.atMax && f.size != c.max || c.atMin && f.size != c.min {
				t.Errorf("size %.1f", f.size)
			}
			if c.lines > 0 && len(f.lines) != c.lines {
				t.Errorf("%d lines", len(f.lines))
			}
			// Never outside the box, even when cut.
			if got := float64(len(f.lines)) * f.lh; got > c.h+0.01 {
				t.Errorf("%d lines × %.1f = %.1f px, box is %.0f", len(f.lines), f.lh, got, c.h)
			}
			for i, l := range f.lines {
				if l.width*f.size > c.w+0.01 {
					t.Errorf("line %d is %.1f px wide, box is %.0f", i, l.width*f.size, c.w)
				}
			}
			if f.overflow && len(f.lines) > 0 {
				last := f.lines[len(f.lines)-1]
				if last.glyphs[len(last.glyphs)-1].r != '…' {
					t.Error("cut text does not end with an ellipsis")
				}
			}
			if !f.overflow && f.size < c.max {
				// One pixel larger must not fit, or the fit was not maximal.
				bigger := fit(pt, c.w, c.h, f.size+1, f.size+1, 1.25)
				if !bigger.overflow {
					t.Errorf("size %.0f chosen but %.0f fits", f.size, f.size+1)
				}
			}
		})
	}
}

func TestTextNormalisation(t *testing.T) {
	p := testPair(t, "Inter")
	if got := SmartQuotes(`"It's great," she said. 'Really'`); got != "“It’s great,” she said. ‘Really’" {
		t.Errorf("SmartQuotes = %q", got)
	}
	// "e" + combining acute becomes one precomposed glyph.
	pt := prepareText(p, "Ame\u0301lie", false, false)
	if n := len(pt.paras[0].words[0].glyphs); n != 6 || pt.paras[0].words[0].glyphs[2].r != 'é' {
		t.Errorf("NFC: %d glyphs", n)
	}
	// A character no bundled font has is reported, not drawn as a box.
	pt = prepareText(p, "Smile 😀", false, false)
	if len(pt.missing) != 1 || pt.missing[0] != '😀' {
		t.Errorf("missing = %q", pt.missing)
	}
	// Splitting a long word keeps a letter and its combining mark together.
	pt = prepareText(p, strings.Repeat("e\u0301\u0323", 40), false, false)
	for _, l := range pt.wrap(3) {
		if len(l.glyphs) > 0 && (l.glyphs[0].r == '\u0301' || l.glyphs[0].r == '\u0323') {
			t.Error("a line starts with a combining mark")
		}
		if math.IsNaN(l.width) {
			t.Error("NaN width")
		}
	}
}
