package service_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/insights"
	"practicepost/app/service"
	"practicepost/app/store"
)

func TestInsightsServiceDashboardExportAndPost(t *testing.T) {
	ctx := context.Background()
	c, _ := newCore(t) // clock: 22 Nov 2026 10:00 UTC
	out := filepath.Join(t.TempDir(), "numbers")
	svc := service.NewServices(c, service.Deps{Secrets: auth.NewMemoryStore(), Save: &fakeSave{path: out}, Started: time.Now()})
	db, err := c.DB()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.SaveChannel(ctx, app.Channel{ID: "mastodon:1", Platform: "mastodon", AccountID: "1", Name: "@smile"}, "practice manager"); err != nil {
		t.Fatal(err)
	}
	dr, err := db.CreateDraft(ctx, app.Draft{Title: "Floss facts", Pillar: app.PillarTip})
	if err != nil {
		t.Fatal(err)
	}
	req := app.PublishRequest{DraftID: strconv.FormatInt(dr.ID, 10), Text: "Floss", Zone: "Europe/London"}
	jobs := []app.PublishJob{{Channel: "mastodon:1", Platform: "mastodon", State: app.JobQueued, Text: "Floss", IdemKey: "k"}}
	err = db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.CreatePublishRequest(ctx, &req, jobs, "practice manager"); err != nil {
			return err
		}
		j := jobs[0]
		j.State, j.RemoteID, j.PublishedAt = app.JobPublished, "113", time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
		if err := tx.SavePublishJob(ctx, &j, "system"); err != nil {
			return err
		}
		for _, s := range []insights.Snapshot{
			{JobID: j.ID, Day: "2026-11-20", At: time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC), Counts: insights.Counts{Reactions: 4}},
			{JobID: j.ID, Day: "2026-11-21", At: time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC), Counts: insights.Counts{Reactions: 9, Shares: 1}},
		} {
			if err := tx.SaveMetricSnapshot(ctx, s); err != nil {
				return err
			}
		}
		return tx.SaveChannelDay(ctx, insights.ChannelDay{Channel: "mastodon:1", Day: "2026-11-21", Followers: ptrInt(200)}, time.Time{})
	})
	if err != nil {
		t.Fatal(err)
	}

	v, err := svc.Insights.Dashboard(service.InsightsQuery{Period: "7d"})
	if err != nil {
		t.Fatal(err)
	}
	// 16..22 Nov in the practice's zone; one post with 9+1 = 10 interactions ÷ 200 followers = 0.05.
	if v.Label != "Last 7 days" || v.Dashboard.Period.From != "2026-11-16" || v.Dashboard.Period.To != "2026-11-22" || v.Dashboard.Totals.Posts != 1 || v.Dashboard.Totals.Interactions != 10 {
		t.Fatalf("view %+v", v)
	}
	if len(v.Dashboard.Posts) != 1 || v.Dashboard.Posts[0].Title != "Floss facts" || !v.Dashboard.Posts[0].HasRate || v.Dashboard.Posts[0].Rate != 0.05 || v.Dashboard.Posts[0].Basis != insights.BasisFollowers {
		t.Fatalf("posts %+v", v.Dashboard.Posts)
	}
	if len(v.Available) != 1 || v.Available[0].Title != "Mastodon" || !strings.Contains(v.Available[0].BasisNote, "followers") {
		t.Fatalf("channels %+v", v.Available)
	}
	m, err := svc.Insights.Dashboard(service.InsightsQuery{Period: "month", Month: "2026-10"})
	if err != nil || m.Label != "October 2026" || m.Dashboard.Period.To != "2026-10-31" || m.Dashboard.Totals.Posts != 0 {
		t.Fatalf("October: %+v %v", m, err)
	}

	// Bad input is refused with what to do.
	for _, q := range []service.InsightsQuery{
		{Period: "custom", From: "2026-11-10", To: "2026-11-01"},
		{Period: "custom", From: "yesterday"},
		{Period: "month", Month: "November"},
		{Period: "fortnight"},
		{Period: "7d", Channels: []string{"facebook:gone"}},
	} {
		if _, err := svc.Insights.Dashboard(q); app.ErrorCode(err) != app.EINVALID {
			t.Errorf("%+v: %v", q, err)
		}
	}

	path, err := svc.Insights.ExportCSV(service.InsightsQuery{Period: "30d"})
	if err != nil || path != out+".csv" {
		t.Fatalf("export %q %v", path, err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Header, two readings, one channel day.
	if lines := strings.Split(strings.TrimSpace(string(b)), "\n"); len(lines) != 4 || !strings.Contains(lines[2], "Floss facts") {
		t.Fatalf("csv:\n%s", b)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("csv readable by others: %v", fi.Mode())
	}

	rep, err := svc.Insights.MonthlyReport("2026-11")
	if err != nil || rep != out+".pdf" {
		t.Fatalf("report %q %v", rep, err)
	}
	if b, _ := os.ReadFile(rep); !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("report is not a PDF: %d bytes", len(b))
	}
	if _, err := svc.Insights.MonthlyReport("last month"); app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("bad month: %v", err)
	}

	nums, err := svc.Insights.Post(dr.ID)
	if err != nil || len(nums) != 1 || len(nums[0].Readings) != 2 || nums[0].Latest.Reactions != 9 {
		t.Fatalf("post numbers %+v %v", nums, err)
	}
	if none, err := svc.Insights.Post(dr.ID + 100); err != nil || len(none) != 0 {
		t.Fatalf("unknown draft %+v %v", none, err)
	}
}

func ptrInt(n int) *int { return &n }

// A cancelled save dialog saves nothing and says nothing; a folder that
// cannot be written to gets a message naming the screen and what to do,
// and leaves no file behind.
func TestInsightsExportCancelledOrUnwritable(t *testing.T) {
	c, _ := newCore(t) // clock: 22 Nov 2026 10:00 UTC
	dir := t.TempDir()
	notDir := filepath.Join(dir, "a file")
	if err := os.WriteFile(notDir, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	// The dialog's answer, changed between exports.
	answer := &fakeSave{}
	svc := service.NewServices(c, service.Deps{Secrets: auth.NewMemoryStore(), Save: answer, Started: time.Now()})
	export := func(path string) (string, string, error) {
		answer.path = path
		csv, err := svc.Insights.ExportCSV(service.InsightsQuery{Period: "30d"})
		if err != nil {
			return csv, "", err
		}
		pdf, err := svc.Insights.MonthlyReport("2026-11")
		return csv, pdf, err
	}

	if csv, pdf, err := export(""); csv != "" || pdf != "" || err != nil {
		t.Fatalf("cancelled: %q %q %v, want nothing saved and no error", csv, pdf, err)
	}
	for _, tc := range []struct{ answer, why string }{
		{filepath.Join(dir, "gone", "numbers.csv"), "that folder does not exist any more"},
		{filepath.Join(notDir, "numbers.csv"), "that folder does not exist any more"},
	} {
		_, _, err := export(tc.answer)
		msg := app.ErrorMessage(err)
		if app.ErrorCode(err) != app.EUNAVAILABLE || !strings.Contains(msg, tc.why) ||
			!strings.Contains(msg, "On Insights, click Export CSV again and choose a folder you can save to") ||
			!strings.Contains(msg, filepath.Dir(tc.answer)) {
			t.Errorf("%s: %v", tc.answer, err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 || entries[0].Name() != "a file" {
		t.Fatalf("the folder holds %v (%v), want only the file that was there", entries, err)
	}

	// The report says its own button.
	answer.path = filepath.Join(dir, "gone", "report")
	if _, err := svc.Insights.MonthlyReport("2026-11"); !strings.Contains(app.ErrorMessage(err), "On Insights, click Monthly report again") {
		t.Errorf("report to a missing folder: %v", err)
	}
}

// Saving over an earlier export replaces it whole and leaves no
// temporary file beside it.
func TestInsightsExportReplacesEarlierFile(t *testing.T) {
	c, _ := newCore(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "numbers.csv")
	if err := os.WriteFile(out, []byte(strings.Repeat("older export\n", 1000)), 0o644); err != nil {
		t.Fatal(err)
	}
	svc := service.NewServices(c, service.Deps{Secrets: auth.NewMemoryStore(), Save: &fakeSave{path: out}, Started: time.Now()})
	if path, err := svc.Insights.ExportCSV(service.InsightsQuery{Period: "30d"}); err != nil || path != out {
		t.Fatalf("export %q %v", path, err)
	}
	b, err := os.ReadFile(out)
	if err != nil || !strings.HasPrefix(string(b), "Date,Channel,") || strings.Contains(string(b), "older export") {
		t.Fatalf("csv after saving over the older one:\n%.200s (%v)", b, err)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm()&0o077 != 0 {
		t.Errorf("csv readable by others: %v", fi.Mode())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder holds %v, want only numbers.csv", entries)
	}
}
