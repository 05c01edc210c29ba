package studio

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"strconv"

	"practicepost/app"
)

// palette maps colour roles to colours for one brand kit.
type palette map[string]color.RGBA

func parseHex(s string) (color.RGBA, bool) {
	if len(s) != 7 || s[0] != '#' {
		return color.RGBA{}, false
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return color.RGBA{}, false
	}
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}, true
}

func hexOf(c color.RGBA) string {
	const d = "0123456789ABCDEF"
	return string([]byte{'#', d[c.R>>4], d[c.R&15], d[c.G>>4], d[c.G&15], d[c.B>>4], d[c.B&15]})
}

// newPalette resolves the brand colours; an unset or invalid colour falls
// back to the default kit so a half-filled brand kit still renders.
func newPalette(b app.BrandKit) palette {
	def := app.DefaultBrandKit().Colors
	pick := func(v, d string) color.RGBA {
		if c, ok := parseHex(v); ok {
			return c
		}
		c, _ := parseHex(d)
		return c
	}
	p := palette{
		"primary":    pick(b.Colors.Primary, def.Primary),
		"secondary":  pick(b.Colors.Secondary, def.Secondary),
		"accent":     pick(b.Colors.Accent, def.Accent),
		"text":       pick(b.Colors.Text, def.Text),
		"background": pick(b.Colors.Background, def.Background),
		"white":      {255, 255, 255, 255},
		"black":      {0, 0, 0, 255},
	}
	// "onX" is whichever of white and the text colour reads better on X.
	for _, r := range []string{"primary", "secondary", "accent", "background"} {
		p["on"+string(r[0]-32)+r[1:]] = readable(p, p[r])
	}
	return p
}

func readable(p palette, bg color.RGBA) color.RGBA {
	w, _ := app.ContrastRatio("#FFFFFF", hexOf(bg))
	t, _ := app.ContrastRatio(hexOf(p["text"]), hexOf(bg))
	if w >= t {
		return p["white"]
	}
	return p["text"]
}

func (p palette) color(role string) color.RGBA {
	if c, ok := p[role]; ok {
		return c
	}
	if c, ok := parseHex(role); ok {
		return c
	}
	return p["text"]
}

// fillRect paints a solid or gradient Paint over r, blending by opacity.
func fillRect(dst *image.RGBA, r image.Rectangle, pt Paint, p palette) {
	r = r.Intersect(dst.Rect)
	if r.Empty() {
		return
	}
	op := pt.Opacity
	if op <= 0 || op > 1 {
		op = 1
	}
	c0 := p.color(pt.Color)
	if pt.To == "" {
		if op == 1 {
			draw.Draw(dst, r, image.NewUniform(c0), image.Point{}, draw.Src)
			return
		}
		a := uint32(op*256 + 0.5)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			row := dst.Pix[dst.PixOffset(r.Min.X, y):dst.PixOffset(r.Max.X, y)]
			for i := 0; i < len(row); i += 4 {
				row[i] = blend(row[i], c0.R, a)
				row[i+1] = blend(row[i+1], c0.G, a)
				row[i+2] = blend(row[i+2], c0.B, a)
			}
		}
		return
	}
	c1 := p.color(pt.To)
	th := pt.Angle * math.Pi / 180
	dx, dy := math.Cos(th), math.Sin(th)
	// Project corners onto the gradient axis so t runs 0..1 across r.
	w, h := float64(r.Dx()), float64(r.Dy())
	span := math.Abs(dx)*w + math.Abs(dy)*h
	cx, cy := float64(r.Min.X)+w/2, float64(r.Min.Y)+h/2
	a := uint32(op*256 + 0.5)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := dst.Pix[dst.PixOffset(r.Min.X, y):dst.PixOffset(r.Max.X, y)]
		for i := 0; i < len(row); i += 4 {
			x := float64(r.Min.X + i/4)
			t := ((x+0.5-cx)*dx+(float64(y)+0.5-cy)*dy)/span + 0.5
			t = math.Min(math.Max(t, 0), 1)
			k := uint32(t*256 + 0.5)
			row[i] = blend(row[i], blend(c0.R, c1.R, k), a)
			row[i+1] = blend(row[i+1], blend(c0.G, c1.G, k), a)
			row[i+2] = blend(row[i+2], blend(c0.B, c1.B, k), a)
		}
	}
}

// blend mixes a towards b by k/256.
func blend(a, b uint8, k uint32) uint8 {
	return uint8((uint32(a)*(256-k) + uint32(b)*k + 128) >> 8)
}

// circleMask is an anti-aliased disc filling r's largest inscribed circle.
func circleMask(w, h int) *image.Alpha {
	m := image.NewAlpha(image.Rect(0, 0, w, h))
	cx, cy := float64(w)/2, float64(h)/2
	rad := math.Min(cx, cy)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			d := math.Hypot(float64(x)+0.5-cx, float64(y)+0.5-cy)
			v := math.Min(math.Max(rad-d+0.5, 0), 1)
			m.Pix[y*m.Stride+x] = uint8(v*255 + 0.5)
		}
	}
	return m
}
