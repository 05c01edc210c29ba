package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"practicepost/app"
	"practicepost/app/audit"
	"practicepost/app/seal"
	"practicepost/app/service"
	"practicepost/app/store"
)

// sealCheckPatients is how many patients TestSeededFilesRevealNoPatient
// seeds: the 2,000 unless PRACTICEPOST_SEALCHECK_PATIENTS says
// otherwise (scripts/sealcheck.sh passes it through).
func sealCheckPatients(t *testing.T) int {
	if v := os.Getenv("PRACTICEPOST_SEALCHECK_PATIENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 10 {
			t.Fatalf("PRACTICEPOST_SEALCHECK_PATIENTS=%q: want a number of 10 or more", v)
		}
		return n
	}
	return 2000
}

// TestSeededFilesRevealNoPatient seeds a practice, edits and deletes some
// patients, backs up, and then searches every file PracticePost wrote (the
// data file, its WAL, the backups, the log) for every patient's name,
// email, phone and date of birth in ISO, UK and US forms, past and
// present, ignoring case, and for the signatures of JPEG, PNG, MP4 and PDF
// files: none may be found. The app then lists the remaining patients.
func TestSeededFilesRevealNoPatient(t *testing.T) {
	ctx := context.Background()
	home := t.TempDir()
	closer := service.SetupLogging(home, false)
	defer closer.Close()
	n := sealCheckPatients(t)
	if _, err := Seed(ctx, Options{Home: home, Patients: n, Seed: 11, Secrets: "file"}); err != nil {
		t.Fatal(err)
	}
	secrets, err := secretStore("file", home)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenWith(ctx, filepath.Join(home, store.FileName), store.Options{Audit: audit.NewKeeper(secrets), Seal: seal.NewKeyring(secrets)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	all, err := db.ListPatients(ctx, "", n+1)
	if err != nil || len(all) != n {
		t.Fatalf("%d patients listed of %d: %v", len(all), n, err)
	}
	needles := newNeedles()
	for _, p := range all {
		needles.patient(p)
	}
	// Edit every 10th patient (their old details must be gone too) and
	// delete every patient without evidence among the first half.
	want := map[int64]app.Patient{}
	deleted := 0
	for i, p := range all {
		switch {
		case i%10 == 0:
			p.FullName = "Edited " + strconv.Itoa(i) + " Quillfeather"
			p.Email = fmt.Sprintf("edited.%d@quill.example", i)
			p.Phone = fmt.Sprintf("07700 %06d", 900000+i)
			p.DateOfBirth.Day = p.DateOfBirth.Day%28 + 1
			q, err := db.UpdatePatient(ctx, p)
			if err != nil {
				t.Fatal(err)
			}
			needles.patient(q)
			want[p.ID] = q
		case i < n/2 && db.DeletePatient(ctx, p.ID) == nil:
			deleted++
		default:
			want[p.ID] = p
		}
	}
	if deleted == 0 {
		t.Fatal("no patient could be deleted: the check would not cover deletion")
	}
	if _, err := db.Backup(ctx, t.TempDir(), nil); err != nil {
		t.Fatal(err)
	}
	backups := filepath.Join(home, "backups")
	if _, err := db.AutoBackup(ctx, backups, 3); err != nil {
		t.Fatal(err)
	}
	b, err := db.Backup(ctx, backups, nil)
	if err != nil {
		t.Fatal(err)
	}

	var files []string
	filepath.WalkDir(home, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && d.Name() != "dev-secrets.json" {
			files = append(files, p)
		}
		return nil
	})
	if !slices.Contains(files, filepath.Join(home, store.FileName+"-wal")) || !slices.Contains(files, b.Path) || !slices.Contains(files, service.LogFile(home)) {
		t.Fatalf("the data file's WAL, a backup or the log is missing from %v", files)
	}
	total := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		total += len(data)
		if hits := needles.find(data); len(hits) > 0 {
			t.Errorf("%s reveals %d patient details, for example %q", filepath.Base(f), len(hits), hits[0])
		}
		if kind := mediaSignature(data); kind != "" {
			t.Errorf("%s holds a readable %s file", filepath.Base(f), kind)
		}
	}
	t.Logf("searched %d files, %d MB, for %d details of %d patients (%d edited, %d deleted)",
		len(files), total>>20, needles.count, n, n/10, deleted)

	// The app lists exactly the remaining patients, as they now are.
	left, err := db.ListPatients(ctx, "", n+1)
	if err != nil || len(left) != len(want) {
		t.Fatalf("%d patients listed, want %d: %v", len(left), len(want), err)
	}
	for _, p := range left {
		w, ok := want[p.ID]
		if !ok || w.FullName != p.FullName || w.Email != p.Email || w.Phone != p.Phone || w.DateOfBirth != p.DateOfBirth || w.Ref != p.Ref {
			t.Fatalf("patient %d listed as %+v, want %+v", p.ID, p, w)
		}
	}
}

// needles finds any of many strings in a large file in one pass: a window
// of the shortest needle's length is looked up in a set of prefixes, and
// only a window that matches one is compared in full.
type needles struct {
	byPrefix map[uint64][]string
	count    int
}

const prefixLen = 6 // every needle (names, emails, phones, dates) is longer

func newNeedles() *needles { return &needles{byPrefix: map[uint64][]string{}} }

func prefixKey(b []byte) uint64 {
	var k [8]byte
	copy(k[:], b[:prefixLen])
	return binary.LittleEndian.Uint64(k[:])
}

func (n *needles) add(s string) {
	s = strings.ToLower(strings.TrimSpace(s))
	if len(s) < prefixLen {
		return
	}
	k := prefixKey([]byte(s))
	if !slices.Contains(n.byPrefix[k], s) {
		n.byPrefix[k] = append(n.byPrefix[k], s)
		n.count++
	}
}

func (n *needles) patient(p app.Patient) {
	n.add(p.FullName)
	n.add(p.Email)
	if p.Phone != "" {
		n.add(p.Phone)
		n.add(strings.ReplaceAll(p.Phone, " ", ""))
	}
	d := p.DateOfBirth
	n.add(fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day))
	n.add(fmt.Sprintf("%02d/%02d/%04d", d.Day, d.Month, d.Year))
	n.add(fmt.Sprintf("%02d/%02d/%04d", d.Month, d.Day, d.Year))
	n.add(fmt.Sprintf("%d %s %d", d.Day, d.Month, d.Year))
	n.add(fmt.Sprintf("%s %d, %d", d.Month, d.Day, d.Year))
}

func (n *needles) find(data []byte) []string {
	low := bytes.ToLower(data)
	var hits []string
	for i := 0; i+prefixLen <= len(low); i++ {
		cands, ok := n.byPrefix[prefixKey(low[i:])]
		if !ok {
			continue
		}
		for _, c := range cands {
			if bytes.HasPrefix(low[i:], []byte(c)) {
				hits = append(hits, c)
			}
		}
	}
	return hits
}

// mediaSignature names a file format whose start appears in data. Each
// signature is long enough (six bytes or more) that sealed bytes, which
// look random, do not contain it by chance.
func mediaSignature(data []byte) string {
	for _, s := range []struct {
		kind string
		sig  []byte
	}{
		{"PNG", []byte("\x89PNG\r\n\x1a\n")},
		{"JPEG (JFIF)", []byte("\xff\xd8\xff\xe0\x00\x10JFIF")},
		{"JPEG (Exif)", []byte("Exif\x00\x00")},
		{"JPEG", []byte("\xff\xd8\xff\xdb\x00\x84")}, // how Go's encoder starts one
		{"JPEG", []byte("\xff\xd8\xff\xdb\x00\x43")},
		{"MP4", []byte("ftypisom")},
		{"MP4", []byte("ftypmp4")},
		{"MOV", []byte("ftypqt  ")},
		{"PDF", []byte("%PDF-1.")},
	} {
		if bytes.Contains(data, s.sig) {
			return s.kind
		}
	}
	return ""
}

// The search itself finds what it looks for, so a pass above means
// something: a name in any case, each date form, and each media kind.
func TestTheSealCheckFindsPlainData(t *testing.T) {
	n := newNeedles()
	n.patient(app.Patient{FullName: "Margaret Okafor", Email: "m.okafor@example.com", Phone: "07700 900123",
		DateOfBirth: app.CivilDate{Year: 1961, Month: 3, Day: 9}})
	for _, hay := range []string{"xxMARGARET OKAFORyy", "..m.okafor@example.com", "tel 07700900123", "dob 1961-03-09",
		"09/03/1961", "03/09/1961", "9 March 1961", "March 9, 1961"} {
		if len(n.find([]byte(hay))) == 0 {
			t.Errorf("%q not found", hay)
		}
	}
	if hits := n.find([]byte("Margaret Okafo")); len(hits) != 0 {
		t.Errorf("a near miss matched: %v", hits)
	}
	var jpg, png, pdf bytes.Buffer
	seedJPEG(t, &jpg)
	seedPNG(t, &png)
	pdf.WriteString("%PDF-1.7\n")
	for kind, data := range map[string][]byte{"JPEG": jpg.Bytes(), "PNG": png.Bytes(), "PDF": pdf.Bytes(),
		"MP4": []byte("\x00\x00\x00\x20ftypisom\x00\x00\x02\x00")} {
		if got := mediaSignature(append([]byte("some bytes before "), data...)); !strings.HasPrefix(got, kind) {
			t.Errorf("%s found as %q", kind, got)
		}
	}
}

func seedJPEG(t *testing.T, w *bytes.Buffer) {
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	if err := jpeg.Encode(w, img, &jpeg.Options{Quality: 80}); err != nil {
		t.Fatal(err)
	}
}

func seedPNG(t *testing.T, w *bytes.Buffer) {
	if err := png.Encode(w, image.NewRGBA(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
}
