package service_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/service"
)

type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) Emit(name string, data any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, name)
}

// startCore starts a core as NewCore makes it, stopped when the test ends.
func startCore(t *testing.T, home string, emit app.Emitter, dialogs service.Dialogs, clock app.Clock) *service.Core {
	t.Helper()
	c := service.NewCore(home, emit, dialogs, clock)
	if err := c.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Stop)
	return c
}

func newCore(t *testing.T) (*service.Core, *recorder) {
	t.Helper()
	rec := &recorder{}
	c := startCore(t, t.TempDir(), rec, nil, &app.FixedClock{T: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)})
	return c, rec
}

func pngBytes(t *testing.T, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = byte(i)
	}
	img.Set(0, 0, color.RGBA{255, 0, 0, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestBrandSaveValidatesAndKeepsOldValues(t *testing.T) {
	c, rec := newCore(t)
	s := service.NewBrandService(c)
	k := brandKit(t, s)
	k.PracticeName = "  Harbour Dental  "
	k.Colors.Primary = "0b6e6e"
	k.Hashtags = []string{"smile, #DentalCare", "#smile"}
	saved, err := s.Save(k)
	if err != nil {
		t.Fatal(err)
	}
	if saved.Kit.PracticeName != "Harbour Dental" || saved.Kit.Colors.Primary != "#0B6E6E" || strings.Join(saved.Kit.Hashtags, " ") != "#smile #DentalCare" {
		t.Fatalf("not normalised: %+v", saved.Kit)
	}
	if len(rec.events) != 1 || rec.events[0] != app.EventBrandChanged {
		t.Fatalf("events %v", rec.events)
	}

	bad := saved.Kit
	bad.PracticeName = "Other"
	bad.Colors.Accent = "orange"
	_, err = s.Save(bad)
	if app.ErrorField(err) != "colors.accent" {
		t.Fatalf("bad colour: got %v", err)
	}
	now, _ := s.Get()
	if now.Kit.PracticeName != "Harbour Dental" {
		t.Fatalf("a refused save changed the name to %q", now.Kit.PracticeName)
	}
}

func TestContrastWarningShown(t *testing.T) {
	c, _ := newCore(t)
	s := service.NewBrandService(c)
	v, _ := s.Get()
	k := v.Kit
	k.PracticeName = "Pale Practice"
	k.Colors.Text = "#BBBBBB"
	saved, err := s.Save(k)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range saved.Warnings {
		if w.Pair == "text on background" && w.Ratio < 4.5 {
			found = true
		}
	}
	if !found {
		t.Fatalf("no contrast warning for light grey text: %+v", saved.Warnings)
	}
}

func TestLogoUpload(t *testing.T) {
	c, _ := newCore(t)
	s := service.NewBrandService(c)
	good := pngBytes(t, 40, 20)
	v, err := s.UploadLogo("logo.png", "data:image/png;base64,"+base64.StdEncoding.EncodeToString(good))
	if err != nil {
		t.Fatal(err)
	}
	if v.Kit.LogoSHA256 != app.SHA256Hex(good) || v.LogoURL == "" {
		t.Fatalf("logo not stored: %+v", v)
	}

	// The stored logo is served to the UI.
	rr := httptest.NewRecorder()
	service.AssetHandler(c).ServeHTTP(rr, httptest.NewRequest("GET", v.LogoURL, nil))
	if rr.Code != 200 || rr.Header().Get("Content-Type") != "image/png" || !bytes.Equal(rr.Body.Bytes(), good) {
		t.Fatalf("serving logo: %d %s", rr.Code, rr.Header().Get("Content-Type"))
	}

	for _, tc := range []struct {
		name string
		data []byte
		says string
	}{
		{"logo.png", []byte("hello, this is a text file\n"), "not a PNG or JPEG"},
		{"logo.png", nil, "empty"},
		{"huge.png", hugePNGHeader(t), "8000×8000"},
		{"logo.gif", gifBytes(t), "only PNG and JPEG"},
	} {
		_, err := s.UploadLogo(tc.name, base64.StdEncoding.EncodeToString(tc.data))
		if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tc.says) {
			t.Fatalf("%s: got %v, want message with %q", tc.name, err, tc.says)
		}
		now, _ := s.Get()
		if now.Kit.LogoSHA256 != app.SHA256Hex(good) {
			t.Fatalf("%s: a bad upload replaced the logo", tc.name)
		}
	}
}

func gifBytes(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := gif.Encode(&buf, image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.Black, color.White}), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// hugePNGHeader is a valid PNG signature and IHDR claiming 9000×9000 pixels;
// the check must refuse it from the header without decoding.
func hugePNGHeader(t *testing.T) []byte {
	b := pngBytes(t, 1, 1)
	// IHDR width/height live at bytes 16..24, its CRC at 29..33.
	copy(b[16:24], []byte{0, 0, 0x23, 0x28, 0, 0, 0x23, 0x28})
	binary.BigEndian.PutUint32(b[29:33], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func TestFontsServed(t *testing.T) {
	c, _ := newCore(t)
	rr := httptest.NewRecorder()
	service.AssetHandler(c).ServeHTTP(rr, httptest.NewRequest("GET", "/fonts/NotoSerif-Regular.ttf", nil))
	if rr.Code != 200 || rr.Body.Len() < 10000 {
		t.Fatalf("font: %d, %d bytes", rr.Code, rr.Body.Len())
	}
	rr = httptest.NewRecorder()
	service.AssetHandler(c).ServeHTTP(rr, httptest.NewRequest("GET", "/media/../../etc/passwd", nil))
	if rr.Code != 404 {
		t.Fatalf("path escape answered %d", rr.Code)
	}
}

func TestBackupServiceRoundTrip(t *testing.T) {
	c, rec := newCore(t)
	brand := service.NewBrandService(c)
	bs := service.NewBackupService(c)
	v, _ := brand.Get()
	k := v.Kit
	k.PracticeName = "Before"
	brand.Save(k)

	if _, err := bs.SetFolder("relative/path"); app.ErrorField(err) != "folder" {
		t.Fatalf("relative folder accepted: %v", err)
	}
	dir, f := backupNow(t, bs)
	if filepath.Dir(f.Path) != dir {
		t.Fatalf("backup went to %s", f.Path)
	}
	k.PracticeName = "After"
	brand.Save(k)
	ov, _ := bs.Overview()
	if len(ov.Backups) < 1 || ov.LastBackup == nil {
		t.Fatalf("overview %+v", ov)
	}
	res, err := bs.Restore(f.Path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(res.SafetyCopy); err != nil {
		t.Fatalf("safety copy missing: %v", err)
	}
	v, _ = brand.Get()
	if v.Kit.PracticeName != "Before" {
		t.Fatalf("restored name %q", v.Kit.PracticeName)
	}
	sawProgress, sawReplaced := false, false
	for _, e := range rec.events {
		sawProgress = sawProgress || e == app.EventBackupProgress
		sawReplaced = sawReplaced || e == app.EventDataReplaced
	}
	if !sawProgress || !sawReplaced {
		t.Fatalf("events %v", rec.events)
	}
}

func TestFormatError(t *testing.T) {
	var got map[string]string
	json.Unmarshal([]byte(service.FormatError(app.FieldError("phone", "Bad phone")).(string)), &got)
	if got["code"] != "invalid" || got["message"] != "Bad phone" || got["field"] != "phone" {
		t.Fatalf("%v", got)
	}
	json.Unmarshal([]byte(service.FormatError(os.ErrPermission).(string)), &got)
	if got["code"] != "internal" || strings.Contains(got["message"], "permission denied") {
		t.Fatalf("raw error leaked to the UI: %v", got)
	}
}

func TestOpenErrorShown(t *testing.T) {
	home := t.TempDir()
	os.WriteFile(filepath.Join(home, "practicepost.db"), bytes.Repeat([]byte("garbage "), 1000), 0o600)
	c := service.NewCore(home, nil, nil, nil)
	if err := c.Start(context.Background()); err == nil {
		t.Fatal("garbage data file opened")
	}
	defer c.Stop()
	info, _ := service.NewSystemService(c, time.Now(), nil).Info()
	if !strings.Contains(info.OpenError, "backup") {
		t.Fatalf("open error not explained: %q", info.OpenError)
	}
	if _, err := service.NewBrandService(c).Get(); err == nil {
		t.Fatal("service worked without a data file")
	}
}

func TestBrandClinicianNumberNeedsItsRegulator(t *testing.T) {
	c, _ := newCore(t)
	s := service.NewBrandService(c)
	k := brandKit(t, s)
	k.PracticeName = "Harbour Dental"
	k.Clinicians = []app.Clinician{{Name: "Dr Amy Shah", Role: "Dentist", Number: "123456"}}
	_, err := s.Save(k)
	if app.ErrorField(err) != "clinicians.0.regulator" || !strings.Contains(app.ErrorMessage(err), "Dr Amy Shah") {
		t.Fatalf("number without regulator: %v", err)
	}
	if now, _ := s.Get(); len(now.Kit.Clinicians) != 0 {
		t.Fatalf("a refused save kept clinicians %+v", now.Kit.Clinicians)
	}
	k.Clinicians[0].Regulator = "GDC"
	if _, err := s.Save(k); err != nil {
		t.Fatal(err)
	}
}

// backupNow backs up into a new folder, as the Backups screen does after
// the folder is chosen, and returns the folder and the file.
func backupNow(t *testing.T, bs *service.BackupService) (string, app.BackupFile) {
	t.Helper()
	dir := t.TempDir()
	if _, err := bs.SetFolder(dir); err != nil {
		t.Fatal(err)
	}
	f, err := bs.BackupNow()
	if err != nil {
		t.Fatal(err)
	}
	return dir, f
}

// brandKit is the saved brand kit, as the Brand screen opens with it.
func brandKit(t *testing.T, s *service.BrandService) app.BrandKit {
	t.Helper()
	v, err := s.Get()
	if err != nil {
		t.Fatal(err)
	}
	return v.Kit
}
