package assets

import (
	"embed"
	"io/fs"
)

//go:embed templates/*.json
var designFS embed.FS

// DesignTemplates is the folder of studio design templates (one JSON file
// per template: layout boxes in relative units, text styles, colour roles).
func DesignTemplates() fs.FS { sub, _ := fs.Sub(designFS, "templates"); return sub }
