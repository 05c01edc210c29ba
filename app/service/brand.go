package service

import (
	"context"
	"encoding/base64"
	"path/filepath"
	"strings"

	"practicepost/app"
	"practicepost/app/store"
	"practicepost/assets"
)

// BrandService edits the practice's brand kit.
type BrandService struct{ c *Core }

func NewBrandService(c *Core) *BrandService { return &BrandService{c: c} }

// BrandView is the brand kit with what the screen needs around it.
type BrandView struct {
	Kit        app.BrandKit          `json:"kit"`
	Warnings   []app.ContrastWarning `json:"warnings"`
	Fonts      []assets.FontFamily   `json:"fonts"`
	Regulators []string              `json:"regulators"`
	LogoURL    string                `json:"logoUrl"`
}

func (s *BrandService) view(b app.BrandKit) BrandView {
	v := BrandView{Kit: b, Warnings: b.ContrastWarnings(), Fonts: assets.FontFamilies(), Regulators: app.Regulators}
	if v.Warnings == nil {
		v.Warnings = []app.ContrastWarning{}
	}
	if b.LogoSHA256 != "" {
		v.LogoURL = MediaURL(b.LogoSHA256)
	}
	return v
}

// Get returns the saved brand kit.
func (s *BrandService) Get() (BrandView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (BrandView, error) {
		b, err := db.BrandKit(ctx)
		if err != nil {
			return BrandView{}, err
		}
		return s.view(b), nil
	})
}

// Check returns the contrast warnings for unsaved values, for live
// feedback while the colours are being chosen. It does not validate: Save does.
func (s *BrandService) Check(b app.BrandKit) (BrandView, error) {
	if err := s.c.manager(); err != nil {
		return BrandView{}, err
	}
	b.Normalize()
	return s.view(b), nil
}

// Save validates and stores the brand kit. Nothing is stored when any field is wrong.
func (s *BrandService) Save(b app.BrandKit) (BrandView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (BrandView, error) {
		b.Normalize()
		if err := b.Validate(assets.FontNames()); err != nil {
			return BrandView{}, err
		}
		saved, err := db.SaveBrandKit(ctx, b)
		if err != nil {
			return BrandView{}, err
		}
		s.c.Emit.Emit(app.EventBrandChanged, nil)
		return s.view(saved), nil
	})
}

// UploadLogo checks and stores a logo sent as base64. A bad file leaves the
// current logo in place.
func (s *BrandService) UploadLogo(fileName, dataBase64 string) (BrandView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (BrandView, error) {
		if len(dataBase64) > app.LogoLimits.MaxBytes/3*4+8 {
			return BrandView{}, app.Errorf(app.EINVALID, "The logo is larger than %d MB. Save a smaller copy and try again.", app.LogoLimits.MaxBytes>>20)
		}
		if i := strings.Index(dataBase64, ","); i >= 0 && strings.HasPrefix(dataBase64, "data:") {
			dataBase64 = dataBase64[i+1:]
		}
		data, err := base64.StdEncoding.DecodeString(dataBase64)
		if err != nil {
			return BrandView{}, app.Errorf(app.EINVALID, "The logo file could not be read. Choose it again.")
		}
		what := "The logo"
		if fileName != "" {
			what = "The file " + filepath.Base(fileName)
		}
		info, err := app.InspectImage(data, app.LogoLimits, what)
		if err != nil {
			return BrandView{}, err
		}
		saved, err := db.SetLogo(ctx, data, info)
		if err != nil {
			return BrandView{}, err
		}
		s.c.Emit.Emit(app.EventBrandChanged, nil)
		return s.view(saved), nil
	})
}

// RemoveLogo clears the logo.
func (s *BrandService) RemoveLogo() (BrandView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (BrandView, error) {
		saved, err := db.RemoveLogo(ctx)
		if err != nil {
			return BrandView{}, err
		}
		s.c.Emit.Emit(app.EventBrandChanged, nil)
		return s.view(saved), nil
	})
}
