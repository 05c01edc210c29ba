package studio

import ()

// Size is an output canvas. Safe insets keep text and logos out of the
// parts a platform covers with its own interface (story header and reply
// bar); photos and backgrounds still bleed into them.
type Size struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Safe   Insets `json:"safe"`
}

// Insets are pixels kept clear on each edge.
type Insets struct {
	Top    int `json:"top"`
	Right  int `json:"right"`
	Bottom int `json:"bottom"`
	Left   int `json:"left"`
}

// Sizes are the canvases compliance.md §5 recommends. The story keeps
// 250 px at the top (profile name, progress bar) and 340 px at the bottom
// (reply box, link sticker) clear, which leaves a 1080×1330 (≈4:5) area.
var Sizes = []Size{
	{ID: "square", Name: "Square post (1080×1080)", Width: 1080, Height: 1080},
	{ID: "portrait", Name: "Portrait post (1080×1350)", Width: 1080, Height: 1350},
	{ID: "link", Name: "Link image (1200×630)", Width: 1200, Height: 630},
	{ID: "story", Name: "Story (1080×1920)", Width: 1080, Height: 1920, Safe: Insets{Top: 250, Bottom: 340}},
	{ID: "landscape", Name: "Google Business post (1200×900)", Width: 1200, Height: 900},
	{ID: "wide", Name: "X post (1600×900)", Width: 1600, Height: 900},
}

// SizeByID finds one of Sizes.
func SizeByID(id string) (Size, bool) {
	for _, s := range Sizes {
		if s.ID == id {
			return s, true
		}
	}
	return Size{}, false
}
