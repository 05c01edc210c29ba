package studio

import (
	"image"
	"math"
)

// RedactMode says how a redaction box hides what is under it.
type RedactMode string

const (
	RedactBlur     RedactMode = "blur"
	RedactPixelate RedactMode = "pixelate"
)

// Redaction hides a region of the upright photo (relative coordinates).
type Redaction struct {
	Box  Rect       `json:"box"`
	Mode RedactMode `json:"mode"`
}

// redact returns a copy of m with every box destroyed. It runs on the
// source planes before cropping or scaling, so no output, at any size, is
// made from the original pixels. Both modes first average the box down to a
// few coarse blocks: a blur alone can be partly reversed by deconvolution,
// an average of a whole block cannot.
func redact(m *image.YCbCr, o Orientation, red []Redaction) *image.YCbCr {
	out := &image.YCbCr{
		Y: append([]uint8(nil), m.Y...), Cb: append([]uint8(nil), m.Cb...), Cr: append([]uint8(nil), m.Cr...),
		YStride: m.YStride, CStride: m.CStride, SubsampleRatio: m.SubsampleRatio, Rect: m.Rect,
	}
	yp, cbp, crp := yccPlanes(out)
	for _, rd := range red {
		r := rawRect(o, clampRect(rd.Box))
		if r.W <= 0 || r.H <= 0 {
			continue
		}
		for _, p := range []plane{yp, cbp, crp} {
			pr := image.Rect(int(math.Floor(r.X*float64(p.w))), int(math.Floor(r.Y*float64(p.h))),
				int(math.Ceil((r.X+r.W)*float64(p.w))), int(math.Ceil((r.Y+r.H)*float64(p.h))))
			pr = pr.Intersect(image.Rect(0, 0, p.w, p.h))
			if pr.Empty() {
				continue
			}
			long := max(pr.Dx(), pr.Dy())
			if rd.Mode == RedactPixelate {
				pixelate(p, pr, max(2, (long+5)/6))
			} else {
				block := max(2, (long+3)/4)
				pixelate(p, pr, block)
				boxBlur(p.pix, p.stride, 1, pr, block/2, 3)
			}
		}
	}
	return out
}

func clampRect(r Rect) Rect {
	x0, y0 := math.Max(r.X, 0), math.Max(r.Y, 0)
	x1, y1 := math.Min(r.X+r.W, 1), math.Min(r.Y+r.H, 1)
	return Rect{X: x0, Y: y0, W: math.Max(x1-x0, 0), H: math.Max(y1-y0, 0)}
}

// pixelate replaces each block×block cell of r with its mean.
func pixelate(p plane, r image.Rectangle, block int) {
	for by := r.Min.Y; by < r.Max.Y; by += block {
		for bx := r.Min.X; bx < r.Max.X; bx += block {
			ey, ex := min(by+block, r.Max.Y), min(bx+block, r.Max.X)
			var sum, n uint64
			for y := by; y < ey; y++ {
				for _, v := range p.pix[y*p.stride+bx : y*p.stride+ex] {
					sum += uint64(v)
				}
				n += uint64(ex - bx)
			}
			mean := uint8((sum + n/2) / n)
			for y := by; y < ey; y++ {
				row := p.pix[y*p.stride+bx : y*p.stride+ex]
				for i := range row {
					row[i] = mean
				}
			}
		}
	}
}

// boxBlur runs passes of a (2*radius+1) box filter over rectangle r of an
// interleaved image with bpp bytes per pixel. Three passes approximate a
// Gaussian at a fraction of its cost; only pixels inside r are read.
func boxBlur(pix []uint8, stride, bpp int, r image.Rectangle, radius, passes int) {
	if radius < 1 || r.Empty() {
		return
	}
	w, h := r.Dx(), r.Dy()
	buf := make([]uint8, max(w, h))
	channels := bpp
	if bpp == 4 {
		channels = 3 // the canvas is opaque: alpha stays 255
	}
	for range passes {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for c := 0; c < channels; c++ {
				blurLine(pix, y*stride+r.Min.X*bpp+c, bpp, w, radius, buf)
			}
		}
		for x := r.Min.X; x < r.Max.X; x++ {
			for c := 0; c < channels; c++ {
				blurLine(pix, r.Min.Y*stride+x*bpp+c, stride, h, radius, buf)
			}
		}
	}
}

// blurLine blurs n samples starting at off, step apart, replicating edges.
func blurLine(pix []uint8, off, step, n, radius int, buf []uint8) {
	buf = buf[:n]
	for i := range buf {
		buf[i] = pix[off+i*step]
	}
	div := uint32(2*radius + 1)
	inv := (uint32(1<<24) + div/2) / div
	sum := uint32(buf[0]) * uint32(radius+1)
	for i := 1; i <= radius; i++ {
		sum += uint32(buf[min(i, n-1)])
	}
	for i := 0; i < n; i++ {
		pix[off+i*step] = uint8((uint64(sum)*uint64(inv) + 1<<23) >> 24)
		sum += uint32(buf[min(i+radius+1, n-1)])
		sum -= uint32(buf[max(i-radius, 0)])
	}
}
