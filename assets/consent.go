package assets

import (
	"embed"
	"io/fs"
)

//go:embed consent/*.md
var consentFS embed.FS

// ConsentTemplates is the folder of shipped consent templates (Markdown with
// a small front matter), read by package consent.
func ConsentTemplates() fs.FS { sub, _ := fs.Sub(consentFS, "consent"); return sub }
