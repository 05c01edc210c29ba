package app

import "math"

// DesignSize picks, from the kept sizes of one Studio design, the one a post
// to p carries: the size p's descriptor names (PlatformInfo.Size). When the
// design has not kept that size (a size deleted from the library, or an
// image kept before PracticePost made it), the kept size closest in shape
// to p's feed goes instead and exact is false, so the caller says so: a
// channel never gets another shape silently. Among sizes of the same shape
// the larger wins. ok is false when sizes is empty.
func DesignSize(p Platform, sizes []Media) (m Media, exact, ok bool) {
	if len(sizes) == 0 {
		return Media{}, false, false
	}
	want, aspect := "", 1.0 // an unknown platform: the square, which every platform takes
	if d, known := p.Info(); known {
		want, aspect = d.Size, d.FeedAspect
	} else {
		want = "square"
	}
	for _, s := range sizes {
		if s.SizeID == want {
			return s, true, true
		}
	}
	best, bestGap := sizes[0], math.Inf(1)
	for _, s := range sizes {
		if s.Width <= 0 || s.Height <= 0 {
			continue
		}
		// Shapes are compared as ratios (log), so 4:5 is as far from 1:1 as 5:4.
		gap := math.Abs(math.Log(float64(s.Width)/float64(s.Height)) - math.Log(aspect))
		if gap < bestGap-1e-9 || (math.Abs(gap-bestGap) <= 1e-9 && s.Width*s.Height > best.Width*best.Height) {
			best, bestGap = s, gap
		}
	}
	return best, false, true
}

// PostImage is one of a draft's images as the post to one platform carries it.
type PostImage struct {
	DraftMedia
	// SizeID, Width and Height are the design's size this platform gets;
	// empty for a plain image, which goes as it is.
	SizeID string `json:"sizeId"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	// Wanted is the size the platform takes when the design has not kept
	// it and the closest kept size goes instead; "" otherwise.
	Wanted string `json:"wanted"`
}

// ImagesFor is what d's images are on platform p. A design (DraftMedia.SetID)
// goes in the size p takes (DesignSize), chosen from sets, its kept sizes by
// set id; the draft's alt text goes with every size. A design none of whose
// sizes is kept any more, and a plain image, go as chosen: the gate then
// judges the image as it is.
func (d Draft) ImagesFor(p Platform, sets map[string][]Media) []PostImage {
	out := make([]PostImage, 0, len(d.Media))
	for _, dm := range d.Media {
		img := PostImage{DraftMedia: dm}
		if dm.SetID != "" {
			if m, exact, ok := DesignSize(p, sets[dm.SetID]); ok {
				img.MediaID, img.SHA256 = m.ID, m.SHA256
				img.SizeID, img.Width, img.Height = m.SizeID, m.Width, m.Height
				if !exact {
					img.Wanted = p.wantedSize()
				}
			}
		}
		out = append(out, img)
	}
	return out
}

func (p Platform) wantedSize() string {
	if d, ok := p.Info(); ok {
		return d.Size
	}
	return "square"
}
