package gbp

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"time"

	"practicepost/app"
	"practicepost/app/publish"
)

var _ publish.Inboxer = (*Client)(nil)

// maxReviewPages bounds one listing (50 reviews a page).
const maxReviewPages = 400

// maxReplyBytes is Google's limit on a review reply (contracts §13.4), as
// the platform table states it; the gate refuses a longer one first.
var maxReplyBytes = func() int { d, _ := app.PlatformGoogle.Info(); return d.ReplyMaxBytes }()

var starValues = []string{"STAR_RATING_UNSPECIFIED", "ONE", "TWO", "THREE", "FOUR", "FIVE"}

type review struct {
	Name       string `json:"name"`
	ReviewID   string `json:"reviewId"`
	StarRating string `json:"starRating"`
	Comment    string `json:"comment"`
	CreateTime string `json:"createTime"`
	UpdateTime string `json:"updateTime"`
	Reviewer   struct {
		DisplayName string `json:"displayName"`
		IsAnonymous bool   `json:"isAnonymous"`
	} `json:"reviewer"`
	ReviewReply *reviewReply `json:"reviewReply"`
	ReplyURL    string       `json:"reviewReplyUrl"`
}

type reviewReply struct {
	Comment    string `json:"comment"`
	UpdateTime string `json:"updateTime"`
	ReplyState string `json:"replyState"`
}

func rfc3339(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t.UTC()
}

// Comments lists every review of the location, newest update first, 50 a
// page (Google's maximum). postID is ignored: reviews belong to the
// location. A review that vanishes between pages is simply not listed.
func (c *Client) Comments(ctx context.Context, _ string) ([]publish.Comment, error) {
	q := url.Values{"pageSize": {"50"}, "orderBy": {"updateTime desc"}}
	out := []publish.Comment{}
	seen := map[string]bool{}
	for page := 0; page < maxReviewPages; page++ {
		var resp struct {
			Reviews       []review `json:"reviews"`
			NextPageToken string   `json:"nextPageToken"`
		}
		if _, err := c.do(ctx, http.MethodGet, c.base+"/v4/"+c.parent+"/reviews?"+q.Encode(), nil, &resp); err != nil {
			return nil, err
		}
		for _, r := range resp.Reviews {
			if r.ReviewID == "" || seen[r.ReviewID] {
				continue
			}
			seen[r.ReviewID] = true
			pc := publish.Comment{ID: r.ReviewID, PostID: c.location, URL: r.ReplyURL, Text: r.Comment,
				Stars: slices.Index(starValues, r.StarRating), CreatedAt: rfc3339(r.CreateTime), UpdatedAt: rfc3339(r.UpdateTime), CanReply: true}
			if pc.Stars < 0 {
				pc.Stars = 0
			}
			if !r.Reviewer.IsAnonymous {
				pc.Author = r.Reviewer.DisplayName
			}
			if r.ReviewReply != nil && r.ReviewReply.Comment != "" {
				pc.Reply = &publish.CommentReply{Text: r.ReviewReply.Comment, UpdatedAt: rfc3339(r.ReviewReply.UpdateTime), State: r.ReviewReply.ReplyState}
			}
			out = append(out, pc)
		}
		if resp.NextPageToken == "" {
			return out, nil
		}
		q.Set("pageToken", resp.NextPageToken)
	}
	return out, nil
}

// Reply puts the practice's reply on a review, replacing any earlier one
// (PUT is safe to repeat). A reply the API accepts can still be rejected by
// moderation, so the review is read back: REJECTED is returned as
// KindRejected; PENDING is read again at the next collection.
func (c *Client) Reply(ctx context.Context, cm publish.Comment, text, _ string) (publish.Result, error) {
	if len(text) > maxReplyBytes {
		return publish.Result{}, rejected(c.now(), "reply_too_long", "Google takes replies of up to 4,096 bytes. Shorten the reply and send again.")
	}
	// The reply answers the review as the manager read it: one the reviewer
	// has edited since ("Edit: my implant failed") must be read again
	// first, or a thank-you lands under a complaint.
	var now review
	if _, err := c.do(ctx, http.MethodGet, c.base+"/v4/"+c.parent+"/reviews/"+url.PathEscape(cm.ID), nil, &now); err != nil {
		return publish.Result{}, publish.Unanswerable(err, "This review is no longer on Google (its author or Google removed it)")
	}
	if now.Comment != cm.Text || !cm.UpdatedAt.IsZero() && rfc3339(now.UpdateTime).After(cm.UpdatedAt) {
		return publish.Result{}, rejected(c.now(), "review_changed", "The reviewer changed this review on Google since PracticePost last read it, so the reply was not sent. Refresh the Inbox, read the review again, then reply.")
	}
	var out reviewReply
	raw, err := c.do(ctx, http.MethodPut, c.base+"/v4/"+c.parent+"/reviews/"+url.PathEscape(cm.ID)+"/reply", map[string]string{"comment": text}, &out)
	if err != nil {
		return publish.Result{Raw: raw}, publish.Unanswerable(err, "This review is no longer on Google (its author or Google removed it)")
	}
	// Read it back: moderation may already have turned it down.
	state := out.ReplyState
	var back review
	if _, err := c.do(ctx, http.MethodGet, c.base+"/v4/"+c.parent+"/reviews/"+url.PathEscape(cm.ID), nil, &back); err == nil && back.ReviewReply != nil {
		state = back.ReviewReply.ReplyState
	}
	if state == "REJECTED" {
		return publish.Result{Raw: raw}, rejected(c.now(), "reply_rejected", "Google did not publish the reply: it says the reply breaks its content policy. Change the wording and send again.")
	}
	return publish.Result{ID: cm.ID, URL: cm.URL, Raw: raw}, nil
}

// Hide is not offered: Google lets a business only report a review.
func (c *Client) Hide(context.Context, publish.Comment, bool) error {
	return rejected(c.now(), "not_supported", "Google does not let businesses hide reviews. If a review breaks Google's rules, report it from your Business Profile on Google.")
}

// DeleteComment is not offered for reviews (only the practice's own reply
// can be removed).
func (c *Client) DeleteComment(context.Context, publish.Comment) error {
	return rejected(c.now(), "not_supported", "Google does not let businesses delete reviews. If a review breaks Google's rules, report it from your Business Profile on Google.")
}
