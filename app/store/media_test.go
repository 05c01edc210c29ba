package store_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"practicepost/app"
)

func mediaItems(n int) []app.NewMedia {
	sizes := []string{"square", "portrait", "link", "story", "landscape", "wide"}
	out := make([]app.NewMedia, n)
	for i := range out {
		out[i] = app.NewMedia{Data: bytes.Repeat([]byte{byte(i + 1)}, 100+i), MIME: "image/jpeg", Template: "tip",
			Layout: "card", SizeID: sizes[i%len(sizes)], Width: 1080, Height: 1080 + i}
	}
	return out
}

func TestKeepMediaListAndRead(t *testing.T) {
	db := MustOpenDB(t)
	kept, err := db.KeepMedia(ctx, "set-1", "  A teal card saying floss before you brush.  ", mediaItems(6))
	if err != nil {
		t.Fatal(err)
	}
	if len(kept) != 6 || kept[0].AltText != "A teal card saying floss before you brush." || kept[2].SizeID != "link" || kept[5].Height != 1085 {
		t.Fatalf("kept %+v", kept)
	}
	page, err := db.ListMedia(ctx, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 6 || len(page.Items) != 6 || page.Items[0].ID != kept[5].ID {
		t.Fatalf("list newest first: total %d, first %+v", page.Total, page.Items[0])
	}
	m, err := db.MediaByID(ctx, kept[3].ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.SetID != "set-1" || m.Bytes != 103 || !m.CreatedAt.Equal(kept[3].CreatedAt) {
		t.Fatalf("read back %+v", m)
	}
	b, err := db.Blob(ctx, m.SHA256)
	if err != nil || !bytes.Equal(b.Data, mediaItems(6)[3].Data) || b.Width != 1080 {
		t.Fatalf("blob %v %+v", err, b.Width)
	}
	audit, _ := db.ListAudit(ctx, 1, 0)
	e := audit.Entries[0]
	if e.Action != "media.keep" || e.Detail["images"] != "6" || strings.Contains(e.Subject, "floss") {
		t.Fatalf("audit %+v", e)
	}
	// Paging.
	page, _ = db.ListMedia(ctx, 4, 4)
	if len(page.Items) != 2 || page.Total != 6 {
		t.Fatalf("page 2: %d of %d", len(page.Items), page.Total)
	}
}

func TestKeepMediaRefusesAndKeepsNothing(t *testing.T) {
	broken := mediaItems(3)
	broken[2].Data = nil
	cases := []struct {
		name  string
		set   string
		alt   string
		items []app.NewMedia
		want  string
	}{
		{"no alt text", "s", "   ", mediaItems(2), "Screen readers read it aloud"},
		{"alt text too long", "s", strings.Repeat("é", app.MaxAltText+1), mediaItems(2), "1001 characters"},
		{"nothing to keep", "s", "Alt", nil, "Render the sizes first"},
		{"no set", "", "Alt", mediaItems(1), "Render the sizes first"},
		{"one empty image", "s", "Alt", broken, "One of the images is empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db := MustOpenDB(t)
			before, _ := db.ListAudit(ctx, 1, 0)
			_, err := db.KeepMedia(ctx, tc.set, tc.alt, tc.items)
			if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tc.want) {
				t.Fatalf("err %v, want invalid with %q", err, tc.want)
			}
			page, _ := db.ListMedia(ctx, 10, 0)
			after, _ := db.ListAudit(ctx, 1, 0)
			if page.Total != 0 || after.Total != before.Total {
				t.Fatalf("something was kept: %d media, audit %d → %d", page.Total, before.Total, after.Total)
			}
			// The first image's blob must not survive the rolled-back transaction either.
			if len(tc.items) > 0 {
				if _, err := db.Blob(ctx, app.SHA256Hex(tc.items[0].Data)); app.ErrorCode(err) != app.ENOTFOUND {
					t.Fatalf("blob left behind: %v", err)
				}
			}
		})
	}
}

func TestDeleteMediaRemovesUnsharedPixelsOnly(t *testing.T) {
	db := MustOpenDB(t)
	items := mediaItems(2)
	first, err := db.KeepMedia(ctx, "a", "First", items)
	if err != nil {
		t.Fatal(err)
	}
	// The same first image kept again in another set shares its blob.
	second, err := db.KeepMedia(ctx, "b", "Second", items[:1])
	if err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteMedia(ctx, first[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Blob(ctx, first[0].SHA256); err != nil {
		t.Fatalf("shared blob removed: %v", err)
	}
	if err := db.DeleteMedia(ctx, second[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Blob(ctx, first[0].SHA256); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("orphan blob kept: %v", err)
	}
	// A blob that is also the logo stays.
	if _, err := db.SetLogo(ctx, items[1].Data, app.ImageInfo{MIME: "image/png", Width: 1, Height: 1, SHA256: first[1].SHA256}); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteMedia(ctx, first[1].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Blob(ctx, first[1].SHA256); err != nil {
		t.Fatalf("logo blob removed: %v", err)
	}
	err = db.DeleteMedia(ctx, first[1].ID)
	var e *app.Error
	if !errors.As(err, &e) || e.Code != app.ENOTFOUND {
		t.Fatalf("second delete: %v", err)
	}
	page, _ := db.ListMedia(ctx, 10, 0)
	if page.Total != 0 {
		t.Fatalf("left %d", page.Total)
	}
	audit, _ := db.ListAudit(ctx, 1, 0)
	if audit.Entries[0].Action != "media.delete" {
		t.Fatalf("audit %+v", audit.Entries[0])
	}
}

func TestMediaByIDMissing(t *testing.T) {
	db := MustOpenDB(t)
	if _, err := db.MediaByID(ctx, 42); app.ErrorCode(err) != app.ENOTFOUND {
		t.Fatalf("got %v", err)
	}
}
