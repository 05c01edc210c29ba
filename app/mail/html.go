package mail

import (
	"io"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// htmlToText reduces an HTML mail body to the plain text a person would read:
// block elements become line breaks, <blockquote> content is prefixed with
// "> " so quoted history is recognised like in a plain-text reply, and
// scripts, styles and comments disappear.
func htmlToText(r io.Reader) string {
	z := html.NewTokenizer(r)
	var sb strings.Builder
	skip := 0  // depth inside <script>, <style>, <head>
	quote := 0 // depth inside <blockquote>
	atLineStart := true
	newline := func() {
		sb.WriteByte('\n')
		atLineStart = true
	}
	write := func(s string) {
		for i, line := range strings.Split(s, "\n") {
			if i > 0 {
				newline()
			}
			if line == "" {
				continue
			}
			if atLineStart {
				sb.WriteString(strings.Repeat("> ", quote))
				atLineStart = false
			}
			sb.WriteString(line)
		}
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return tidyText(sb.String())
		case html.TextToken:
			if skip > 0 {
				continue
			}
			t := string(z.Text())
			// Source whitespace (including newlines) collapses like a browser.
			t = strings.Join(strings.Fields(t), " ")
			if t == "" {
				continue
			}
			if !atLineStart && strings.ContainsAny(string(z.Raw()[:1]), " \t\r\n") {
				t = " " + t
			}
			write(t)
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			start := tt != html.EndTagToken
			switch a {
			case atom.Script, atom.Style, atom.Head, atom.Title:
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case atom.Blockquote:
				if !atLineStart {
					newline()
				}
				if tt == html.StartTagToken {
					quote++
				} else if tt == html.EndTagToken && quote > 0 {
					quote--
				}
			case atom.Br:
				newline()
			case atom.P, atom.Div, atom.Li, atom.Tr, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
				atom.Table, atom.Ul, atom.Ol, atom.Pre, atom.Hr:
				if !atLineStart {
					newline()
				}
			case atom.Td, atom.Th:
				if !start && !atLineStart {
					sb.WriteByte(' ')
				}
			case atom.Input:
				// A form-style checkbox pasted into a reply: keep its state.
				if start && hasAttr {
					typ, checked := "", false
					for {
						k, v, more := z.TagAttr()
						switch string(k) {
						case "type":
							typ = strings.ToLower(string(v))
						case "checked":
							checked = true
						}
						if !more {
							break
						}
					}
					if typ == "checkbox" {
						if checked {
							write("[x]")
						} else {
							write("[ ]")
						}
					}
				}
			}
		}
	}
}

// tidyText trims trailing spaces and collapses runs of blank lines.
func tidyText(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \t\u00a0")
		if strings.TrimSpace(strings.TrimLeft(l, "> ")) == "" && strings.TrimSpace(l) == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}
