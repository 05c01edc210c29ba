package service

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"practicepost/app"
	"practicepost/app/store"
)

// StudioLibraryItem is a kept image with the URL the UI shows it from.
type StudioLibraryItem struct {
	app.Media
	URL string `json:"url"`
	// Provenance says in words where the image's photos came from.
	Provenance string `json:"provenance"`
}

func studioLibraryItem(m app.Media) StudioLibraryItem {
	return StudioLibraryItem{Media: m, URL: MediaURL(m.SHA256), Provenance: provenanceLabel(m)}
}

// StudioLibrary is a page of the library, newest first.
type StudioLibrary struct {
	Items []StudioLibraryItem `json:"items"`
	Total int                 `json:"total"`
}

// Keep stores every size of a render in the library with its alt text,
// the testimonial it was made from and the words it shows, so the guard can
// check them whenever a post uses it.
func (s *StudioService) Keep(renderID, altText string, acceptOverflow bool) (StudioLibrary, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (StudioLibrary, error) {
		if _, err := app.CheckAltText(altText); err != nil {
			return StudioLibrary{}, err
		}
		r, err := s.pending(renderID, acceptOverflow)
		if err != nil {
			return StudioLibrary{}, err
		}
		items := make([]app.NewMedia, len(r.variants))
		for i, v := range r.variants {
			items[i] = app.NewMedia{Data: v.Data, MIME: v.MIME, Template: r.template, Layout: r.layout, SizeID: v.Size.ID, Width: v.Width, Height: v.Height,
				TestimonialID: r.testimonialID, Identity: r.identity, ImageText: r.words,
				Sources: r.sources, SourcesKnown: true, Attribution: r.attribution}
		}
		kept, err := db.KeepMedia(ctx, r.id, altText, items)
		if err != nil {
			return StudioLibrary{}, err
		}
		out := StudioLibrary{Total: len(kept)}
		for _, m := range kept {
			out.Items = append(out.Items, studioLibraryItem(m))
		}
		return out, nil
	})
}

// Library lists kept images, newest first.
func (s *StudioService) Library(limit, offset int) (StudioLibrary, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (StudioLibrary, error) {
		p, err := db.ListMedia(ctx, limit, max(offset, 0))
		if err != nil {
			return StudioLibrary{}, err
		}
		out := StudioLibrary{Items: []StudioLibraryItem{}, Total: p.Total}
		for _, m := range p.Items {
			out.Items = append(out.Items, studioLibraryItem(m))
		}
		return out, nil
	})
}

// DeleteMedia removes one image from the library.
func (s *StudioService) DeleteMedia(id int64) error {
	return s.c.withDB(func(ctx context.Context, db *store.DB) error {
		return db.DeleteMedia(ctx, id)
	})
}

const studioExportFolderKey = "studio.exportFolder"

func (s *StudioService) exportFolder(ctx context.Context, db *store.DB) (string, error) {
	f, err := db.State(ctx, studioExportFolderKey)
	if err != nil || f != "" {
		return f, err
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", nil
	}
	for _, d := range []string{"Pictures", "Documents"} {
		if st, err := os.Stat(filepath.Join(home, d)); err == nil && st.IsDir() {
			return filepath.Join(home, d, "PracticePost"), nil
		}
	}
	return filepath.Join(home, "PracticePost images"), nil
}

// ChooseExportFolder opens the native folder picker; "" if cancelled.
func (s *StudioService) ChooseExportFolder() (string, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (string, error) {
		if s.c.Dialogs == nil {
			return "", app.Errorf(app.EUNAVAILABLE, "Folder picking is not available here; type the folder's full path instead.")
		}
		start, err := s.exportFolder(ctx, db)
		if err != nil {
			return "", err
		}
		return s.c.Dialogs.ChooseFolder("Choose where to save the images", start)
	})
}

// StudioExport says where the files went.
type StudioExport struct {
	Folder      string   `json:"folder"`
	Files       []string `json:"files"`
	AltTextFile string   `json:"altTextFile"`
}

// Export writes every size of a render to folder as JPEG files without any
// metadata, with the alt text beside them in a text file to paste when
// posting by hand. Existing files are never overwritten.
func (s *StudioService) Export(renderID, folder, altText string, acceptOverflow bool) (StudioExport, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (StudioExport, error) {
		alt, err := app.CheckAltText(altText)
		if err != nil {
			return StudioExport{}, err
		}
		folder = strings.TrimSpace(folder)
		if folder == "" || !filepath.IsAbs(folder) {
			return StudioExport{}, app.FieldError("folder", "Choose a folder, or type its full path (for example %s).", filepath.Join(string(filepath.Separator)+"Users", "you", "Pictures"))
		}
		folder = filepath.Clean(folder)
		r, err := s.pending(renderID, acceptOverflow)
		if err != nil {
			return StudioExport{}, err
		}
		if st, err := os.Stat(folder); err != nil || !st.IsDir() {
			parent, perr := os.Stat(filepath.Dir(folder))
			if err == nil || perr != nil || !parent.IsDir() {
				return StudioExport{}, app.FieldError("folder", "The folder %s does not exist. Choose a folder that does.", folder)
			}
			if err := os.Mkdir(folder, 0o755); err != nil {
				return StudioExport{}, app.FieldError("folder", "PracticePost could not create the folder %s. Choose another folder.", folder)
			}
		}
		b, err := db.BrandKit(ctx)
		if err != nil {
			return StudioExport{}, err
		}
		stamp := s.c.Clock.Now().Local().Format("2006-01-02 1504")
		base := strings.Trim(studioSlug(b.PracticeName)+"-"+r.template+"-"+strings.ReplaceAll(stamp, " ", "-"), "-")
		out := StudioExport{Folder: folder}
		var written []string
		fail := func(err error) (StudioExport, error) {
			for _, f := range written {
				os.Remove(f)
			}
			return StudioExport{}, app.Internal(err, fmt.Sprintf("PracticePost could not save the images in %s. Check that you can write there and that the disk is not full, then try again.", folder))
		}
		for _, v := range r.variants {
			p, err := studioWriteNew(folder, base+"-"+v.Size.ID, ".jpg", v.Data)
			if err != nil {
				return fail(err)
			}
			written = append(written, p)
			out.Files = append(out.Files, p)
		}
		p, err := studioWriteNew(folder, base+"-alt-text", ".txt", []byte(alt+"\n"))
		if err != nil {
			return fail(err)
		}
		written = append(written, p)
		out.AltTextFile = p
		err = db.Tx(ctx, func(tx *store.Tx) error {
			if err := tx.SetState(ctx, studioExportFolderKey, folder); err != nil {
				return app.Internal(err, "PracticePost could not remember the folder.")
			}
			return tx.Audit(ctx, "practice manager", "media.export", "design "+r.template, map[string]string{"images": strconv.Itoa(len(r.variants)), "set": r.id})
		})
		if err != nil {
			return fail(err)
		}
		return out, nil
	})
}

// studioWriteNew writes data to folder/name+ext, or name-2, name-3… when taken.
func studioWriteNew(folder, name, ext string, data []byte) (string, error) {
	for i := 1; i < 1000; i++ {
		p := filepath.Join(folder, name+ext)
		if i > 1 {
			p = filepath.Join(folder, name+"-"+strconv.Itoa(i)+ext)
		}
		// Private like every file PracticePost writes: a quote card and its
		// alt text carry the patient's words and name.
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if os.IsExist(err) {
			continue
		}
		if err != nil {
			return "", err
		}
		if err := store.PrivateFile(p); err != nil {
			f.Close()
			os.Remove(p)
			return "", err
		}
		if _, err := f.Write(data); err != nil {
			f.Close()
			os.Remove(p)
			return "", err
		}
		if err := f.Close(); err != nil {
			os.Remove(p)
			return "", err
		}
		return p, nil
	}
	return "", fmt.Errorf("no free file name for %s", name)
}

var studioNonSlug = regexp.MustCompile(`[^a-z0-9]+`)

func studioSlug(s string) string {
	s = studioNonSlug.ReplaceAllString(strings.ToLower(s), "-")
	s = strings.Trim(s, "-")
	if len(s) > 40 {
		s = strings.TrimRight(s[:40], "-")
	}
	return s
}
