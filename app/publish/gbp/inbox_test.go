package gbp_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"practicepost/app/publish"
	"practicepost/app/publish/fault"
	"practicepost/app/publish/gbp"
	"practicepost/app/publish/gbp/gbptest"
	"practicepost/app/publish/internal/publishtest"
)

func reviewSetup(t *testing.T, cfg gbptest.Config) (*gbp.Client, *gbptest.Server, *publishtest.Recorder) {
	t.Helper()
	g, clock := start(t, cfg)
	rec := &publishtest.Recorder{}
	return client(g, gbp.Options{HTTP: publishtest.HTTP(0, rec), Clock: clock}), g, rec
}

func TestReviewsEveryPage(t *testing.T) {
	c, g, rec := reviewSetup(t, gbptest.Config{})
	for i := 0; i < 120; i++ {
		g.AddReview(fmt.Sprintf("Reviewer %d", i), 1+i%5, fmt.Sprintf("Review %d", i), now.Add(-time.Duration(i)*time.Hour))
	}
	g.AddReview("", 4, "", now) // anonymous, rating only
	got, err := c.Comments(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 121 {
		t.Fatalf("%d reviews", len(got))
	}
	if got[0].Author != "" || got[0].Stars != 4 || got[0].Text != "" {
		t.Errorf("anonymous rating-only review: %+v", got[0])
	}
	if got[1].Stars != 1+119%5 || got[1].Author != "Reviewer 119" || !got[1].CanReply || got[1].CanHide {
		t.Errorf("review: %+v", got[1])
	}
	pages := 0
	for _, r := range rec.All() {
		if r.Path != "/v4/accounts/1122334455/locations/9988776655/reviews" {
			continue
		}
		pages++
		if r.Header.Get("Authorization") != "Bearer g-token" || !strings.Contains(r.Query, "pageSize=50") {
			t.Errorf("request %+v", r)
		}
	}
	if pages != 3 {
		t.Errorf("%d pages, want 3", pages)
	}
}

func TestReviewRemovedBetweenPages(t *testing.T) {
	c, g, _ := reviewSetup(t, gbptest.Config{})
	var ids []string
	for i := 0; i < 60; i++ {
		ids = append(ids, g.AddReview("R", 5, "ok", now))
	}
	g.RemoveAfterFirstPage(ids[59]) // the newest, already listed on page one
	got, err := c.Comments(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	publishtest.Once(t, got)
	// The page tokens shifted under the removal: at most one review is
	// missed this time, and the next collection lists every live one.
	if len(got) < 59 {
		t.Errorf("%d reviews listed", len(got))
	}
	again, err := c.Comments(context.Background(), "")
	if err != nil || len(again) != 59 {
		t.Fatalf("next listing: %d, %v", len(again), err)
	}
}

func TestReplyToReview(t *testing.T) {
	c, g, rec := reviewSetup(t, gbptest.Config{})
	id := g.AddReview("Jane Smith", 1, "My crown came loose", now.Add(-time.Hour))
	ctx := context.Background()
	cs, _ := c.Comments(ctx, "")
	text := "Thank you for your feedback. Please call us on 0117 496 0123."
	if _, err := c.Reply(ctx, cs[0], text, "k"); err != nil {
		t.Fatal(err)
	}
	sent := rec.All()
	last := sent[len(sent)-2] // then the read-back
	var body map[string]string
	json.Unmarshal(last.Body, &body)
	if last.Method != http.MethodPut || last.Path != "/v4/accounts/1122334455/locations/9988776655/reviews/"+id+"/reply" || last.Header.Get("Content-Type") != "application/json" || body["comment"] != text {
		t.Errorf("reply request %+v %s", last, last.Body)
	}
	cs, _ = c.Comments(ctx, "")
	if cs[0].Reply == nil || cs[0].Reply.Text != text || cs[0].Reply.State != "APPROVED" {
		t.Errorf("reply read back: %+v", cs[0].Reply)
	}

	// Accepted by the API, rejected by moderation.
	g.RejectNextReply(id)
	_, err := c.Reply(ctx, cs[0], "Thanks again", "k2")
	var pe *publish.Error
	if !asErr(err, &pe) || pe.Kind != publish.KindRejected || !strings.Contains(pe.Message, "content policy") {
		t.Errorf("moderated reply: %v", err)
	}
	// Too long for Google: refused before sending.
	n := len(rec.All())
	if _, err := c.Reply(ctx, cs[0], strings.Repeat("é", 2049), "k3"); !asErr(err, &pe) || pe.Kind != publish.KindRejected {
		t.Errorf("long reply: %v", err)
	}
	if len(rec.All()) != n {
		t.Error("a reply over 4,096 bytes was sent")
	}
	// A removed review cannot be answered.
	g.RemoveReview(id)
	if _, err := c.Reply(ctx, cs[0], "Hello", "k4"); !asErr(err, &pe) || pe.Kind != publish.KindNotFound || !strings.Contains(pe.Message, "no longer on Google") {
		t.Errorf("reply to removed: %v", err)
	}
	// Hide and delete are not offered.
	if err := c.Hide(ctx, cs[0], true); !asErr(err, &pe) || pe.Kind != publish.KindRejected {
		t.Errorf("hide: %v", err)
	}
	if err := c.DeleteComment(ctx, cs[0]); !asErr(err, &pe) || pe.Kind != publish.KindRejected {
		t.Errorf("delete: %v", err)
	}
}

func TestReviewsRefusals(t *testing.T) {
	tests := []struct {
		name  string
		cfg   gbptest.Config
		prep  func(g *gbptest.Server)
		kind  publish.Kind
		msg   string // the message says this
		reset bool   // and says when to try again
	}{
		{name: "quota zero", cfg: gbptest.Config{QuotaZero: true}, kind: publish.KindPermission},
		// The connected Google account is no longer an owner or manager of the
		// profile: 403 PERMISSION_DENIED, said with what to check.
		{name: "not a manager of the profile", prep: func(g *gbptest.Server) {
			g.Faults.Add(fault.Fault{Path: "/reviews", Status: http.StatusForbidden, Times: 1})
		}, kind: publish.KindPermission, msg: "owner or manager of the profile"},
		{name: "rate limited", prep: func(g *gbptest.Server) {
			g.Faults.Add(fault.Fault{Path: "/reviews", Status: http.StatusTooManyRequests, Times: 1})
		}, kind: publish.KindRateLimited, reset: true},
		{name: "expired token", prep: (*gbptest.Server).ExpireToken, kind: publish.KindAuth},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, g, _ := reviewSetup(t, tc.cfg)
			if tc.prep != nil {
				tc.prep(g)
			}
			_, err := c.Comments(context.Background(), "")
			var pe *publish.Error
			if !asErr(err, &pe) || pe.Kind != tc.kind || !strings.Contains(pe.Message, tc.msg) || (tc.reset && pe.ResetAt.IsZero()) {
				t.Errorf("%v", err)
			}
		})
	}
}

func asErr(err error, pe **publish.Error) bool {
	e, ok := err.(*publish.Error)
	*pe = e
	return ok
}
