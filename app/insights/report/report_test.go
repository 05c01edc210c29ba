package report_test

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/insights"
	"practicepost/app/insights/report"
)

func month(t *testing.T) insights.Dashboard {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	n := func(v int) *int { return &v }
	pillars := []app.Pillar{app.PillarTip, app.PillarMythFact, app.PillarTeam, app.PillarTestimonial, app.PillarEvent, app.PillarNews}
	var in insights.Input
	in.Period, in.Loc = insights.Period{From: "2026-11-01", To: "2026-11-30"}, loc
	in.Channels = []insights.Channel{{ID: "facebook:1", Platform: "facebook", Name: "Facebook · Smile Dental"}, {ID: "mastodon:1", Platform: "mastodon", Name: "Mastodon · @smile"}}
	for i := range 14 {
		ch, plat := "facebook:1", "facebook"
		if i%2 == 1 {
			ch, plat = "mastodon:1", "mastodon"
		}
		day := time.Date(2026, 11, 1+i*2, 9, 0, 0, 0, loc)
		in.Posts = append(in.Posts, insights.Post{JobID: int64(i + 1), Channel: ch, Platform: plat, Title: "Post number " + string(rune('A'+i)),
			PublishedAt: day, Pillar: pillars[i%len(pillars)], Testimonial: i%6 == 3})
		for k := 1; k <= 3; k++ {
			d := day.AddDate(0, 0, k)
			if d.Month() != time.November {
				break
			}
			in.Snapshots = append(in.Snapshots, insights.Snapshot{JobID: int64(i + 1), Day: d.Format(time.DateOnly),
				Counts: insights.Counts{Reactions: k * (3 + i%5), Comments: k, Reach: n(k * 60 * (1 + i%2))}})
		}
	}
	in.Days = []insights.ChannelDay{{Channel: "mastodon:1", Day: "2026-11-01", Followers: n(300)}, {Channel: "mastodon:1", Day: "2026-11-30", Followers: n(318)}}
	return insights.Compute(in)
}

func TestInsightsMonthlyReportPDF(t *testing.T) {
	d := month(t)
	for _, country := range []string{"GB", "US"} {
		b, err := report.PDF(report.Input{Practice: "Smile Dental", Country: country, Month: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
			Made: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), D: d, NoCompression: true})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("%PDF-")) || bytes.Count(b, []byte("/Type /Page\n"))+bytes.Count(b, []byte("/Type /Page ")) > 1 {
			t.Fatalf("%s: not a one-page PDF (%d bytes)", country, len(b))
		}
		if want := map[string]string{"GB": "MediaBox [ 0 0 595.00 842.00 ]", "US": "MediaBox [ 0 0 612.00 792.00 ]"}[country]; !bytes.Contains(b, []byte(want)) {
			t.Errorf("%s: page size %s missing", country, want)
		}
		if p := os.Getenv("INSIGHTS_REPORT_OUT"); p != "" {
			os.WriteFile(strings.Replace(p, ".pdf", "-"+country+".pdf", 1), b, 0o600)
		}
	}
	// An empty month still makes a page that says so.
	if _, err := report.PDF(report.Input{Practice: "Smile Dental", Month: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), D: insights.Dashboard{Period: insights.Period{From: "2026-10-01", To: "2026-10-31"}}}); err != nil {
		t.Fatal(err)
	}
}
