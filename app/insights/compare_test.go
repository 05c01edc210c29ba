package insights

import (
	"strings"
	"testing"
	"time"
)

// The monthly report's and Month view's "last month" is the calendar month
// before: March against February, not the 31 days before March (which
// reach back to 29 January).
func TestInsightsMonthComparedWithPreviousCalendarMonth(t *testing.T) {
	mar := Period{From: "2026-03-01", To: "2026-03-31"}
	if got, want := mar.Previous(), (Period{From: "2026-02-01", To: "2026-02-28"}); got != want {
		t.Fatalf("March's previous = %+v, want %+v", got, want)
	}
	if got, want := (Period{From: "2024-03-01", To: "2024-03-31"}).Previous(), (Period{From: "2024-02-01", To: "2024-02-29"}); got != want {
		t.Fatalf("March 2024's previous = %+v, want %+v", got, want)
	}
	// A post published 30 Jan is not in the March report's "last month".
	in := Input{Period: mar, Loc: london(t), Posts: []Post{
		{JobID: 1, Channel: "mastodon:1", Platform: "mastodon", PublishedAt: time.Date(2026, 1, 30, 10, 0, 0, 0, time.UTC)},
		{JobID: 2, Channel: "mastodon:1", Platform: "mastodon", PublishedAt: time.Date(2026, 2, 27, 10, 0, 0, 0, time.UTC)},
	}, Snapshots: []Snapshot{
		{JobID: 1, Day: "2026-02-10", Counts: Counts{Reactions: 40}},
		{JobID: 2, Day: "2026-02-28", Counts: Counts{Reactions: 3}},
	}}
	d := Compute(in)
	if d.Previous.Posts != 1 || d.Previous.Interactions != 3 {
		t.Fatalf("March's last month = %s, want February's one post with 3 interactions", show(d.Previous))
	}
}

// Follower growth is not counted across a gap in reading: a count from
// August is not where November's growth starts. It is measured from the
// first count in November, and the dashboard says since when.
func TestInsightsGrowthNotCountedAcrossCollectionGap(t *testing.T) {
	nov := Period{From: "2026-11-01", To: "2026-11-30"}
	in := Input{Period: nov, Loc: time.UTC, Channels: []Channel{{ID: "mastodon:1", Platform: "mastodon"}},
		Days: []ChannelDay{
			{Channel: "mastodon:1", Day: "2026-08-01", Followers: n(100)},
			{Channel: "mastodon:1", Day: "2026-11-20", Followers: n(200)},
			{Channel: "mastodon:1", Day: "2026-11-30", Followers: n(205)},
		}}
	d := Compute(in)
	c := d.Channels[0]
	if c.Growth == nil || *c.Growth != 5 || c.GrowthSince != "2026-11-20" {
		t.Fatalf("November growth = %s since %q, want 5 since 2026-11-20", show(Totals{Growth: c.Growth}), c.GrowthSince)
	}
	if d.Totals.GrowthSince != "2026-11-20" {
		t.Fatalf("headline growth since %q, want 2026-11-20", d.Totals.GrowthSince)
	}
	// A count from within a few days before the period is where it starts.
	in.Days[0].Day = "2026-10-" + "29"
	d = Compute(in)
	if c := d.Channels[0]; c.Growth == nil || *c.Growth != 105 || c.GrowthSince != "" || d.Totals.GrowthSince != "" {
		t.Fatalf("growth from 29 Oct = %s since %q, want 105 over the whole month", show(Totals{Growth: c.Growth}), c.GrowthSince)
	}
}

// A channel's engagement rate divides by one figure: a Facebook post
// rated on reach and one rated on followers are not added into one
// denominator.
func TestInsightsChannelRateKeepsToOneBasis(t *testing.T) {
	in := Input{Period: Period{From: "2026-11-01", To: "2026-11-30"}, Loc: time.UTC,
		Channels: []Channel{{ID: "facebook:1", Platform: "facebook"}},
		Posts: []Post{
			{JobID: 1, Channel: "facebook:1", Platform: "facebook", PublishedAt: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)},
			{JobID: 2, Channel: "facebook:1", Platform: "facebook", PublishedAt: time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)},
		},
		Snapshots: []Snapshot{
			{JobID: 1, Day: "2026-11-10", Counts: Counts{Reactions: 50, Reach: n(500)}},
			{JobID: 2, Day: "2026-11-10", Counts: Counts{Reactions: 10}}, // no reach this time: ÷ followers
		},
		Days: []ChannelDay{{Channel: "facebook:1", Day: "2026-11-10", Followers: n(2000)}},
	}
	c := Compute(in).Channels[0]
	// 50 ÷ 500 reached; the post rated on followers is left out, and said to be.
	if !c.HasRate || !near(c.Rate, 0.1) || c.Basis != BasisReach || !strings.Contains(c.BasisNote, "1 post measured against another figure is left out") {
		t.Fatalf("channel rate %.4f basis %q note %q, want 0.1 on reach with a note", c.Rate, c.Basis, c.BasisNote)
	}
	// Every post on followers (a small Page): the rate is on followers alone.
	in.Snapshots[0].Reach = nil
	c = Compute(in).Channels[0]
	if !c.HasRate || !near(c.Rate, 60.0/4000) || c.Basis != BasisFollowers {
		t.Fatalf("small Page rate %.4f basis %q, want 60 ÷ 4000 followers", c.Rate, c.Basis)
	}
	// X's basis is impressions; one post rated on reach, another on
	// followers, none on impressions: no single figure, so no rate, and a note.
	in.Channels[0] = Channel{ID: "facebook:1", Platform: "x"}
	for i := range in.Posts {
		in.Posts[i].Platform = "x"
	}
	in.Snapshots[0].Reach = n(500)
	c = Compute(in).Channels[0]
	if c.HasRate || !strings.Contains(c.BasisNote, "No rate for this channel") {
		t.Fatalf("mixed fallbacks: rate %v %.4f note %q, want none with a note", c.HasRate, c.Rate, c.BasisNote)
	}
}

// A post's first reading weeks after it went out gains nothing that day
// (its numbers built up over weeks); one read soon after counts whole.
func TestInsightsFirstReadingOfOldPostGainsNothing(t *testing.T) {
	nov := Period{From: "2026-11-01", To: "2026-11-30"}
	in := Input{Period: nov, Loc: time.UTC, Posts: []Post{
		{JobID: 1, Channel: "mastodon:1", Platform: "mastodon", PublishedAt: time.Date(2026, 9, 1, 9, 0, 0, 0, time.UTC)},
		{JobID: 2, Channel: "mastodon:1", Platform: "mastodon", PublishedAt: time.Date(2026, 11, 19, 20, 0, 0, 0, time.UTC)},
	}, Snapshots: []Snapshot{
		{JobID: 1, Day: "2026-11-20", At: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), Counts: Counts{Reactions: 300}},
		{JobID: 1, Day: "2026-11-21", At: time.Date(2026, 11, 21, 9, 0, 0, 0, time.UTC), Counts: Counts{Reactions: 304}},
		{JobID: 2, Day: "2026-11-20", At: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), Counts: Counts{Reactions: 7}},
	}}
	got := map[string]int{}
	for _, p := range Compute(in).Series {
		got[p.Day] += p.Interactions
	}
	if got["2026-11-20"] != 7 || got["2026-11-21"] != 4 {
		t.Fatalf("series = %v, want 7 on 20 Nov (the new post) and 4 on 21 Nov", got)
	}
}

// A platform recount down and back up is not counted twice: the daily
// gains add up to what the post has.
func TestInsightsRecountDownAndUpCountedOnce(t *testing.T) {
	in := Input{Period: Period{From: "2026-11-01", To: "2026-11-30"}, Loc: time.UTC,
		Posts: []Post{{JobID: 1, Channel: "x:1", Platform: "x", PublishedAt: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}}}
	for i, r := range []int{100, 90, 100, 92, 100} {
		in.Snapshots = append(in.Snapshots, Snapshot{JobID: 1, Day: time.Date(2026, 11, 1+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly),
			At: time.Date(2026, 11, 1+i, 18, 0, 0, 0, time.UTC), Counts: Counts{Reactions: r, Views: n(1000 - i%2*100)}})
	}
	d := Compute(in)
	sum, views := 0, 0
	for _, p := range d.Series {
		sum += p.Interactions
		views += p.Views
	}
	if sum != 100 || sum != d.Totals.Interactions || views != 1000 {
		t.Fatalf("daily gains sum to %d interactions, %d views; the post has %d and 1000", sum, views, d.Totals.Interactions)
	}
}
