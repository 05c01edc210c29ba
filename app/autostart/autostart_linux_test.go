package autostart

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLinuxAutostartOnATemporaryHome(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", "")
	l, err := System()
	if err != nil {
		t.Fatal(err)
	}
	if on, _, err := l.Enabled(); err != nil || on {
		t.Fatalf("fresh home: %v %v", on, err)
	}
	exe := filepath.Join(home, "Apps", "Practice Post", "PracticePost")
	if err := l.Enable(exe); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(home, ".config", "autostart", "practicepost.desktop")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != DesktopEntry(exe) {
		t.Fatalf("wrote:\n%s", b)
	}
	on, got, err := l.Enabled()
	if err != nil || !on || got != exe {
		t.Fatalf("after Enable: %v %q %v", on, got, err)
	}
	// Enabling again (a moved copy) replaces the entry.
	if err := l.Enable("/opt/PracticePost/PracticePost"); err != nil {
		t.Fatal(err)
	}
	if _, got, _ := l.Enabled(); got != "/opt/PracticePost/PracticePost" {
		t.Fatalf("after moving: %q", got)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Fatalf("left behind: %v", entries)
	}
	if err := l.Disable(); err != nil {
		t.Fatal(err)
	}
	if on, _, _ := l.Enabled(); on {
		t.Fatal("still enabled after Disable")
	}
	if err := l.Disable(); err != nil {
		t.Fatalf("disabling twice: %v", err)
	}

	// XDG_CONFIG_HOME, when set, is where the entry goes.
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	l, _ = System()
	if err := l.Enable(exe); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(cfg, "autostart", "practicepost.desktop")); err != nil {
		t.Fatal(err)
	}
	// Where the autostart folder cannot be made (a file has its name), it
	// is an error, not a silent no.
	blocked := t.TempDir()
	if err := os.WriteFile(filepath.Join(blocked, "autostart"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CONFIG_HOME", blocked)
	l, _ = System()
	if err := l.Enable(exe); err == nil {
		t.Fatal("Enable where no folder can be made succeeded")
	}
}
