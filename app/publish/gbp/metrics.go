package gbp

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"time"

	"practicepost/app/publish"
)

// Metrics returns publish.ErrNoMetrics: Google removed per-post insights;
// only location-level performance remains.
func (c *Client) Metrics(context.Context, string) (publish.Metrics, error) {
	return publish.Metrics{}, publish.ErrNoMetrics
}

// Daily metrics read for the location, and how they add up: the four
// impression series are one "views" figure.
var (
	viewMetrics  = []string{"BUSINESS_IMPRESSIONS_DESKTOP_MAPS", "BUSINESS_IMPRESSIONS_DESKTOP_SEARCH", "BUSINESS_IMPRESSIONS_MOBILE_MAPS", "BUSINESS_IMPRESSIONS_MOBILE_SEARCH"}
	dailyMetrics = append(append([]string{}, viewMetrics...), "WEBSITE_CLICKS", "CALL_CLICKS", "BUSINESS_DIRECTION_REQUESTS")
	isViewMetric = map[string]bool{viewMetrics[0]: true, viewMetrics[1]: true, viewMetrics[2]: true, viewMetrics[3]: true}
)

// LocationMetrics reads the location's daily figures for the days from..to
// (dates in the location's own calendar, both included) with
// locations.fetchMultiDailyMetricsTimeSeries. Google leaves out the value
// of a day with nothing (zero); a day missing from a series is not
// reported yet.
func (c *Client) LocationMetrics(ctx context.Context, from, to time.Time) ([]publish.LocationDay, error) {
	q := url.Values{}
	for _, m := range dailyMetrics {
		q.Add("dailyMetrics", m)
	}
	for _, d := range []struct {
		name string
		t    time.Time
	}{{"startDate", from}, {"endDate", to}} {
		q.Set("dailyRange."+d.name+".year", strconv.Itoa(d.t.Year()))
		q.Set("dailyRange."+d.name+".month", strconv.Itoa(int(d.t.Month())))
		q.Set("dailyRange."+d.name+".day", strconv.Itoa(d.t.Day()))
	}
	var out struct {
		Multi []struct {
			Series []struct {
				Metric     string `json:"dailyMetric"`
				TimeSeries struct {
					Values []struct {
						Date struct {
							Year  int `json:"year"`
							Month int `json:"month"`
							Day   int `json:"day"`
						} `json:"date"`
						Value *string `json:"value"` // int64 as a JSON string; absent for 0
					} `json:"datedValues"`
				} `json:"timeSeries"`
			} `json:"dailyMetricTimeSeries"`
		} `json:"multiDailyMetricTimeSeries"`
	}
	u := c.opt.PerformanceURL + "/v1/locations/" + url.PathEscape(c.location) + ":fetchMultiDailyMetricsTimeSeries?" + q.Encode()
	if _, err := c.do(ctx, http.MethodGet, u, nil, &out); err != nil {
		return nil, err
	}
	days := map[string]*publish.LocationDay{}
	add := func(p **int, v int) {
		if *p == nil {
			*p = new(int)
		}
		**p += v
	}
	for _, m := range out.Multi {
		for _, s := range m.Series {
			for _, dv := range s.TimeSeries.Values {
				day := fmt.Sprintf("%04d-%02d-%02d", dv.Date.Year, dv.Date.Month, dv.Date.Day)
				v := 0
				if dv.Value != nil {
					n, err := strconv.Atoi(*dv.Value)
					if err != nil {
						continue
					}
					v = n
				}
				d := days[day]
				if d == nil {
					d = &publish.LocationDay{Day: day}
					days[day] = d
				}
				switch {
				case isViewMetric[s.Metric]:
					add(&d.Views, v)
				case s.Metric == "WEBSITE_CLICKS":
					add(&d.Clicks, v)
				case s.Metric == "CALL_CLICKS":
					add(&d.Calls, v)
				case s.Metric == "BUSINESS_DIRECTION_REQUESTS":
					add(&d.Directions, v)
				}
			}
		}
	}
	res := make([]publish.LocationDay, 0, len(days))
	for _, d := range days {
		res = append(res, *d)
	}
	sort.Slice(res, func(i, j int) bool { return res[i].Day < res[j].Day })
	return res, nil
}
