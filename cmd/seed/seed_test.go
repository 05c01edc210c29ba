package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"practicepost/app/audit"
	"practicepost/app/seal"
	"practicepost/app/store"
)

func count(t *testing.T, db *sql.DB, q string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestSeedWritesAPracticeThroughTheApp(t *testing.T) {
	home := filepath.Join(t.TempDir(), "PracticePost")
	names := filepath.Join(t.TempDir(), "names.txt")
	var out bytes.Buffer
	err := run(context.Background(), []string{"-home", home, "-patients", "24", "-seed", "7", "-names-out", names, "-secrets", "file"}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "seeded 24 patients") {
		t.Fatalf("output %q", out.String())
	}
	sdb, err := sql.Open("sqlite", "file:"+filepath.Join(home, store.FileName)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	patients := count(t, sdb, "SELECT COUNT(*) FROM patients")
	consents := count(t, sdb, "SELECT COUNT(*) FROM consents")
	signed := count(t, sdb, "SELECT COUNT(*) FROM consents WHERE signature_sha256 IS NOT NULL AND pdf_sha256 IS NOT NULL")
	testimonials := count(t, sdb, "SELECT COUNT(*) FROM testimonials WHERE consent_id IS NOT NULL")
	photos := count(t, sdb, "SELECT COUNT(*) FROM blobs WHERE mime = 'image/jpeg'")
	withdrawn := count(t, sdb, "SELECT COUNT(*) FROM consent_revocations")
	drafts := count(t, sdb, "SELECT COUNT(*) FROM drafts")
	published := count(t, sdb, "SELECT COUNT(*) FROM drafts WHERE status = 'published'")
	jobs := count(t, sdb, "SELECT COUNT(*) FROM publish_jobs WHERE state = 'published' AND remote_id != ''")
	if patients != 24 || consents == 0 || signed != consents || testimonials != consents || photos < consents || drafts == 0 || published == 0 || jobs != 2*published {
		t.Fatalf("patients %d consents %d signed %d testimonials %d photos %d withdrawn %d drafts %d published %d jobs %d",
			patients, consents, signed, testimonials, photos, withdrawn, drafts, published, jobs)
	}
	b, err := os.ReadFile(names)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 24 {
		t.Fatalf("%d names", len(lines))
	}
	sdb.Close()

	// The app, opening the folder with the same keychain, lists exactly the
	// seeded patients and finds the log intact.
	secrets, err := secretStore("file", home)
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenWith(context.Background(), filepath.Join(home, store.FileName),
		store.Options{Audit: audit.NewKeeper(secrets), Seal: seal.NewKeyring(secrets)})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ps, err := db.ListPatients(context.Background(), "", 1000)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, p := range ps {
		listed[p.FullName] = true
	}
	for _, n := range lines {
		if !listed[n] {
			t.Fatalf("listed name %q is not a patient", n)
		}
	}
	res, err := db.VerifyAudit(context.Background())
	if err != nil || !res.OK || !res.Keyed || !res.Anchored {
		t.Fatalf("%+v %v", res, err)
	}

	// The same seed writes the same practice.
	home2 := filepath.Join(t.TempDir(), "again")
	names2 := filepath.Join(t.TempDir(), "names.txt")
	if err := run(context.Background(), []string{"-home", home2, "-patients", "24", "-seed", "7", "-names-out", names2, "-secrets", "memory"}, &out); err != nil {
		t.Fatal(err)
	}
	if b2, _ := os.ReadFile(names2); !bytes.Equal(b, b2) {
		t.Fatal("same seed, different patients")
	}
}

func TestSeedRefusesBadArguments(t *testing.T) {
	var out bytes.Buffer
	for _, args := range [][]string{{}, {"-home", t.TempDir(), "-patients", "-1"}, {"-home", t.TempDir(), "-secrets", "vault"}} {
		if err := run(context.Background(), args, &out); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
