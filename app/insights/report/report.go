// Package report draws the monthly one-page Insights PDF for the practice
// owner: headline numbers against the month before, the daily chart and
// the pillar chart (drawn here, from the same insights.Dashboard as the
// page), the best posts and what to try next with the figures behind each.
package report

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/signintech/gopdf"

	"practicepost/app"
	"practicepost/app/insights"
	"practicepost/assets"
)

// Input is one month's report.
type Input struct {
	Practice string // the practice's name
	Country  string // "GB" (A4, 6 Dec 2026) or "US" (Letter, Dec 6, 2026)
	Month    time.Time
	Made     time.Time
	Zone     *time.Location
	D        insights.Dashboard
	// NoCompression writes content streams uncompressed (for inspection).
	NoCompression bool
}

const margin = 40.0

type colour struct{ r, g, b uint8 }

var (
	ink    = colour{33, 37, 41}
	grey   = colour{120, 125, 130}
	teal   = colour{18, 184, 134}
	blue   = colour{34, 139, 230}
	faint  = colour{230, 232, 235}
	series = []colour{teal, blue, {190, 75, 219}, {253, 126, 20}, {230, 73, 128}, {76, 110, 245}, {116, 184, 22}}
)

type page struct {
	pdf  *gopdf.GoPdf
	size *gopdf.Rect
	y    float64
	err  error
}

func (p *page) color(c colour) { p.pdf.SetTextColor(c.r, c.g, c.b) }
func (p *page) fill(c colour)  { p.pdf.SetFillColor(c.r, c.g, c.b) }

func (p *page) text(x, y float64, s, style string, size float64, c colour) {
	if p.err != nil {
		return
	}
	if p.err = p.pdf.SetFont("noto", style, size); p.err != nil {
		return
	}
	p.color(c)
	p.pdf.SetXY(x, y)
	p.err = p.pdf.Cell(nil, s)
}

// centred writes s in the regular face with its middle at cx.
func (p *page) centred(cx, y float64, s string, size float64, c colour) {
	if p.err != nil {
		return
	}
	if p.err = p.pdf.SetFont("noto", "", size); p.err != nil {
		return
	}
	w, err := p.pdf.MeasureTextWidth(s)
	if err != nil {
		p.err = err
		return
	}
	p.text(cx-w/2, y, s, "", size, c)
}

// wrap writes s wrapped to width w from (x, p.y) and moves p.y down.
func (p *page) wrap(x, w float64, s, style string, size float64, c colour) {
	if p.err != nil {
		return
	}
	if p.err = p.pdf.SetFont("noto", style, size); p.err != nil {
		return
	}
	lines, err := p.pdf.SplitTextWithWordWrap(s, w)
	if err != nil {
		p.err = err
		return
	}
	for _, l := range lines {
		p.text(x, p.y, l, style, size, c)
		p.y += size * 1.35
	}
}

func (p *page) rect(x, y, w, h float64, c colour) {
	if p.err != nil || w <= 0 || h <= 0 {
		return
	}
	p.fill(c)
	p.err = p.pdf.Rectangle(x, y, x+w, y+h, "F", 0, 0)
}

// DateLayout is the practice's date format.
func dateOf(country string, t time.Time) string {
	if country == "US" {
		return t.Format("Jan 2, 2006")
	}
	return t.Format("2 Jan 2006")
}

// PDF draws the report.
func PDF(in Input) ([]byte, error) {
	size := gopdf.PageSizeA4
	if in.Country == "US" {
		size = gopdf.PageSizeLetter
	}
	if in.Zone == nil {
		in.Zone = time.UTC
	}
	p := &page{pdf: &gopdf.GoPdf{}, size: size}
	p.pdf.Start(gopdf.Config{PageSize: *size, Unit: gopdf.UnitPT})
	if in.NoCompression {
		p.pdf.SetNoCompression()
	}
	for _, f := range []struct {
		file  string
		style int
	}{{"NotoSans-Regular.ttf", gopdf.Regular}, {"NotoSans-Bold.ttf", gopdf.Bold}} {
		data, err := assets.FontFile(f.file)
		if err != nil {
			return nil, app.Internal(err, "The report font is missing from this copy of PracticePost.")
		}
		if err := p.pdf.AddTTFFontDataWithOption("noto", data, gopdf.TtfOption{Style: f.style}); err != nil {
			return nil, app.Internal(err, "The report font could not be loaded.")
		}
	}
	p.pdf.AddPage()
	W := size.W - 2*margin
	d := in.D

	p.y = margin
	p.text(margin, p.y, in.Practice, "B", 18, ink)
	p.y += 24
	p.text(margin, p.y, "Social media in "+in.Month.Format("January 2006"), "", 12, grey)
	p.y += 26

	// Headline numbers against the month before.
	type stat struct {
		label     string
		now, prev *int
	}
	iv := func(n int) *int { return &n }
	stats := []stat{
		{"Posts", iv(d.Totals.Posts), iv(d.Previous.Posts)},
		{"Interactions", iv(d.Totals.Interactions), iv(d.Previous.Interactions)},
		{"Reach", d.Totals.Reach, d.Previous.Reach},
		{"Link clicks", d.Totals.Clicks, d.Previous.Clicks},
		{"New followers", d.Totals.Growth, nil},
	}
	bw := W / float64(len(stats))
	for i, s := range stats {
		x := margin + float64(i)*bw
		p.rect(x+2, p.y, bw-4, 58, colour{246, 247, 248})
		p.text(x+10, p.y+8, strings.ToUpper(s.label), "B", 7, grey)
		v := "–"
		if s.now != nil {
			v = thousands(*s.now)
		}
		p.text(x+10, p.y+20, v, "B", 16, ink)
		if s.now != nil && s.prev != nil {
			p.text(x+10, p.y+42, change(*s.now, *s.prev), "", 7, grey)
		}
	}
	p.y += 72

	// Daily interactions, all channels together.
	p.text(margin, p.y, "Interactions gained each day", "B", 11, ink)
	p.y += 18
	p.dailyChart(margin, p.y, W, 150, d, in.Month)
	p.y += 150 + 44

	// Pillars (left) and best posts (right).
	top := p.y
	half := (W - 20) / 2
	p.text(margin, p.y, "Interactions per post, by content pillar", "B", 11, ink)
	p.y += 18
	p.barList(margin, half, d.Pillars)
	leftEnd := p.y
	p.y = top
	p.text(margin+half+20, p.y, "Best posts", "B", 11, ink)
	p.y += 18
	shown := 0
	for _, r := range d.Posts {
		if !r.Read || shown == 3 {
			continue
		}
		shown++
		title := r.Title
		if len([]rune(title)) > 48 {
			title = string([]rune(title)[:46]) + "…"
		}
		p.text(margin+half+20, p.y, fmt.Sprintf("%d. %s", shown, title), "B", 9, ink)
		p.y += 13
		line := fmt.Sprintf("%s · %s · %d interactions", platformTitle(r.Platform), dateOf(in.Country, r.PublishedAt.In(in.Zone)), r.Interactions)
		if r.HasRate {
			line += fmt.Sprintf(" · %s%% of %s", oneDecimal(r.Rate*100), map[insights.Basis]string{insights.BasisReach: "people reached",
				insights.BasisViews: "views", insights.BasisFollowers: "followers"}[r.Basis])
		}
		p.text(margin+half+20, p.y, line, "", 8, grey)
		p.y += 18
	}
	if shown == 0 {
		p.text(margin+half+20, p.y, "No posts with numbers this month.", "", 9, grey)
		p.y += 14
	}
	p.y = max(p.y, leftEnd) + 16

	// What to try next, each with its figures.
	p.text(margin, p.y, "What to try next", "B", 11, ink)
	p.y += 18
	for _, s := range insights.Suggest(d) {
		p.wrap(margin, W, "• "+s.Text, "B", 9.5, ink)
		p.wrap(margin+9, W-9, s.Basis, "", 8.5, grey)
		p.y += 4
	}

	// The per-platform rate basis, once.
	p.y += 6
	var notes []string
	seen := map[string]bool{}
	for _, c := range d.Channels {
		if n := insights.RateBasis[c.Platform].Note; n != "" && !seen[c.Platform] {
			seen[c.Platform] = true
			notes = append(notes, n)
		}
	}
	sort.Strings(notes)
	if len(notes) > 0 {
		p.wrap(margin, W, "Engagement rate: "+strings.Join(notes, " "), "", 7, grey)
	}
	p.text(margin, size.H-margin, fmt.Sprintf("Made by PracticePost on %s. Numbers as the platforms reported them. No patient data.", dateOf(in.Country, in.Made.In(in.Zone))), "", 7, grey)

	if p.err != nil {
		return nil, app.Internal(p.err, "The monthly report could not be made.")
	}
	var buf bytes.Buffer
	if _, err := p.pdf.WriteTo(&buf); err != nil {
		return nil, app.Internal(err, "The monthly report could not be made.")
	}
	return buf.Bytes(), nil
}

// thousands writes 3780 as "3,780".
func thousands(n int) string {
	s := fmt.Sprintf("%d", n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if neg {
		return "-" + s
	}
	return s
}

func change(now, prev int) string {
	if prev == 0 {
		if now == 0 {
			return "same as last month"
		}
		return "none last month"
	}
	pct := float64(now-prev) / float64(prev) * 100
	if pct >= 0 {
		return fmt.Sprintf("up %.0f%% on last month (%d)", pct, prev)
	}
	return fmt.Sprintf("down %.0f%% on last month (%d)", -pct, prev)
}

func platformTitle(p string) string {
	names := map[string]string{"facebook": "Facebook", "instagram": "Instagram", "linkedin": "LinkedIn", "google": "Google", "x": "X", "mastodon": "Mastodon", "bluesky": "Bluesky"}
	if n, ok := names[p]; ok {
		return n
	}
	return p
}

// dailyChart draws one stacked column per day of the month, a colour per
// channel, with a scale on the left.
func (p *page) dailyChart(x, y, w, h float64, d insights.Dashboard, month time.Time) {
	days := d.Period.Days()
	if days == 0 {
		return
	}
	start, _ := time.Parse(time.DateOnly, d.Period.From)
	idx := map[string]int{}
	for i, c := range d.Channels {
		idx[c.ID] = i
	}
	per := make([]map[int]int, days)
	peak := 0
	for i := range per {
		per[i] = map[int]int{}
	}
	for _, pt := range d.Series {
		t, err := time.Parse(time.DateOnly, pt.Day)
		if err != nil {
			continue
		}
		i := int(t.Sub(start).Hours() / 24)
		if i < 0 || i >= days {
			continue
		}
		per[i][idx[pt.Channel]] += pt.Interactions
	}
	for _, m := range per {
		sum := 0
		for _, v := range m {
			sum += v
		}
		peak = max(peak, sum)
	}
	axis := 24.0
	p.rect(x+axis, y+h, w-axis, 0.6, faint)
	if peak == 0 {
		p.text(x+axis+8, y+h/2, "No numbers were read this month.", "", 9, grey)
		return
	}
	p.text(x, y-3, fmt.Sprintf("%d", peak), "", 7, grey)
	p.text(x, y+h-8, "0", "", 7, grey)
	p.rect(x+axis, y, w-axis, 0.4, faint)
	col := (w - axis) / float64(days)
	for i, m := range per {
		top := y + h
		for ci := 0; ci < len(d.Channels); ci++ {
			v := m[ci]
			if v == 0 {
				continue
			}
			bh := h * float64(v) / float64(peak)
			top -= bh
			p.rect(x+axis+float64(i)*col+col*0.15, top, col*0.7, bh, series[ci%len(series)])
		}
		if i == 0 || (i+1)%7 == 0 {
			// Centred under its own column: at the column's left edge the
			// label sat beside the bar of the day before and was read as its date.
			p.centred(x+axis+(float64(i)+0.5)*col, y+h+4, start.AddDate(0, 0, i).Format("2"), 6.5, grey)
		}
	}
	// Legend under the chart.
	lx := x + axis
	for i, c := range d.Channels {
		if lx > x+w-80 {
			break
		}
		p.rect(lx, y+h+15, 7, 7, series[i%len(series)])
		name := c.Name
		if len([]rune(name)) > 28 {
			name = string([]rune(name)[:27]) + "…"
		}
		p.text(lx+10, y+h+14, name, "", 7, grey)
		if p.err == nil {
			if wd, err := p.pdf.MeasureTextWidth(name); err == nil {
				lx += wd + 24
			}
		}
	}
}

// barList draws one labelled horizontal bar per group: interactions per
// post, with the posts behind it.
func (p *page) barList(x, w float64, gs []insights.Group) {
	peak := 0.0
	for _, g := range gs {
		peak = max(peak, g.Mean)
	}
	label := 90.0
	for _, g := range gs {
		p.text(x, p.y, g.Label, "", 8, ink)
		bw := 0.0
		if peak > 0 {
			bw = (w - label - 60) * g.Mean / peak
		}
		p.rect(x+label, p.y+1, bw, 9, teal)
		p.text(x+label+bw+4, p.y, groupNote(g), "", 7.5, grey)
		p.y += 15
	}
}

// groupNote is the figure beside a group's bar: interactions per post and
// the posts behind it, or that there were none (not an average of 0.0).
func groupNote(g insights.Group) string {
	if g.Posts == 0 {
		return "no posts"
	}
	return fmt.Sprintf("%s (%d %s)", oneDecimal(g.Mean), g.Posts, plural(g.Posts))
}

// oneDecimal rounds halves up, as the Insights page does (JavaScript's
// Math.round and toFixed): 20.25 is 20.3 on both, where %.1f says 20.2.
func oneDecimal(v float64) string {
	return strconv.FormatFloat(math.Round(v*10)/10, 'f', 1, 64)
}

func plural(n int) string {
	if n == 1 {
		return "post"
	}
	return "posts"
}
