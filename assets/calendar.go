package assets

import _ "embed"

// AwarenessDays is the health awareness calendar (rules, not dates: moving
// days are computed per year by package calendar).
//
//go:embed calendar/awareness.json
var AwarenessDays []byte

// StarterIdeas is the ideas library a new practice starts with.
//
//go:embed ideas/ideas.json
var StarterIdeas []byte
