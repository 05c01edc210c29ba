package studio

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"

	"practicepost/app"
)

// Budgets are the largest image each platform accepts, in bytes, from
// platform-contracts.md and compliance.md §5 (the stricter figure where
// sources disagree).
var Budgets = map[string]int{
	"bluesky":   1_000_000,  // lexicon embed.images maxSize
	"instagram": 8 << 20,    // "less than 8 MiB"
	"x":         5_000_000,  // 5 MB for photos
	"facebook":  4_000_000,  // keep < 4 MB (photo upload guidance)
	"linkedin":  5_000_000,  // sources say 5–8 MB; keep under 5 MB
	"google":    5_000_000,  // GBP 10 KB–5 MB
	"mastodon":  16_777_216, // instance default; the connector should pass the instance's own limit
}

// Format is an export file type.
type Format string

const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
)

// Export says how to encode. MaxBytes 0 means no budget.
type Export struct {
	Format   Format `json:"format"`
	Quality  int    `json:"quality"` // JPEG start quality; 0 means 88
	MaxBytes int    `json:"maxBytes"`
}

// ExportFor is the usual export for a platform: JPEG q88 within its budget.
func ExportFor(platform string) Export {
	return Export{Format: JPEG, Quality: 88, MaxBytes: Budgets[platform]}
}

// minQuality is where stepping down stops: below it JPEG artefacts show on
// text edges, so the user gets an error instead of an ugly post.
const minQuality = 50

// encode writes img without any metadata (the encoders write none), in sRGB
// as the pixels already are, stepping JPEG quality down to meet MaxBytes.
func encode(img *image.RGBA, ex Export, what string) ([]byte, int, string, error) {
	var buf bytes.Buffer
	if ex.Format == PNG {
		enc := png.Encoder{CompressionLevel: png.BestSpeed}
		if err := enc.Encode(&buf, img); err != nil {
			return nil, 0, "", app.Internal(err, "The image could not be saved.")
		}
		if ex.MaxBytes > 0 && buf.Len() > ex.MaxBytes {
			return nil, 0, "", app.Errorf(app.EINVALID, "The %s PNG is %s, more than the %s allowed. Export as JPEG instead.", what, mb(buf.Len()), mb(ex.MaxBytes))
		}
		return buf.Bytes(), 0, "image/png", nil
	}
	q := ex.Quality
	if q <= 0 || q > 100 {
		q = 88
	}
	for {
		buf.Reset()
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
			return nil, 0, "", app.Internal(err, "The image could not be saved.")
		}
		if ex.MaxBytes <= 0 || buf.Len() <= ex.MaxBytes {
			return append([]byte(nil), buf.Bytes()...), q, "image/jpeg", nil
		}
		if q <= minQuality {
			return nil, 0, "", app.Errorf(app.EINVALID, "The %s image is still %s at the lowest quality PracticePost uses, more than the %s allowed. Choose a plainer background or a different photo.", what, mb(buf.Len()), mb(ex.MaxBytes))
		}
		// Bigger first steps: most images land within two.
		step := 6
		if q <= 70 {
			step = 5
		}
		q = max(q-step, minQuality)
	}
}

func mb(n int) string { return fmt.Sprintf("%.2f MB", float64(n)/1e6) }
