package instagram

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"practicepost/app/publish"
)

// Quota is the account's content publishing limit.
type Quota struct {
	Used   int
	Total  int
	Window time.Duration
}

// Quota reads content_publishing_limit. The total has changed over the
// years (25, 50, 100), so it is read, never assumed.
func (c *Client) Quota(ctx context.Context) (Quota, error) {
	var out struct {
		Data []struct {
			Usage  int `json:"quota_usage"`
			Config struct {
				Total    int `json:"quota_total"`
				Duration int `json:"quota_duration"`
			} `json:"config"`
		} `json:"data"`
	}
	if _, err := c.do(ctx, http.MethodGet, "/"+c.userID+"/content_publishing_limit", url.Values{"fields": {"quota_usage,config"}}, &out); err != nil {
		return Quota{}, err
	}
	if len(out.Data) == 0 {
		return Quota{}, publish.NewError(publish.Instagram, publish.KindTransient, http.StatusOK, "", "content_publishing_limit answered without data", nil, c.now(), time.Time{})
	}
	d := out.Data[0]
	q := Quota{Used: d.Usage, Total: d.Config.Total, Window: time.Duration(d.Config.Duration) * time.Second}
	if q.Window <= 0 {
		q.Window = 24 * time.Hour
	}
	return q, nil
}

// checkQuota refuses to start when the publishing limit is used up, with a
// reset estimated from the oldest post inside the window.
func (c *Client) checkQuota(ctx context.Context) error {
	q, err := c.Quota(ctx)
	if err != nil {
		return certain(err)
	}
	if q.Total <= 0 || q.Used < q.Total {
		return nil
	}
	now := c.now()
	reset := now.Add(time.Hour)
	if items, err := c.recent(ctx, 100); err == nil {
		oldest := time.Time{}
		for _, it := range items {
			if t := it.time(); !t.IsZero() && now.Sub(t) < q.Window && (oldest.IsZero() || t.Before(oldest)) {
				oldest = t
			}
		}
		if !oldest.IsZero() {
			reset = oldest.Add(q.Window)
		}
	}
	e := publish.NewError(publish.Instagram, publish.KindRateLimited, 0, "quota", fmt.Sprintf("%d of %d posts used", q.Used, q.Total), nil, now, reset)
	e.Message = fmt.Sprintf("Instagram lets apps publish %d posts per day for this account and all %d are used. Nothing is lost: PracticePost sends this one by itself %s.", q.Total, q.Used, untilText(now, reset))
	return e
}

func untilText(now, t time.Time) string {
	d := t.Sub(now).Round(time.Minute)
	if d < 90*time.Minute {
		return fmt.Sprintf("in about %d minutes", int(d/time.Minute))
	}
	return fmt.Sprintf("in about %d hours", int((d+30*time.Minute)/time.Hour))
}
