//go:build dev

package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFileDialogsFromSaveDir(t *testing.T) {
	native := &wailsDialogs{}
	t.Setenv("PRACTICEPOST_SAVE_DIR", "")
	if got := fileDialogs(native); got != native {
		t.Fatalf("without PRACTICEPOST_SAVE_DIR: %T, want the native dialogs", got)
	}

	dir := t.TempDir()
	t.Setenv("PRACTICEPOST_SAVE_DIR", dir)
	d := fileDialogs(native)
	// Save as answers the suggested name in the folder, never outside it.
	for name, want := range map[string]string{
		"PracticePost report 2026-11.pdf": filepath.Join(dir, "PracticePost report 2026-11.pdf"),
		"../../etc/escape.csv":            filepath.Join(dir, "escape.csv"),
	} {
		if got, err := d.SaveFile("Save", name, "PDF documents (*.pdf)", "*.pdf"); err != nil || got != want {
			t.Errorf("SaveFile(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	if got, err := d.ChooseFolder("Choose", "/elsewhere"); err != nil || got != dir {
		t.Errorf("ChooseFolder = %q, %v; want %q", got, err, dir)
	}
	// Open answers the first matching file by name; nothing matching is a cancel.
	if got, err := d.ChooseFile("Open", dir, "Backups", "*.ppbackup"); err != nil || got != "" {
		t.Errorf("ChooseFile with no match = %q, %v", got, err)
	}
	for _, n := range []string{"b.ppbackup", "a.ppbackup", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(dir, n), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "0.ppbackup"), 0o700); err != nil { // a folder is not a file to open
		t.Fatal(err)
	}
	if got, err := d.ChooseFile("Open", dir, "Backups", "*.ppbackup"); err != nil || got != filepath.Join(dir, "a.ppbackup") {
		t.Errorf("ChooseFile = %q, %v; want a.ppbackup", got, err)
	}

	// A file named cancel makes every dialog answer as Cancel does.
	if err := os.WriteFile(filepath.Join(dir, "cancel"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	save, err1 := d.SaveFile("Save", "x.csv", "CSV files (*.csv)", "*.csv")
	folder, err2 := d.ChooseFolder("Choose", "")
	file, err3 := d.ChooseFile("Open", "", "Backups", "*.ppbackup")
	if save != "" || folder != "" || file != "" || err1 != nil || err2 != nil || err3 != nil {
		t.Errorf("cancelled: %q %q %q (%v %v %v), want three empty answers", save, folder, file, err1, err2, err3)
	}
}
