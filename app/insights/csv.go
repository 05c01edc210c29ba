package insights

import (
	"cmp"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// csvHeader is the export's one table: a row per post reading and a row
// per channel day. A figure the platform does not report is left empty,
// not written as 0.
var csvHeader = []string{"Date", "Channel", "Platform", "Row", "Post", "Published", "Pillar", "Testimonial", "Awareness day",
	"Reactions", "Comments", "Shares", "Quotes", "Saves", "Views", "Reach", "Clicks", "Followers", "Calls", "Directions", "Rolled up"}

// WriteCSV writes every metric for the channels asked for (all when
// channels is empty) from day from to day to: each post reading, then
// each channel day. Publish times are in loc.
func WriteCSV(w io.Writer, posts []Post, snaps []Snapshot, days []ChannelDay, channels []string, p Period, loc *time.Location) error {
	if loc == nil {
		loc = time.UTC
	}
	want := func(ch string) bool {
		if len(channels) == 0 {
			return true
		}
		for _, c := range channels {
			if c == ch {
				return true
			}
		}
		return false
	}
	byJob := map[int64]Post{}
	for _, post := range posts {
		byJob[post.JobID] = post
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	ss := slices.Clone(snaps)
	slices.SortStableFunc(ss, func(a, b Snapshot) int { return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.JobID, b.JobID)) })
	for _, s := range ss {
		post, ok := byJob[s.JobID]
		if !ok || !want(post.Channel) || !p.Contains(s.Day) {
			continue
		}
		row := []string{s.Day, post.Channel, post.Platform, "post", cell(post.Title), post.PublishedAt.In(loc).Format("2006-01-02 15:04"),
			string(post.Pillar), yesNo(post.Testimonial), cell(post.AwarenessID),
			strconv.Itoa(s.Reactions), strconv.Itoa(s.Comments), strconv.Itoa(s.Shares), strconv.Itoa(s.Quotes), strconv.Itoa(s.Saves),
			opt(s.Views), opt(s.Reach), opt(s.Clicks), "", "", "", yesNo(s.Month)}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	ds := slices.Clone(days)
	slices.SortStableFunc(ds, func(a, b ChannelDay) int { return cmp.Or(cmp.Compare(a.Day, b.Day), cmp.Compare(a.Channel, b.Channel)) })
	for _, d := range ds {
		if !want(d.Channel) || !p.Contains(d.Day) {
			continue
		}
		plat, _, _ := strings.Cut(d.Channel, ":")
		row := []string{d.Day, d.Channel, plat, "channel", "", "", "", "", "", "", "", "", "", "",
			opt(d.Views), "", opt(d.Clicks), opt(d.Followers), opt(d.Calls), opt(d.Directions), ""}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func opt(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// cell keeps a spreadsheet from reading a title as a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
