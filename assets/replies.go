package assets

import _ "embed"

// The reply guard's rules and the reply templates are data, so the wording
// (UK and US) can be read and changed without reading the code.
var (
	//go:embed replies/rules.json
	replyRules []byte
	//go:embed replies/templates.json
	replyTemplates []byte
)

// ReplyRules is assets/replies/rules.json (read by guard.DefaultReplyRules).
func ReplyRules() []byte { return replyRules }

// ReplyTemplates is assets/replies/templates.json (read by inbox.Templates).
func ReplyTemplates() []byte { return replyTemplates }
