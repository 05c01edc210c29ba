package studio

import (
	"image"
	"math"
)

// The resizer works on single 8-bit planes (Y, Cb, Cr or one RGBA channel
// run) with fixed-point weights. Resizing the decoder's YCbCr planes before
// converting to RGB touches 1.5 samples per pixel for 4:2:0 instead of 4,
// which is most of why the studio meets its time budget in pure Go.

const wBits = 14

// plane is one 8-bit channel.
type plane struct {
	pix    []uint8
	w, h   int
	stride int
}

// taps holds, for every output index, the first source index and weights.
type taps struct {
	start []int32
	n     int // weights per output index (padded with zeros)
	w     []int32
}

// catmullRom is a sharp cubic (B=0, C=0.5) that avoids Lanczos' ringing on
// hard edges such as logos in photos and costs 4 taps per unit of scale.
func catmullRom(x float64) float64 {
	x = math.Abs(x)
	switch {
	case x < 1:
		return (1.5*x-2.5)*x*x + 1
	case x < 2:
		return ((-0.5*x+2.5)*x-4)*x + 2
	}
	return 0
}

// makeTaps maps out output samples onto the source span [s0, s0+sl) of a
// plane of size size, clamping at the plane's edges.
func makeTaps(out int, s0, sl float64, size int) taps {
	scale := float64(out) / sl
	support := 2.0
	if scale < 1 {
		support /= scale
	}
	n := int(math.Ceil(support))*2 + 1
	t := taps{start: make([]int32, out), n: n, w: make([]int32, out*n)}
	fw := make([]float64, n)
	for i := 0; i < out; i++ {
		c := s0 + (float64(i)+0.5)/scale - 0.5
		first := int(math.Floor(c-support)) + 1
		if first < 0 {
			first = 0
		}
		if first > size-n {
			first = max(size-n, 0)
		}
		var sum float64
		for k := 0; k < n; k++ {
			x := float64(first + k)
			v := 0.0
			if first+k < size {
				d := x - c
				if scale < 1 {
					d *= scale
				}
				v = catmullRom(d)
			}
			fw[k] = v
			sum += v
		}
		t.start[i] = int32(first)
		if sum == 0 {
			fw[0], sum = 1, 1
		}
		acc := int32(0)
		for k := 0; k < n; k++ {
			q := int32(math.Round(fw[k] / sum * (1 << wBits)))
			t.w[i*n+k] = q
			acc += q
		}
		// Put the rounding residue on the centre tap so flat areas stay flat.
		mid := int(math.Round(c)) - first
		mid = min(max(mid, 0), n-1)
		t.w[i*n+mid] += (1 << wBits) - acc
	}
	return t
}

func clamp8(v int32) uint8 {
	v = (v + 1<<(wBits-1)) >> wBits
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}

// resizePlane resamples the float rectangle r (in src pixels) to dw×dh.
func resizePlane(src plane, r rectF, dw, dh int) plane {
	ht := makeTaps(dw, r.x, r.w, src.w)
	vt := makeTaps(dh, r.y, r.h, src.h)
	// Only rows the vertical pass reads are filtered horizontally.
	y0 := int(vt.start[0])
	y1 := int(vt.start[dh-1]) + vt.n
	if y1 > src.h {
		y1 = src.h
	}
	rows := y1 - y0
	tmp := make([]uint8, rows*dw)
	n := ht.n
	for y := 0; y < rows; y++ {
		row := src.pix[(y0+y)*src.stride : (y0+y)*src.stride+src.w]
		out := tmp[y*dw : y*dw+dw]
		for x := range out {
			s := int(ht.start[x])
			w := ht.w[x*n : x*n+n]
			px := row[s:]
			px = px[:min(len(px), n)]
			var acc int32
			for k, p := range px {
				acc += int32(p) * w[k]
			}
			out[x] = clamp8(acc)
		}
	}
	dst := plane{pix: make([]uint8, dw*dh), w: dw, h: dh, stride: dw}
	acc := make([]int32, dw)
	n = vt.n
	for y := 0; y < dh; y++ {
		s := int(vt.start[y]) - y0
		w := vt.w[y*n : y*n+n]
		clear(acc)
		for k, wk := range w {
			if wk == 0 || s+k >= rows {
				continue
			}
			row := tmp[(s+k)*dw : (s+k)*dw+dw]
			for x, p := range row {
				acc[x] += int32(p) * wk
			}
		}
		out := dst.pix[y*dw : y*dw+dw]
		for x := range out {
			out[x] = clamp8(acc[x])
		}
	}
	return dst
}

// rectF is a rectangle in (possibly fractional) pixels.
type rectF struct{ x, y, w, h float64 }

// yccPlanes returns the three planes of m and the chroma scale factors.
func yccPlanes(m *image.YCbCr) (y, cb, cr plane) {
	b := m.Rect
	cw, ch := chromaSize(m)
	y = plane{pix: m.Y, w: b.Dx(), h: b.Dy(), stride: m.YStride}
	cb = plane{pix: m.Cb, w: cw, h: ch, stride: m.CStride}
	cr = plane{pix: m.Cr, w: cw, h: ch, stride: m.CStride}
	return
}

func chromaSize(m *image.YCbCr) (int, int) {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		return (w + 1) / 2, h
	case image.YCbCrSubsampleRatio420:
		return (w + 1) / 2, (h + 1) / 2
	case image.YCbCrSubsampleRatio440:
		return w, (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		return (w + 3) / 4, h
	case image.YCbCrSubsampleRatio410:
		return (w + 3) / 4, (h + 1) / 2
	}
	return w, h
}

// resizeToRGBA crops r (luma pixels) out of m and scales it to dw×dh RGBA.
func resizeToRGBA(m *image.YCbCr, r rectF, dw, dh int) *image.RGBA {
	yp, cbp, crp := yccPlanes(m)
	sx := float64(cbp.w) / float64(yp.w)
	sy := float64(cbp.h) / float64(yp.h)
	cr := rectF{r.x * sx, r.y * sy, r.w * sx, r.h * sy}
	// Chroma is filtered at half the output resolution and repeated over
	// 2×2 pixels: JPEG stores 4:2:0 anyway, and it saves three quarters of
	// the chroma work.
	Y := resizePlane(yp, r, dw, dh)
	cw, ch := (dw+1)/2, (dh+1)/2
	Cb := resizePlane(cbp, cr, cw, ch)
	Cr := resizePlane(crp, cr, cw, ch)
	out := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		c := (y / 2) * cw
		yccRowToRGBA(out.Pix[y*out.Stride:y*out.Stride+dw*4], Y.pix[y*dw:y*dw+dw], Cb.pix[c:c+cw], Cr.pix[c:c+cw])
	}
	return out
}

// yccRowToRGBA converts one row whose chroma is at half horizontal
// resolution (color.YCbCrToRGB inlined, JFIF full range).
func yccRowToRGBA(dst, ys, cbs, crs []uint8) {
	for i, yv := range ys {
		yy1 := int32(yv) * 0x10101
		cb1 := int32(cbs[i/2]) - 128
		cr1 := int32(crs[i/2]) - 128
		d := dst[i*4 : i*4+4]
		d[0] = clip16(yy1 + 91881*cr1)
		d[1] = clip16(yy1 - 22554*cb1 - 46802*cr1)
		d[2] = clip16(yy1 + 116130*cb1)
		d[3] = 0xFF
	}
}

func clip16(v int32) uint8 {
	if uint32(v)&0xff000000 == 0 {
		return uint8(v >> 16)
	}
	return uint8(^(v >> 31))
}

// shrink2 halves a YCbCr image with a 2×2 box filter. It is the shared
// pre-shrink: every target that needs at most half the source resolution
// reads this instead of the full image, which halves the filter work.
func shrink2(m *image.YCbCr) *image.YCbCr {
	w, h := m.Rect.Dx()/2, m.Rect.Dy()/2
	out := image.NewYCbCr(image.Rect(0, 0, w, h), m.SubsampleRatio)
	yp, cbp, crp := yccPlanes(m)
	oy, ocb, ocr := yccPlanes(out)
	box2(yp, oy)
	box2(cbp, ocb)
	box2(crp, ocr)
	return out
}

func box2(src, dst plane) {
	for y := 0; y < dst.h; y++ {
		sy := min(2*y, src.h-2)
		if sy < 0 {
			sy = 0
		}
		r0 := src.pix[sy*src.stride:]
		r1 := r0
		if src.h > 1 {
			r1 = src.pix[(sy+1)*src.stride:]
		}
		out := dst.pix[y*dst.stride : y*dst.stride+dst.w]
		for x := range out {
			sx := min(2*x, src.w-2)
			if sx < 0 {
				sx = 0
			}
			sx1 := min(sx+1, src.w-1)
			out[x] = uint8((uint32(r0[sx]) + uint32(r0[sx1]) + uint32(r1[sx]) + uint32(r1[sx1]) + 2) >> 2)
		}
	}
}

// resizeYCbCr scales a whole YCbCr image, keeping its subsampling.
func resizeYCbCr(m *image.YCbCr, dw, dh int) *image.YCbCr {
	out := image.NewYCbCr(image.Rect(0, 0, dw, dh), m.SubsampleRatio)
	yp, cbp, crp := yccPlanes(m)
	oy, ocb, ocr := yccPlanes(out)
	copyPlane(oy, resizePlane(yp, rectF{0, 0, float64(yp.w), float64(yp.h)}, oy.w, oy.h))
	copyPlane(ocb, resizePlane(cbp, rectF{0, 0, float64(cbp.w), float64(cbp.h)}, ocb.w, ocb.h))
	copyPlane(ocr, resizePlane(crp, rectF{0, 0, float64(crp.w), float64(crp.h)}, ocr.w, ocr.h))
	return out
}

func copyPlane(dst, src plane) {
	for y := 0; y < dst.h; y++ {
		copy(dst.pix[y*dst.stride:y*dst.stride+dst.w], src.pix[y*src.stride:y*src.stride+src.w])
	}
}

// orientRGBA turns a small output the way its EXIF orientation asks. The
// index of display pixel (x, y) in the stored image is base + x*dx + y*dy.
func orientRGBA(m *image.RGBA, o Orientation) *image.RGBA {
	if o <= 1 || o > 8 {
		return m
	}
	W, H := m.Rect.Dx(), m.Rect.Dy()
	s := m.Stride
	ow, oh := W, H
	if o >= 5 {
		ow, oh = H, W
	}
	var base, dx, dy int
	switch o {
	case 2:
		base, dx, dy = (W-1)*4, -4, s
	case 3:
		base, dx, dy = (H-1)*s+(W-1)*4, -4, -s
	case 4:
		base, dx, dy = (H-1)*s, 4, -s
	case 5:
		base, dx, dy = 0, s, 4
	case 6:
		base, dx, dy = (H-1)*s, -s, 4
	case 7:
		base, dx, dy = (H-1)*s+(W-1)*4, -s, -4
	case 8:
		base, dx, dy = (W-1)*4, s, -4
	}
	out := image.NewRGBA(image.Rect(0, 0, ow, oh))
	for y := 0; y < oh; y++ {
		i := base + y*dy
		row := out.Pix[y*out.Stride : y*out.Stride+ow*4]
		for x := 0; x < ow; x++ {
			copy(row[x*4:x*4+4], m.Pix[i:i+4])
			i += dx
		}
	}
	return out
}

// toRaw maps a point in display coordinates (0..1, after orientation) to
// stored coordinates (0..1, as decoded).
func toRaw(o Orientation, u, v float64) (float64, float64) {
	switch o {
	case 2:
		return 1 - u, v
	case 3:
		return 1 - u, 1 - v
	case 4:
		return u, 1 - v
	case 5:
		return v, u
	case 6:
		return v, 1 - u
	case 7:
		return 1 - v, 1 - u
	case 8:
		return 1 - v, u
	}
	return u, v
}

// rawRect maps a display-space rectangle (0..1) to stored space (0..1).
func rawRect(o Orientation, r Rect) Rect {
	x0, y0 := toRaw(o, r.X, r.Y)
	x1, y1 := toRaw(o, r.X+r.W, r.Y+r.H)
	return Rect{X: math.Min(x0, x1), Y: math.Min(y0, y1), W: math.Abs(x1 - x0), H: math.Abs(y1 - y0)}
}
