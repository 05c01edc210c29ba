package assets

import (
	"strings"
	"testing"
)

// The shipped list names the libraries a practice's copy is built from,
// each with a licence and its text (cmd/licences writes it; make
// check-licences keeps it current).
func TestLibrariesShipTheirLicences(t *testing.T) {
	libs, err := Libraries()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"github.com/wailsapp/wails/v2": "MIT",
		"modernc.org/sqlite":           "BSD-3-Clause",
		"Go standard library":          "BSD-3-Clause",
		"react":                        "MIT",
		"@mantine/core":                "MIT",
	}
	seen := map[string]bool{}
	for _, l := range libs {
		if l.Name == "" || l.Version == "" || l.Licence == "" || (l.Ecosystem != "Go" && l.Ecosystem != "npm") {
			t.Errorf("incomplete entry %+v", l)
		}
		if len(strings.TrimSpace(l.Text)) < 100 {
			t.Errorf("%s %s: licence text missing or too short (%d chars)", l.Ecosystem, l.Name, len(l.Text))
		}
		key := l.Ecosystem + " " + l.Name + " " + l.Version
		if seen[key] {
			t.Errorf("%s listed twice", key)
		}
		seen[key] = true
		if lic, ok := want[l.Name]; ok {
			if l.Licence != lic {
				t.Errorf("%s: licence %q, want %q", l.Name, l.Licence, lic)
			}
			delete(want, l.Name)
		}
	}
	for name := range want {
		t.Errorf("%s is missing from the list", name)
	}
}
