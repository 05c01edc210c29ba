package studio

import (
	"image"
	"math"
	"sync"
)

// Point is a relative position, 0..1 from the top left of the upright photo.
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// Rect is a relative rectangle, 0..1 of the upright photo or the canvas.
type Rect struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
	W float64 `json:"w"`
	H float64 `json:"h"`
}

// pyramid is a source ready to crop: the base image (full or working copy,
// already redacted) plus halved copies made on first use and shared by all
// targets of one render.
type pyramid struct {
	orient Orientation
	levels [3]*image.YCbCr
	once   [3]sync.Once
}

func newPyramid(base *image.YCbCr, o Orientation) *pyramid {
	p := &pyramid{orient: o}
	p.levels[0] = base
	return p
}

func (p *pyramid) level(l int) *image.YCbCr {
	for i := 1; i <= l; i++ {
		p.once[i].Do(func() { p.levels[i] = shrink2(p.level(i - 1)) })
	}
	return p.levels[l]
}

// displaySize is the upright size of the base image.
func (p *pyramid) displaySize() (float64, float64) {
	w, h := float64(p.levels[0].Rect.Dx()), float64(p.levels[0].Rect.Dy())
	if p.orient >= 5 {
		return h, w
	}
	return w, h
}

// focalCrop is the largest window of aspect a (w/h) inside a W×H image that
// keeps the focal point f, as centred on it as the edges allow.
func focalCrop(W, H, a float64, f Point) Rect {
	f.X = math.Min(math.Max(f.X, 0), 1)
	f.Y = math.Min(math.Max(f.Y, 0), 1)
	cw, ch := W, H
	if W/H > a {
		cw = H * a
	} else {
		ch = W / a
	}
	x := math.Min(math.Max(f.X*W-cw/2, 0), W-cw)
	y := math.Min(math.Max(f.Y*H-ch/2, 0), H-ch)
	return Rect{X: x / W, Y: y / H, W: cw / W, H: ch / H}
}

// cropFill returns a dw×dh upright RGBA image filled by the photo, cropped
// around the focal point. It reads the smallest pyramid level that still
// has at least the output's resolution.
func (p *pyramid) cropFill(f Point, dw, dh int) *image.RGBA {
	W, H := p.displaySize()
	c := focalCrop(W, H, float64(dw)/float64(dh), f)
	s := float64(dw) / (c.W * W) // output pixels per base pixel
	l := 0
	for l < 2 && s*float64(int(1)<<(l+1)) <= 1 {
		l++
	}
	m := p.level(l)
	r := rawRect(p.orient, c)
	mw, mh := float64(m.Rect.Dx()), float64(m.Rect.Dy())
	px := rectF{r.X * mw, r.Y * mh, r.W * mw, r.H * mh}
	rw, rh := dw, dh
	if p.orient >= 5 {
		rw, rh = dh, dw
	}
	return orientRGBA(resizeToRGBA(m, px, rw, rh), p.orient)
}

// pyramidFor returns the pyramid of s for a render, redacted when asked.
// Redaction-free pyramids are cached on the source so repeated previews and
// exports share their halved levels.
func (s *Source) pyramidFor(preview bool, red []Redaction) *pyramid {
	base := s.full
	if preview {
		base = s.work
	}
	if len(red) == 0 {
		s.mu.Lock()
		defer s.mu.Unlock()
		if p := s.cached[preview]; p != nil {
			return p
		}
		p := newPyramid(base, s.orient)
		s.cached[preview] = p
		return p
	}
	return newPyramid(redact(base, s.orient, red), s.orient)
}
