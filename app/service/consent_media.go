package service

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"

	"practicepost/app"
	"practicepost/app/store"
	"practicepost/app/studio"
)

// PhotoLimits bound the photos a testimonial or consent covers.
var PhotoLimits = app.ImageLimits{MaxBytes: 30 << 20, MaxWidth: 12000, MaxHeight: 12000, MaxPixels: 80_000_000, Formats: []string{"jpeg", "png"}}

// MediaView is a stored photo, video or recording.
type MediaView struct {
	SHA256 string `json:"sha256"`
	URL    string `json:"url"`
	Kind   string `json:"kind"` // "photo", "video" or "audio": the kind the file can be attached as
	MIME   string `json:"mime"`
	Size   int    `json:"size"`
	Width  int    `json:"width"` // 0 for a video or recording
	Height int    `json:"height"`
}

func decodeUpload(dataBase64 string, maxBytes int, what string) ([]byte, error) {
	if len(dataBase64) > maxBytes/3*4+8 {
		return nil, app.Errorf(app.EINVALID, "%s is larger than %d MB. Save a smaller copy and try again.", what, maxBytes>>20)
	}
	if i := strings.Index(dataBase64, ","); i >= 0 && strings.HasPrefix(dataBase64, "data:") {
		dataBase64 = dataBase64[i+1:]
	}
	data, err := base64.StdEncoding.DecodeString(dataBase64)
	if err != nil {
		return nil, app.Errorf(app.EINVALID, "%s could not be read. Choose it again.", what)
	}
	return data, nil
}

func fileWhat(fileName, fallback string) string {
	if n := strings.TrimSpace(fileName); n != "" {
		return "The file " + n[strings.LastIndexAny(n, `/\`)+1:]
	}
	return fallback
}

// UploadMedia checks and stores a photo, video or recording the consent
// will cover. The kind is judged from the bytes, never from the file name.
func (s *ConsentService) UploadMedia(fileName, dataBase64 string) (MediaView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (MediaView, error) {
		what := fileWhat(fileName, "The file")
		// Refused before decoding, with the advice that suits a clip: nothing
		// this large can be a photo either.
		if len(dataBase64) > app.AVMaxBytes/3*4+64 {
			return MediaView{}, app.AVTooLarge(what, len(dataBase64)/4*3)
		}
		data, err := decodeUpload(dataBase64, app.AVMaxBytes, what)
		if err != nil {
			return MediaView{}, err
		}
		var v MediaView
		switch {
		case app.SniffAV(data) != "":
			info, err := app.InspectAV(data, what)
			if err != nil {
				return MediaView{}, err
			}
			v = MediaView{SHA256: info.SHA256, Kind: info.Kind, MIME: info.MIME, Size: info.Size}
		case strings.HasPrefix(http.DetectContentType(data), "image/"):
			if _, err := app.InspectImage(data, PhotoLimits, what); err != nil {
				return MediaView{}, err
			}
			// A patient's photo loses its camera and location data (EXIF, GPS,
			// XMP, IPTC) here, before it is hashed: the consent then covers, and
			// the patient sees, exactly the clean file. Photos already signed
			// are never touched, as their hash is evidence.
			if data, err = studio.StripMetadata(data); err != nil {
				return MediaView{}, app.Errorf(app.EINVALID, "%s: %s", what, app.ErrorMessage(err))
			}
			info, err := app.InspectImage(data, PhotoLimits, what)
			if err != nil {
				return MediaView{}, err
			}
			v = MediaView{SHA256: info.SHA256, Kind: "photo", MIME: info.MIME, Size: info.Size, Width: info.Width, Height: info.Height}
		case len(data) == 0:
			return MediaView{}, app.Errorf(app.EINVALID, "%s is empty. PracticePost accepts %s.", what, app.AcceptedMedia)
		default:
			return MediaView{}, app.Errorf(app.EINVALID, "%s is not a photo, video or recording PracticePost can read (it may be damaged, or another kind of file renamed). PracticePost accepts %s.", what, app.AcceptedMedia)
		}
		err = db.Tx(ctx, func(tx *store.Tx) error {
			_, err := tx.PutBlob(ctx, data, v.MIME, v.Width, v.Height)
			return err
		})
		if err != nil {
			return MediaView{}, err
		}
		v.URL = MediaURL(v.SHA256)
		return v, nil
	})
}
