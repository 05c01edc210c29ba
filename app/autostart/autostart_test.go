package autostart

import (
	"encoding/xml"
	"strings"
	"testing"
)

var odd = []string{
	"/opt/PracticePost/PracticePost",
	"/home/sam/My Apps/Practice \"Post\"/$HOME`x`\\PracticePost",
	`C:\Program Files\PracticePost\PracticePost.exe`,
	"/Applications/PracticePost & Co <1>.app/Contents/MacOS/PracticePost",
}

func TestEntriesRoundTrip(t *testing.T) {
	for _, exe := range odd {
		if got := ExecFromDesktopEntry(DesktopEntry(exe)); got != exe {
			t.Errorf("desktop entry: %q came back as %q", exe, got)
		}
		if got := ExecFromLaunchAgent(LaunchAgent(exe)); got != exe {
			t.Errorf("launch agent: %q came back as %q", exe, got)
		}
		if got := ExecFromRunValue(RunValue(exe)); got != exe {
			t.Errorf("run value: %q came back as %q", exe, got)
		}
		// The property list is well-formed XML whatever the path holds.
		d := xml.NewDecoder(strings.NewReader(LaunchAgent(exe)))
		for {
			if _, err := d.Token(); err != nil {
				if err.Error() != "EOF" {
					t.Errorf("launch agent for %q is not XML: %v", exe, err)
				}
				break
			}
		}
	}
	e := DesktopEntry("/opt/p")
	for _, want := range []string{"[Desktop Entry]\n", "Type=Application\n", "Name=PracticePost\n", `Exec="/opt/p" --at-login` + "\n"} {
		if !strings.Contains(e, want) {
			t.Errorf("desktop entry lacks %q:\n%s", want, e)
		}
	}
	if ExecFromDesktopEntry("[Desktop Entry]\nExec=/usr/bin/other\n") != "" {
		t.Error("an entry PracticePost did not write was read as its own")
	}
}
