package gbp_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"practicepost/app/publish"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/gbp"
	"practicepost/app/publish/gbp/gbptest"
)

func metricsClient(t *testing.T, cfg gbptest.Config) (*gbp.Client, *gbptest.Server) {
	t.Helper()
	g, clock := start(t, cfg)
	return client(g, gbp.Options{HTTP: &http.Client{Timeout: 5 * time.Second}, Clock: clock, PerformanceURL: g.URL}), g
}

// Google has no per-post numbers; the location's daily series are summed per day
// (four impression series make one views figure), a day Google leaves without a
// value is 0, and days from today on are not there yet.
func TestLocationMetricsDailyOnly(t *testing.T) {
	c, g := metricsClient(t, gbptest.Config{MetricsSeed: 42})
	ctx := context.Background()
	if _, err := c.Metrics(ctx, "accounts/1/locations/2/localPosts/3"); err != publish.ErrNoMetrics {
		t.Fatalf("per-post metrics: %v, want ErrNoMetrics", err)
	}
	from := now.AddDate(0, 0, -7) // 7 Sep; now is 14 Sep 09:30
	days, err := c.LocationMetrics(ctx, from, now)
	if err != nil {
		t.Fatal(err)
	}
	// 7..13 Sep: seven days; the 14th (today) has no figures yet.
	if len(days) != 7 || days[0].Day != "2026-09-07" || days[6].Day != "2026-09-13" {
		t.Fatalf("days = %+v", days)
	}
	zeros := 0
	for i, d := range days {
		day := from.AddDate(0, 0, i).Truncate(24 * time.Hour)
		views := 0
		for _, m := range []string{"BUSINESS_IMPRESSIONS_DESKTOP_MAPS", "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH", "BUSINESS_IMPRESSIONS_MOBILE_MAPS", "BUSINESS_IMPRESSIONS_MOBILE_SEARCH"} {
			views += g.DailyValue(m, day)
		}
		if d.Views == nil || *d.Views != views {
			t.Errorf("%s views = %v, want %d", d.Day, d.Views, views)
		}
		for _, c := range []struct {
			got    *int
			metric string
		}{{d.Clicks, "WEBSITE_CLICKS"}, {d.Calls, "CALL_CLICKS"}, {d.Directions, "BUSINESS_DIRECTION_REQUESTS"}} {
			want := g.DailyValue(c.metric, day)
			if c.got == nil || *c.got != want {
				t.Errorf("%s %s = %v, want %d", d.Day, c.metric, c.got, want)
			}
			if want == 0 {
				zeros++
			}
		}
	}
	if zeros == 0 {
		t.Fatal("the seed gave no zero day: the left-out value case is not exercised; pick another seed")
	}
}

func TestLocationMetricsErrors(t *testing.T) {
	// A project Google has not approved yet has a quota of 0.
	c, _ := metricsClient(t, gbptest.Config{QuotaZero: true})
	_, err := c.LocationMetrics(context.Background(), now.AddDate(0, 0, -7), now)
	if k := publish.KindOf(err); k == "" || k == publish.KindTransient {
		t.Fatalf("quota 0: %v (kind %q)", err, k)
	}
	// A rate limit says so.
	c, g := metricsClient(t, gbptest.Config{MetricsSeed: 1})
	g.Faults.Add(fault.Fault{Path: ":fetchMultiDailyMetricsTimeSeries", Status: http.StatusTooManyRequests, Times: 1})
	if _, err := c.LocationMetrics(context.Background(), now.AddDate(0, 0, -7), now); publish.KindOf(err) != publish.KindRateLimited {
		t.Fatalf("429: %v", err)
	}
	if _, err := c.LocationMetrics(context.Background(), now.AddDate(0, 0, -7), now); err != nil {
		t.Fatalf("after the limit: %v", err)
	}
	// An expired token.
	g.ExpireToken()
	if _, err := c.LocationMetrics(context.Background(), now.AddDate(0, 0, -7), now); publish.KindOf(err) != publish.KindAuth {
		t.Fatalf("expired: %v", err)
	}
}
