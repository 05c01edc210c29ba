package bluesky

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/rivo/uniseg"
)

// Facet marks a byte range of the post text as a link or hashtag. Offsets
// are UTF-8 bytes, which is what Go string indices already are.
type Facet struct {
	Index    FacetIndex     `json:"index"`
	Features []FacetFeature `json:"features"`
}

// FacetIndex is a half-open byte range [ByteStart, ByteEnd).
type FacetIndex struct {
	ByteStart int `json:"byteStart"`
	ByteEnd   int `json:"byteEnd"`
}

// FacetFeature is one member of the app.bsky.richtext.facet union.
type FacetFeature struct {
	Type string `json:"$type"`
	URI  string `json:"uri,omitempty"`
	Tag  string `json:"tag,omitempty"`
}

var (
	linkRe = regexp.MustCompile(`https?://[^\s<>"]+`)
	tagRe  = regexp.MustCompile(`(?:^|\s)([#＃][^\s#＃]+)`)
)

// Facets finds links (http and https) and hashtags in text. Bluesky does
// not link anything by itself: without facets a URL is plain text.
func Facets(text string) []Facet {
	var out []Facet
	for _, m := range linkRe.FindAllStringIndex(text, -1) {
		start, end := m[0], m[0]+len(trimURL(text[m[0]:m[1]]))
		out = append(out, Facet{
			Index:    FacetIndex{start, end},
			Features: []FacetFeature{{Type: "app.bsky.richtext.facet#link", URI: text[start:end]}},
		})
	}
	for _, m := range tagRe.FindAllStringSubmatchIndex(text, -1) {
		start := m[2]
		raw := text[start:m[3]]
		_, size := firstRune(raw)
		tag := strings.TrimRightFunc(raw[size:], unicode.IsPunct)
		if tag == "" || isDigits(tag) || uniseg.GraphemeClusterCount(tag) > 64 {
			continue
		}
		out = append(out, Facet{
			Index:    FacetIndex{start, start + size + len(tag)},
			Features: []FacetFeature{{Type: "app.bsky.richtext.facet#tag", Tag: tag}},
		})
	}
	return out
}

// trimURL drops sentence punctuation that follows a URL, keeping a closing
// parenthesis only when the URL opened one.
func trimURL(u string) string {
	for len(u) > 0 {
		last := u[len(u)-1]
		if strings.ContainsRune(".,;:!?'\"", rune(last)) || (last == ')' && !strings.Contains(u, "(")) {
			u = u[:len(u)-1]
			continue
		}
		break
	}
	return u
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

func isDigits(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
