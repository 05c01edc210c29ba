package studio

import (
	"fmt"
	"image"
	"image/draw"
	"math"
	"strings"
	"sync"
	"unicode"

	"github.com/rivo/uniseg"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"

	"practicepost/assets"
)

// typeface is a parsed font plus what layout needs from it, in ems, so that
// fitting text at any size is arithmetic and never rasterises a glyph.
type typeface struct {
	name    string
	f       *sfnt.Font
	upem    fixed.Int26_6
	ascent  float64
	descent float64
	adv     sync.Map // rune → float64 em advance; negative: no glyph
}

func parseTypeface(file string) (*typeface, error) {
	b, err := assets.FontFile(file)
	if err != nil {
		return nil, err
	}
	f, err := opentype.Parse(b)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", file, err)
	}
	t := &typeface{name: file, f: f, upem: fixed.Int26_6(f.UnitsPerEm()) << 6}
	var buf sfnt.Buffer
	m, err := f.Metrics(&buf, t.upem, font.HintingNone)
	if err != nil {
		return nil, fmt.Errorf("font %s metrics: %w", file, err)
	}
	t.ascent = float64(m.Ascent) / float64(t.upem)
	t.descent = float64(m.Descent) / float64(t.upem)
	return t, nil
}

// advance is the advance width of r in ems, and whether the font has r.
func (t *typeface) advance(r rune) (float64, bool) {
	if v, ok := t.adv.Load(r); ok {
		a := v.(float64)
		return a, a >= 0
	}
	var buf sfnt.Buffer
	a := -1.0
	if gi, err := t.f.GlyphIndex(&buf, r); err == nil && gi != 0 {
		if adv, err := t.f.GlyphAdvance(&buf, gi, t.upem, font.HintingNone); err == nil {
			a = float64(adv) / float64(t.upem)
		}
	}
	t.adv.Store(r, a)
	return a, a >= 0
}

// fonts parses each bundled font file at most once.
type fonts struct {
	mu    sync.Mutex
	faces map[string]*typeface
}

func (fs *fonts) get(file string) (*typeface, error) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if t := fs.faces[file]; t != nil {
		return t, nil
	}
	t, err := parseTypeface(file)
	if err != nil {
		return nil, err
	}
	if fs.faces == nil {
		fs.faces = map[string]*typeface{}
	}
	fs.faces[file] = t
	return t, nil
}

// fallbackFamily covers characters the brand's font lacks.
const fallbackFamily = "Noto Sans"

// pair is a brand typeface and its fallback.
type pair struct{ main, fallback *typeface }

func (fs *fonts) pair(family string, bold, italic bool) (pair, error) {
	pick := func(name string) (*typeface, error) {
		fam, ok := assets.Family(name)
		if !ok {
			fam, _ = assets.Family(fallbackFamily)
		}
		file := fam.Regular
		if bold {
			file = fam.Bold
		} else if italic {
			file = fam.Italic
		}
		return fs.get(file)
	}
	m, err := pick(family)
	if err != nil {
		return pair{}, err
	}
	fb, err := pick(fallbackFamily)
	if err != nil {
		return pair{}, err
	}
	return pair{m, fb}, nil
}

// glyph is one character placed in a line, in ems relative to line start.
type glyph struct {
	r    rune
	face *typeface
	x    float64
}

type word struct {
	text   string
	glyphs []glyph // x relative to word start
	width  float64 // ems
}

// measure shapes s (no kerning: the bundled fonts kern in GPOS, which the Go
// font stack does not read) and reports runes neither font can draw.
func (p pair) measure(s string, missing map[rune]bool) word {
	w := word{text: s}
	for _, r := range s {
		t := p.main
		a, ok := t.advance(r)
		if !ok {
			t = p.fallback
			if a, ok = t.advance(r); !ok {
				if missing != nil && !unicode.IsControl(r) {
					missing[r] = true
				}
				continue
			}
		}
		w.glyphs = append(w.glyphs, glyph{r: r, face: t, x: w.width})
		w.width += a
	}
	return w
}

// textLine is one laid-out line, in ems.
type textLine struct {
	glyphs []glyph
	width  float64
}

func (l *textLine) add(w word, gap float64) {
	off := l.width
	if len(l.glyphs) > 0 {
		off += gap
	}
	for _, g := range w.glyphs {
		g.x += off
		l.glyphs = append(l.glyphs, g)
	}
	l.width = off + w.width
}

// paragraph is pre-measured text, ready to wrap at any size.
type paragraph struct{ words []word }

type prepared struct {
	pair    pair
	paras   []paragraph
	space   float64
	missing []rune
	runes   int
}

// prepareText normalises to NFC (so "e" + combining acute becomes "é", which
// the fonts have), optionally curls quotes and measures every word once.
func prepareText(p pair, s string, upper, smart bool) prepared {
	s = norm.NFC.String(strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\t", " "))
	if smart {
		s = SmartQuotes(s)
	}
	if upper {
		s = strings.ToUpper(s)
	}
	miss := map[rune]bool{}
	out := prepared{pair: p}
	sp, _ := p.main.advance(' ')
	out.space = sp
	for _, par := range strings.Split(s, "\n") {
		var pp paragraph
		for _, f := range strings.Fields(par) {
			pp.words = append(pp.words, p.measure(f, miss))
			out.runes += len([]rune(f)) + 1
		}
		out.paras = append(out.paras, pp)
	}
	for r := range miss {
		out.missing = append(out.missing, r)
	}
	return out
}

// wrap breaks the text into lines no wider than maxW ems. A word wider
// than the box is split between grapheme clusters so accents stay on
// their letters.
func (t prepared) wrap(maxW float64) []textLine {
	var lines []textLine
	for _, par := range t.paras {
		cur := textLine{}
		for _, w := range par.words {
			if len(cur.glyphs) > 0 && cur.width+t.space+w.width <= maxW {
				cur.add(w, t.space)
				continue
			}
			if len(cur.glyphs) > 0 {
				lines = append(lines, cur)
				cur = textLine{}
			}
			if w.width <= maxW {
				cur.add(w, t.space)
				continue
			}
			for _, part := range t.splitWord(w, maxW) {
				if len(cur.glyphs) > 0 {
					lines = append(lines, cur)
					cur = textLine{}
				}
				cur.add(part, t.space)
			}
		}
		lines = append(lines, cur)
	}
	return lines
}

func (t prepared) splitWord(w word, maxW float64) []word {
	var parts []word
	cur := word{}
	gi := 0
	g := uniseg.NewGraphemes(w.text)
	for g.Next() {
		n := 0
		for _, r := range g.Runes() {
			if gi+n < len(w.glyphs) && w.glyphs[gi+n].r == r {
				n++
			}
		}
		cluster := w.glyphs[gi : gi+n]
		gi += n
		cw := 0.0
		if n > 0 {
			end := w.width
			if gi < len(w.glyphs) {
				end = w.glyphs[gi].x
			}
			cw = end - cluster[0].x
		}
		if len(cur.glyphs) > 0 && cur.width+cw > maxW {
			parts = append(parts, cur)
			cur = word{}
		}
		for _, c := range cluster {
			c.x = cur.width + (c.x - cluster[0].x)
			cur.glyphs = append(cur.glyphs, c)
		}
		cur.width += cw
	}
	if len(cur.glyphs) > 0 {
		parts = append(parts, cur)
	}
	return parts
}

// TextStyle is how a text box looks. Sizes are pixels on a 1080×1080
// canvas and scale with the canvas area.
type TextStyle struct {
	Font        string  `json:"font"` // "heading" or "body"
	Bold        bool    `json:"bold"`
	Italic      bool    `json:"italic"`
	Min         float64 `json:"min"`
	Max         float64 `json:"max"`
	LineHeight  float64 `json:"lineHeight"` // multiple of the size; default 1.25
	Align       string  `json:"align"`      // left, center, right
	VAlign      string  `json:"valign"`     // top, middle, bottom
	Color       string  `json:"color"`      // colour role
	Upper       bool    `json:"upper"`
	SmartQuotes bool    `json:"smartQuotes"`
}

// fitted is text laid out in a box, in output pixels.
type fitted struct {
	lines    []textLine
	size     float64 // px
	lh       float64 // px
	overflow bool
	shown    int // runes shown, to tell the user how much to cut
}

// fit finds the largest size between min and max (whole pixels) at which the
// text fits the w×h box. When even the minimum does not fit it keeps the
// minimum, cuts the text to the lines that fit, ends it with an ellipsis and
// marks the overflow so the preview can say so before export.
func fit(t prepared, w, h, minPx, maxPx, lhf float64) fitted {
	if lhf <= 0 {
		lhf = 1.25
	}
	minPx = math.Max(1, math.Round(minPx))
	maxPx = math.Max(minPx, math.Round(maxPx))
	try := func(px float64) ([]textLine, bool) {
		lines := t.wrap(w / px)
		ok := float64(len(lines))*px*lhf <= h+0.01
		for _, l := range lines {
			if l.width*px > w+0.01 {
				ok = false
			}
		}
		return lines, ok
	}
	if lines, ok := try(maxPx); ok {
		return fitted{lines: lines, size: maxPx, lh: maxPx * lhf, shown: t.runes}
	}
	lines, ok := try(minPx)
	if !ok {
		return truncate(t, lines, w, h, minPx, lhf)
	}
	lo, hi := minPx, maxPx // lo fits, hi does not
	for hi-lo > 1 {
		mid := math.Floor((lo + hi) / 2)
		if l, ok := try(mid); ok {
			lo, lines = mid, l
		} else {
			hi = mid
		}
	}
	return fitted{lines: lines, size: lo, lh: lo * lhf, shown: t.runes}
}

func truncate(t prepared, lines []textLine, w, h, px, lhf float64) fitted {
	lh := px * lhf
	n := min(int(math.Floor((h+0.01)/lh)), len(lines))
	if n <= 0 {
		return fitted{size: px, lh: lh, overflow: true}
	}
	lines = lines[:n]
	last := lines[n-1]
	ell := t.pair.measure("…", nil)
	maxW := w / px
	for len(last.glyphs) > 0 && (last.width+ell.width > maxW || last.glyphs[len(last.glyphs)-1].r == ' ') {
		last.glyphs = last.glyphs[:len(last.glyphs)-1]
		if len(last.glyphs) > 0 {
			g := last.glyphs[len(last.glyphs)-1]
			a, _ := g.face.advance(g.r)
			last.width = g.x + a
		} else {
			last.width = 0
		}
	}
	shown := 0
	for _, l := range lines {
		shown += len(l.glyphs) + 1
	}
	last.add(ell, 0)
	// Cut lines (wider than the box only when a single glyph is) are clipped
	// by the box when drawn.
	out := append(append([]textLine(nil), lines[:n-1]...), last)
	return fitted{lines: out, size: px, lh: lh, overflow: true, shown: shown}
}

// draw paints fitted text into box (output pixels) scaled by k, the ratio
// of the image being drawn to the size the text was fitted for; a preview
// therefore wraps exactly like the export.
func (f fitted) draw(dst *image.RGBA, box image.Rectangle, st TextStyle, col image.Image, k float64, faces *faceCache) {
	if len(f.lines) == 0 {
		return
	}
	size := f.size * k
	lh := f.lh * k
	bw, bh := float64(box.Dx()), float64(box.Dy())
	total := lh * float64(len(f.lines))
	top := float64(box.Min.Y)
	switch st.VAlign {
	case "middle":
		top += (bh - total) / 2
	case "bottom":
		top += bh - total
	}
	clip := dst.SubImage(box.Inset(-int(math.Ceil(size * 0.3)))).(*image.RGBA)
	for i, l := range f.lines {
		if len(l.glyphs) == 0 {
			continue
		}
		main := l.glyphs[0].face
		asc, desc := main.ascent*size, main.descent*size
		base := top + float64(i)*lh + (lh-(asc+desc))/2 + asc
		x0 := float64(box.Min.X)
		switch st.Align {
		case "center":
			x0 += (bw - l.width*size) / 2
		case "right":
			x0 += bw - l.width*size
		}
		for _, g := range l.glyphs {
			face := faces.get(g.face, size)
			if face == nil {
				continue
			}
			dot := fixed.Point26_6{X: fixed.Int26_6(math.Round((x0 + g.x*size) * 64)), Y: fixed.Int26_6(math.Round(base * 64))}
			dr, mask, mp, _, ok := face.Glyph(dot, g.r)
			if !ok {
				continue
			}
			draw.DrawMask(clip, dr, col, image.Point{}, mask, mp, draw.Over)
		}
	}
}

// faceCache holds rasterising faces for one render goroutine (an
// opentype.Face is not safe for concurrent use).
type faceCache struct {
	m map[faceKey]font.Face
}

type faceKey struct {
	t    *typeface
	size float64
}

func (c *faceCache) get(t *typeface, size float64) font.Face {
	k := faceKey{t, size}
	if f := c.m[k]; f != nil {
		return f
	}
	f, err := opentype.NewFace(t.f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil // only for a non-positive size; the glyph is skipped
	}
	if c.m == nil {
		c.m = map[faceKey]font.Face{}
	}
	c.m[k] = f
	return f
}

// SmartQuotes turns typewriter quotes into typographic ones: “…”, ‘…’ and
// the apostrophe ’, deciding opening or closing from the character before.
func SmartQuotes(s string) string {
	var b strings.Builder
	prev := ' '
	for _, r := range s {
		switch r {
		case '"':
			if opens(prev) {
				r = '“'
			} else {
				r = '”'
			}
		case '\'':
			if opens(prev) {
				r = '‘'
			} else {
				r = '’'
			}
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

func opens(prev rune) bool {
	return unicode.IsSpace(prev) || strings.ContainsRune("([{“‘—–-", prev)
}
