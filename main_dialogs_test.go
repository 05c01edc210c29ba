//go:build !dev

package main

import (
	"os/exec"
	"strings"
	"testing"
)

// The release build opens the native dialogs whatever the environment says:
// PRACTICEPOST_SAVE_DIR is the development build's alone.
func TestReleaseDialogsAreNative(t *testing.T) {
	t.Setenv("PRACTICEPOST_SAVE_DIR", t.TempDir())
	native := &wailsDialogs{}
	if got := fileDialogs(native); got != native {
		t.Fatalf("release build answered %T, want the native dialogs", got)
	}
}

// No development stand-in (dialogs, clock, secrets, update feed) is
// compiled into the release app: the files with the dev build tag are
// left out of the package as make build compiles it.
func TestReleaseLeavesOutDevFiles(t *testing.T) {
	out, err := exec.Command("go", "list", "-tags", "webkit2_41", "-f", `{{join .GoFiles " "}}`, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	files := strings.Fields(string(out))
	if len(files) == 0 {
		t.Fatalf("go list named no files: %q", out)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_dev.go") {
			t.Errorf("the release build compiles %s", f)
		}
	}
	if !strings.Contains(" "+string(out), " main_dialogs.go") {
		t.Errorf("the release build lacks main_dialogs.go: %q", out)
	}
}
