// Package assets embeds the data PracticePost ships: fonts (OFL, with their
// licences), consent templates, design templates and calendars.
package assets

import (
	"embed"
	"io/fs"
	"sort"
)

//go:embed fonts/*.ttf fonts/*.otf fonts/*.txt
var fontFS embed.FS

// FontFamily is one bundled typeface and the files of its styles.
type FontFamily struct {
	Name    string `json:"name"`
	Kind    string `json:"kind"` // "sans", "serif", "display"
	Regular string `json:"regular"`
	Bold    string `json:"bold"`
	Italic  string `json:"italic"`
	License string `json:"license"`
}

var families = []FontFamily{
	{Name: "Inter", Kind: "sans", Regular: "Inter-Regular.otf", Bold: "Inter-Bold.otf", Italic: "Inter-Italic.otf", License: "OFL-Inter.txt"},
	{Name: "Noto Sans", Kind: "sans", Regular: "NotoSans-Regular.ttf", Bold: "NotoSans-Bold.ttf", Italic: "NotoSans-Italic.ttf", License: "OFL-Noto.txt"},
	{Name: "Noto Serif", Kind: "serif", Regular: "NotoSerif-Regular.ttf", Bold: "NotoSerif-Bold.ttf", Italic: "NotoSerif-Italic.ttf", License: "OFL-Noto.txt"},
	{Name: "Noto Sans Display", Kind: "display", Regular: "NotoSansDisplay-Regular.ttf", Bold: "NotoSansDisplay-Bold.ttf", Italic: "NotoSansDisplay-Regular.ttf", License: "OFL-Noto.txt"},
	{Name: "Noto Serif Display", Kind: "display", Regular: "NotoSerifDisplay-Regular.ttf", Bold: "NotoSerifDisplay-Bold.ttf", Italic: "NotoSerifDisplay-Italic.ttf", License: "OFL-Noto.txt"},
}

// FontFamilies lists the bundled typefaces.
func FontFamilies() []FontFamily { return append([]FontFamily(nil), families...) }

// FontNames lists the family names, for validating a brand kit.
func FontNames() []string {
	out := make([]string, len(families))
	for i, f := range families {
		out[i] = f.Name
	}
	sort.Strings(out)
	return out
}

// Family returns the family called name.
func Family(name string) (FontFamily, bool) {
	for _, f := range families {
		if f.Name == name {
			return f, true
		}
	}
	return FontFamily{}, false
}

// FontFile returns the bytes of a bundled font file such as "Inter-Bold.otf".
func FontFile(file string) ([]byte, error) { return fontFS.ReadFile("fonts/" + file) }

// Fonts is the embedded fonts folder, served to the UI under /fonts/.
func Fonts() fs.FS { sub, _ := fs.Sub(fontFS, "fonts"); return sub }
