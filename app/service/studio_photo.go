package service

import (
	"context"
	"encoding/base64"
	"errors"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"practicepost/app"
	"practicepost/app/studio"
)

// StudioPhoto describes a photo opened for editing.
type StudioPhoto struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Format string `json:"format"`
	Width  int    `json:"width"` // upright, after the camera's orientation is applied
	Height int    `json:"height"`
	Bytes  int    `json:"bytes"`
	// Source is where the photo came from; SourceLabel says it in words.
	Source      app.ImageSource `json:"source"`
	SourceLabel string          `json:"sourceLabel"`
}

var studioDataURLPrefix = regexp.MustCompile(`^data:[^,]*,`)

// UploadPhoto opens a photo from the computer for this editing session.
// declared says what it shows, as the manager declares it: one of
// app.SourceDeclarations (team, premises, stock, illustration). A photo of a
// patient is never added this way: it is chosen from the patient's signed
// consent (PhotoFromConsent), so the consent is checked wherever it is used.
// The size is checked before the base64 is decoded and the header before
// the pixels are, so a huge or hostile file is refused cheaply.
func (s *StudioService) UploadPhoto(fileName, dataBase64, declared string) (StudioPhoto, error) {
	if err := s.c.manager(); err != nil {
		return StudioPhoto{}, err
	}
	name := filepath.Base(strings.ReplaceAll(fileName, "\\", "/"))
	if name == "." || name == "/" {
		name = "photo"
	}
	if !slices.Contains(app.SourceDeclarations, declared) {
		return StudioPhoto{}, app.FieldError("source", "Say what %s shows before adding it: our team, our premises, a stock photo or an illustration. If it shows a patient, choose it from the patient's signed consent instead (“From a patient's consent”).", name)
	}
	dataBase64 = studioDataURLPrefix.ReplaceAllString(dataBase64, "")
	limit := studio.PhotoLimits.MaxBytes
	if base64.StdEncoding.DecodedLen(len(dataBase64)) > limit+3 {
		return StudioPhoto{}, app.Errorf(app.EINVALID, "%s is larger than %d MB, the most PracticePost accepts. Save a smaller copy (for example by sharing it from the phone at a smaller size) and add it again.", name, limit>>20)
	}
	data, err := base64.StdEncoding.DecodeString(dataBase64)
	if err != nil {
		return StudioPhoto{}, app.Errorf(app.EINVALID, "%s could not be read. Add it again.", name)
	}
	db, err := s.c.DB()
	if err != nil {
		return StudioPhoto{}, err
	}
	// A patient's photo does not become "stock" by being added again from
	// a folder: the same file attached to a consent or testimonial is theirs,
	// as stored or as it was before its camera data was removed at intake.
	shas := []string{app.SHA256Hex(data)}
	if clean, err := studio.StripMetadata(data); err == nil {
		shas = append(shas, app.SHA256Hex(clean))
	}
	for _, sha := range shas {
		if n, err := db.PatientMediaUses(context.Background(), sha); err != nil {
			return StudioPhoto{}, err
		} else if n > 0 {
			return StudioPhoto{}, app.FieldError("source", "%s is a patient's photo: it is attached to a consent or testimonial in PracticePost. Choose it under “From a patient's consent”, so the consent is checked whenever the image is used.", name)
		}
	}
	return s.openPhoto(name, data, app.ImageSource{Kind: app.SourceDeclared, Declared: declared})
}

// openPhoto decodes a photo with its provenance into the session.
func (s *StudioService) openPhoto(name string, data []byte, source app.ImageSource) (StudioPhoto, error) {
	id := app.SHA256Hex(append([]byte(studioSourceKey(source)+"\x00"), data...))[:20]
	if p := s.photo(id); p != nil {
		return studioPhotoView(p, len(data)), nil
	}
	src, err := studio.Load(data)
	if err != nil {
		// The engine's messages say "The photo"; name the file the user chose.
		var ae *app.Error
		if errors.As(err, &ae) && ae.Code != app.EINTERNAL {
			msg := strings.Replace(ae.Message, "The photo", name, 1)
			if msg == ae.Message {
				msg = name + ": " + ae.Message
			}
			return StudioPhoto{}, &app.Error{Code: ae.Code, Err: ae.Err, Field: "photo", Message: msg}
		}
		return StudioPhoto{}, err
	}
	p := &studioSessionPhoto{id: id, name: name, src: src, source: source}
	s.mu.Lock()
	s.photos = append(s.photos, p)
	if len(s.photos) > studioSessionPhotos {
		s.photos = s.photos[len(s.photos)-studioSessionPhotos:]
	}
	s.mu.Unlock()
	return studioPhotoView(p, len(data)), nil
}

func studioPhotoView(p *studioSessionPhoto, n int) StudioPhoto {
	info := p.src.Info()
	return StudioPhoto{ID: p.id, Name: p.name, Format: info.Format, Width: info.DisplayWidth, Height: info.DisplayHeight, Bytes: n,
		Source: p.source, SourceLabel: sourceLabel(p.source)}
}

// photo finds a session photo and marks it recently used.
func (s *StudioService) photo(id string) *studioSessionPhoto {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, p := range s.photos {
		if p.id == id {
			s.photos = append(append(s.photos[:i:i], s.photos[i+1:]...), p)
			return p
		}
	}
	return nil
}

// ForgetPhoto closes a photo so its pixels leave memory.
func (s *StudioService) ForgetPhoto(id string) error {
	if err := s.c.manager(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, p := range s.photos {
		if p.id == id {
			s.photos = append(s.photos[:i:i], s.photos[i+1:]...)
		}
	}
	return nil
}
