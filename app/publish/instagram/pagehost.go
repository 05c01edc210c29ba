package instagram

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"practicepost/app/publish"
	"practicepost/app/publish/internal/graph"
)

// PageRouteScopes are what the Page-photo route needs on top of
// RequiredScopes: pages_manage_posts to upload and delete the unpublished
// photo, pages_read_engagement to read its CDN address.
var PageRouteScopes = []string{"pages_manage_posts", "pages_read_engagement"}

// pagePhotoPrefix marks a Hosted.Key as a photo on the Facebook Page
// rather than an object in the bucket, so a leftover recorded before a
// restart goes back to the host that made it, whichever is chosen now.
const pagePhotoPrefix = "page-photo:"

// OnPage reports whether a hosted image's key names a photo on the
// Facebook Page (else it is an object in the practice's bucket).
func OnPage(key string) bool { return strings.HasPrefix(key, pagePhotoPrefix) }

// PageHost is the image host that needs no bucket (docs/meta.md §4.2):
// the image becomes an unpublished photo on the Facebook Page the
// Instagram account is linked to, Instagram downloads it from the signed
// CDN address Facebook gives (GET /{photo}?fields=images), and the photo
// is deleted once the container is done. Unpublished photos never show on
// the Page. Undocumented by Meta for this use, so the bucket stays the
// fallback (Options.Host).
type PageHost struct {
	c      *Client
	pageID string
}

var _ publish.MediaHost = (*PageHost)(nil)

// NewPageHost returns the Page-photo host for pageID; baseURL is the
// Facebook Graph root and token the Page token (the same token the
// Instagram account was connected with, Facebook Login variant).
func NewPageHost(baseURL, pageID, token string, opt Options) *PageHost {
	opt.Host, opt.Page = nil, nil
	return &PageHost{c: NewClient(baseURL, "", token, opt), pageID: pageID}
}

// PageRouteMissing lists the Page-route permissions scopes lacks, in the
// order PageRouteScopes names them; empty: the route is open.
func PageRouteMissing(scopes []string) []string {
	var missing []string
	for _, s := range PageRouteScopes {
		if !slices.Contains(scopes, s) {
			missing = append(missing, s)
		}
	}
	return missing
}

// Put uploads img as an unpublished Page photo and returns its largest CDN
// address. If the address cannot be read the photo is deleted again, so a
// failed Put leaves nothing on the Page.
func (h *PageHost) Put(ctx context.Context, img publish.Image) (publish.Hosted, error) {
	body, ct, err := publish.ImageForm("source", img, url.Values{"published": {"false"}})
	if err != nil {
		return publish.Hosted{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.c.base+"/"+url.PathEscape(h.pageID)+"/photos", body)
	if err != nil {
		return publish.Hosted{}, err
	}
	req.Header.Set("Content-Type", ct)
	var photo struct {
		ID string `json:"id"`
	}
	if err := h.c.send(req, &photo); err != nil {
		return publish.Hosted{}, pageErr(certain(err))
	}
	if photo.ID == "" {
		return publish.Hosted{}, rejected(h.c.now(), "page_photo_no_id", "Facebook took the image for Instagram but did not say where it is. PracticePost tries again shortly.")
	}
	key := pagePhotoPrefix + photo.ID
	var out struct {
		Images []struct {
			Width  int    `json:"width"`
			Height int    `json:"height"`
			Source string `json:"source"`
		} `json:"images"`
	}
	_, err = h.c.do(ctx, http.MethodGet, "/"+url.PathEscape(photo.ID), url.Values{"fields": {"images"}}, &out)
	if err == nil && len(out.Images) == 0 {
		err = publish.NewError(publish.Instagram, publish.KindTransient, http.StatusOK, "page_photo_no_images", "", nil, h.c.now(), time.Time{}).
			WithMessage("Facebook has not made the photo's download address yet. PracticePost tries again shortly.")
	}
	if err != nil {
		if derr := h.Delete(context.WithoutCancel(ctx), key); derr != nil {
			// Returned with the key so the queue records it and removes it later.
			return publish.Hosted{Key: key}, pageErr(certain(err))
		}
		return publish.Hosted{}, pageErr(certain(err))
	}
	// Graph lists the sizes largest first, but say so rather than trust it:
	// Instagram scales down, never up.
	best := out.Images[0]
	for _, im := range out.Images[1:] {
		if im.Width*im.Height > best.Width*best.Height {
			best = im
		}
	}
	return publish.Hosted{Key: key, URL: best.Source}, nil
}

// Delete removes the unpublished photo; one already gone (100/33) is not an
// error.
func (h *PageHost) Delete(ctx context.Context, key string) error {
	id, ok := strings.CutPrefix(key, pagePhotoPrefix)
	if !ok || id == "" {
		return publish.Rejected(publish.Instagram, h.c.now(), "not_page_photo", "PracticePost only removes Facebook photos it uploaded itself.")
	}
	_, err := h.c.do(ctx, http.MethodDelete, "/"+url.PathEscape(id), nil, nil)
	return pageErr(publish.Gone(err))
}

// send is do for a request with a body of its own (multipart).
func (c *Client) send(req *http.Request, out any) error {
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	resp, raw, err := publish.Do(c.opt.HTTP, req, publish.Instagram)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 || graph.Parse(raw) != nil {
		return c.classify(resp, raw)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return publish.NewError(publish.Instagram, publish.KindTransient, resp.StatusCode, "", "unreadable response", raw, c.now(), time.Time{})
	}
	return nil
}

// ErrPagePermission is wrapped by the error of a Page-route call the
// token may not make: the connector then falls back to the bucket.
var ErrPagePermission = errors.New("instagram: the Page token may not host the image on the Page")

// pageErr words a permission refusal for the route, naming the screen and
// the permissions (the Graph error does not say which one it wanted).
func pageErr(err error) error {
	var pe *publish.Error
	if !errors.As(err, &pe) || pe.Kind != publish.KindPermission {
		return err
	}
	pe.Message = "Instagram's image goes through the practice's Facebook Page, and Facebook refused PracticePost's token for that (it needs the " +
		strings.Join(PageRouteScopes, " and ") + " permissions). Open Channels and reconnect Instagram with a token that has them ticked, or connect a storage bucket in Settings → Media hosting."
	pe.Err = ErrPagePermission
	return pe
}
