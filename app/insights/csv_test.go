package insights

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

func TestInsightsCSV(t *testing.T) {
	in := dashboardFixture(t)
	in.Posts[0].Title = "=HYPERLINK(\"x\")" // a title that looks like a formula
	var buf bytes.Buffer
	if err := WriteCSV(&buf, in.Posts, in.Snapshots, in.Days, []string{"facebook:1", "mastodon:3"}, in.Period, in.Loc); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Header + Facebook 4 and 10 Nov + Mastodon 2 Nov readings + Mastodon's 30 Nov channel day
	// (31 Oct is outside; Instagram and X are not asked for; 2 Dec is outside).
	if len(rows) != 5 {
		t.Fatalf("%d rows: %q", len(rows), rows)
	}
	if rows[1][0] != "2026-11-02" || rows[1][1] != "mastodon:3" || rows[1][9] != "6" || rows[1][14] != "" {
		t.Errorf("first reading %q", rows[1])
	}
	fb := rows[2]
	// Published 09:00 London time; reach 100, clicks 4, views not reported (empty, not 0).
	if fb[1] != "facebook:1" || !strings.HasPrefix(fb[4], "'=") || fb[5] != "2026-11-03 09:00" || fb[6] != "tip" || fb[15] != "100" || fb[16] != "4" || fb[14] != "" {
		t.Errorf("facebook row %q", fb)
	}
	if last := rows[4]; last[3] != "channel" || last[17] != "430" || last[0] != "2026-11-30" {
		t.Errorf("channel row %q", last)
	}
}
