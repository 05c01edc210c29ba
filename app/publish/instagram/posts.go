package instagram

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"practicepost/app/publish"
)

// CreatePost creates a container from the hosted image, waits until
// Instagram has it (FINISHED), removes the image from the bucket, and
// publishes. A failure after media_publish was sent is read back before it
// is reported, so a live post is never shown as failed.
func (c *Client) CreatePost(ctx context.Context, p publish.Post) (res publish.Result, err error) {
	now := c.now()
	var hosted []string
	for _, m := range p.Media {
		if m.URL != "" {
			hosted = append(hosted, m.ID)
		}
	}
	cleaned := false
	cleanup := func() {
		if cleaned {
			return
		}
		cleaned = true
		for _, key := range hosted {
			if err := c.RemoveHosted(context.WithoutCancel(ctx), key); err != nil {
				// The queue recorded the key and tries again (and the
				// bucket's sweep is a backstop); the post is unaffected.
				slog.Warn("instagram: could not remove a hosted image", "kind", publish.KindOf(err))
			}
		}
	}
	defer cleanup()

	if !p.ScheduledAt.IsZero() {
		return publish.Result{}, rejected(now, "no_native_schedule", "Instagram does not hold scheduled posts for PracticePost; it sends them itself at the time.")
	}
	if len(p.Media) == 0 {
		return publish.Result{}, rejected(now, "image_required", "Instagram posts need an image. Add one, or leave Instagram out of this post.")
	}
	if len(p.Media) > 1 {
		return publish.Result{}, rejected(now, "too_many_images", "PracticePost posts one image per Instagram post. Remove the extra images.")
	}
	if p.Media[0].URL == "" {
		return publish.Result{}, rejected(now, "image_not_hosted", "The image for Instagram was not put where Instagram can download it. Send the post again.")
	}
	caption := publish.ComposeText(p.Text, p.Link)
	if n := len([]rune(caption)); n > Limits.MaxText {
		return publish.Result{}, rejected(now, "caption_too_long", fmt.Sprintf("The caption is %d characters; Instagram takes %d. Shorten it and send again.", n, Limits.MaxText))
	}
	if err := c.checkQuota(ctx); err != nil {
		return publish.Result{}, err
	}

	form := url.Values{"image_url": {p.Media[0].URL}, "caption": {caption}}
	if alt := strings.TrimSpace(p.Media[0].Alt); alt != "" {
		form.Set("alt_text", alt)
	}
	var container struct {
		ID string `json:"id"`
	}
	viaPage := strings.HasPrefix(p.Media[0].ID, pagePhotoPrefix)
	if _, err := c.do(ctx, http.MethodPost, "/"+c.userID+"/media", form, &container); err != nil {
		// A container is not a post: nothing can be live yet.
		return publish.Result{}, fetchErr(certain(err), viaPage)
	}
	if err := c.waitFinished(ctx, container.ID); err != nil {
		return publish.Result{}, fetchErr(certain(err), viaPage)
	}
	cleanup()

	since := c.now()
	var media struct {
		ID string `json:"id"`
	}
	raw, err := c.do(ctx, http.MethodPost, "/"+c.userID+"/media_publish", url.Values{"creation_id": {container.ID}}, &media)
	if err != nil {
		if r, ok := c.readBack(ctx, container.ID, p, since); ok {
			return r, nil
		}
		var pe *publish.Error
		if errors.As(err, &pe) && pe.Kind == publish.KindTransient {
			// The publish call reached Instagram: look before sending again.
			pe.Uncertain = true
		}
		return publish.Result{}, err
	}
	return publish.Result{ID: media.ID, URL: c.permalink(ctx, media.ID), Raw: raw}, nil
}

// fetchErr words Instagram's "could not fetch the media" (2207052) for the
// Page route: the bucket's advice would not fit, and Meta may end the
// undocumented route at any time.
func fetchErr(err error, viaPage bool) error {
	var pe *publish.Error
	if viaPage && errors.As(err, &pe) && strings.HasSuffix(pe.Code, "2207052") {
		pe.Message = "Instagram could not fetch the photo through the Facebook Page. Connect a storage bucket in Settings → Media hosting and choose it for Instagram in Channels, then send again."
	}
	return err
}

// certain clears Uncertain: before media_publish nothing can be live.
func certain(err error) error {
	var pe *publish.Error
	if errors.As(err, &pe) {
		pe.Uncertain = false
	}
	return err
}

var subcodeRE = regexp.MustCompile(`\b(2207\d{3}|36003)\b`)

func (c *Client) waitFinished(ctx context.Context, id string) error {
	start := c.now()
	for polls := 0; ; polls++ {
		var st struct {
			StatusCode string `json:"status_code"`
			Status     string `json:"status"`
		}
		raw, err := c.do(ctx, http.MethodGet, "/"+url.PathEscape(id), url.Values{"fields": {"status_code,status"}}, &st)
		if err != nil {
			return err
		}
		switch st.StatusCode {
		case "FINISHED", "PUBLISHED":
			return nil
		case "ERROR":
			sub := 0
			if m := subcodeRE.FindString(st.Status); m != "" {
				sub, _ = strconv.Atoi(m)
			}
			if sub == 36003 {
				sub = 2207009
			}
			kind := publish.KindRejected
			msg := subcodeMessages[sub]
			if sub == 2207003 || sub == 2207001 || sub == 2207032 {
				kind = publish.KindTransient
			}
			e := publish.NewError(publish.Instagram, kind, http.StatusOK, "ERROR/"+strconv.Itoa(sub), st.Status, raw, c.now(), time.Time{})
			if msg != "" {
				e.Message = msg
			} else if kind == publish.KindRejected {
				e.Message = "Instagram could not prepare the image (" + st.Status + "). Render the image again as JPEG and send again."
			}
			return e
		case "EXPIRED":
			e := publish.NewError(publish.Instagram, publish.KindTransient, http.StatusOK, "EXPIRED", st.Status, raw, c.now(), time.Time{})
			e.Message = "Instagram let the prepared post expire before it was published. PracticePost prepares it again shortly."
			return e
		}
		if c.now().Sub(start) >= c.opt.PollTimeout || time.Duration(polls+1)*c.opt.PollInterval > c.opt.PollTimeout {
			e := publish.NewError(publish.Instagram, publish.KindTransient, http.StatusOK, st.StatusCode, "the container did not finish in time", raw, c.now(), time.Time{})
			e.Message = "Instagram is taking a long time to prepare the image. PracticePost tries again shortly."
			return e
		}
		if err := publish.Pause(ctx, c.opt.PollInterval); err != nil {
			return publish.NetworkError(publish.Instagram, err, false)
		}
	}
}

// readBack asks, after a failed media_publish, whether the container went
// live anyway and, if so, which post it became.
func (c *Client) readBack(ctx context.Context, container string, p publish.Post, since time.Time) (publish.Result, bool) {
	var st struct {
		StatusCode string `json:"status_code"`
	}
	if _, err := c.do(ctx, http.MethodGet, "/"+url.PathEscape(container), url.Values{"fields": {"status_code"}}, &st); err == nil && st.StatusCode != "PUBLISHED" {
		return publish.Result{}, false
	}
	r, ok, err := c.FindPost(ctx, p, since)
	return r, ok && err == nil
}

type mediaItem struct {
	ID        string `json:"id"`
	Caption   string `json:"caption"`
	Timestamp string `json:"timestamp"`
	Permalink string `json:"permalink"`
}

func (m mediaItem) time() time.Time {
	t, err := time.Parse("2006-01-02T15:04:05-0700", m.Timestamp)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func (c *Client) recent(ctx context.Context, limit int) ([]mediaItem, error) {
	var out struct {
		Data []mediaItem `json:"data"`
	}
	_, err := c.do(ctx, http.MethodGet, "/"+c.userID+"/media", url.Values{"fields": {"id,caption,timestamp,permalink"}, "limit": {strconv.Itoa(limit)}}, &out)
	return out.Data, err
}

func (c *Client) permalink(ctx context.Context, id string) string {
	var m mediaItem
	if _, err := c.do(ctx, http.MethodGet, "/"+url.PathEscape(id), url.Values{"fields": {"permalink"}}, &m); err != nil {
		// The post is live; a missing link is only cosmetic.
		return ""
	}
	return m.Permalink
}

// FindPost looks for p among the account's recent posts by its caption.
func (c *Client) FindPost(ctx context.Context, p publish.Post, since time.Time) (publish.Result, bool, error) {
	items, err := c.recent(ctx, 25)
	if err != nil {
		return publish.Result{}, false, err
	}
	want := normalize(publish.ComposeText(p.Text, p.Link))
	for _, it := range items {
		if t := it.time(); !since.IsZero() && !t.IsZero() && t.Before(since.Add(-time.Minute)) {
			continue
		}
		if normalize(it.Caption) == want {
			return publish.Result{ID: it.ID, URL: it.Permalink}, true, nil
		}
	}
	return publish.Result{}, false, nil
}

func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

// ErrDeleteInApp is wrapped by DeletePost's error: the Graph API cannot
// delete Instagram posts.
var ErrDeleteInApp = errors.New("instagram: posts can only be deleted in the Instagram app")

// DeletePost cannot delete: Instagram's API offers no way to. The error
// tells the takedown list what the user has to do instead.
func (c *Client) DeletePost(_ context.Context, id string) error {
	e := publish.NewError(publish.Instagram, publish.KindPermission, 0, "delete_unsupported", "", nil, c.now(), time.Time{})
	d, _ := publish.Instagram.Info()
	e.Message = d.DeleteByHand
	e.Err = ErrDeleteInApp
	return e
}
