package assets

import (
	"testing"

	"golang.org/x/image/font/sfnt"
)

// Every listed family must point at files that exist and parse, with a licence.
func TestFontFamiliesParse(t *testing.T) {
	if len(families) < 4 {
		t.Fatalf("the brand kit needs at least 4 families, have %d", len(families))
	}
	for _, f := range families {
		for _, file := range []string{f.Regular, f.Bold, f.Italic} {
			b, err := FontFile(file)
			if err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
			if _, err := sfnt.Parse(b); err != nil {
				t.Fatalf("%s %s does not parse: %v", f.Name, file, err)
			}
		}
		if l, err := FontFile(f.License); err != nil || len(l) < 1000 {
			t.Fatalf("%s: licence %s missing or short: %v", f.Name, f.License, err)
		}
	}
}
