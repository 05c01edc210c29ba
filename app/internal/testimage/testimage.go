// Package testimage makes the photo-like images tests send to the fake
// platforms and the image pipeline. Tests only; it lives in app/internal,
// not in a test helper of one area, because the connector, queue and
// service tests all need it.
package testimage

import (
	"bytes"
	"image"
	"image/jpeg"
	"testing"
)

// NoisyJPEG encodes a w×h image of pseudo-random pixels (the same for
// every call): noise does not compress, so it is as heavy as a real photo,
// and the sizes a platform checks (Google's 10 KB minimum, Bluesky's 1 MB
// cap) are a photo's, not a blank image's few hundred bytes.
func NoisyJPEG(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	seed := uint32(7)
	for i := range img.Pix {
		seed = seed*1664525 + 1013904223
		img.Pix[i] = uint8(seed >> 24)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
