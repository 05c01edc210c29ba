package service_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/guard"
	"practicepost/app/inbox"
	fbfake "practicepost/app/publish/facebook/facebooktest"
	"practicepost/app/publish/fault"
	gbpfake "practicepost/app/publish/gbp/gbptest"
	"practicepost/app/service"
	"practicepost/app/store"
)

// A reply whose fate was unknown is settled by the practice's reply under
// the same comment: the same template under another comment of the post
// answers that one, so the first commenter is answered now, not told
// their reply arrived.
func TestAnUnsureReplyIsNotSettledByTheSameWordsUnderAnotherComment(t *testing.T) {
	w, fb, clock := facebookWithAPost(t)
	post := fb.Posts()[0].ID
	a := fb.AddComment(post, "", "Ann", "Great post!", clock.Now())
	b := fb.AddComment(post, "", "Ben", "Love this!", clock.Now())
	ib := service.NewInboxService(w.c, nil, w.ch)
	if _, err := ib.Refresh(); err != nil {
		t.Fatal(err)
	}
	v, _ := ib.List(inbox.Filter{Platform: "facebook"})
	ids := map[string]int64{}
	for _, th := range v.Threads {
		ids[th.Root.RemoteID] = th.Root.ID
	}
	const thanks = "Thank you for the kind words!"
	fb.Faults.Add(fault.Fault{Method: "POST", Path: "/comments", Status: http.StatusServiceUnavailable, Times: 1})
	if out, _ := ib.Reply(ids[a], thanks); out.Sent {
		t.Fatal("sent through a 503")
	}
	if out, err := ib.Reply(ids[b], thanks); err != nil || !out.Sent {
		t.Fatalf("Ben: %+v %v", out, err)
	}
	out, err := ib.Reply(ids[a], thanks)
	under := 0
	for _, c := range fb.Comments() {
		if c.ParentID == a && c.FromID == "100200300" {
			under++
		}
	}
	if err != nil || !out.Sent || under != 1 {
		t.Fatalf("Ann answered %d times; %+v %v", under, out, err)
	}
}

// A hide or delete cut off by a crash does not lock the comment: a while
// later it is settled as not done, and the comment can be answered.
func TestAnInterruptedDeleteDoesNotLockTheReview(t *testing.T) {
	r := aReview(t, "", "Lovely team!")
	w, ib, id, clock := r.w, r.ib, r.id, r.clock
	db, _ := w.c.DB()
	ctx := context.Background()
	// What an action writes before calling the platform; the app dies here.
	if err := db.Tx(ctx, func(tx *store.Tx) error {
		_, err := tx.StartInboxAction(ctx, id, "delete", "", "inbox-crashed", "[]")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := ib.Reply(id, "Thank you for the kind words!"); app.ErrorCode(err) != app.ECONFLICT {
		t.Fatalf("straight after, the action is still in flight: %v", err)
	}
	clock.Advance(10 * time.Minute)
	if out, err := ib.Reply(id, "Thank you for the kind words!"); err != nil || !out.Sent {
		t.Fatalf("ten minutes later: %+v %v", out, err)
	}
}

// A Google review reply is limited as Google limits replies (4,096 bytes),
// not as it limits local posts (1,500 characters): a long thank-you goes,
// a reply of 4,400 bytes of emoji is refused before anything is recorded.
func TestAGoogleReplyHasTheReplyLimit(t *testing.T) {
	r := aReview(t, "", "Lovely team!")
	ib, id := r.ib, r.id
	wide := strings.Repeat("🦷", 1100) // 1,100 characters, 4,400 bytes
	out, err := ib.Reply(id, wide)
	if err != nil || out.Sent || !out.Blocked || !slices.ContainsFunc(out.Findings, func(f guard.Finding) bool {
		return f.Kind == guard.KindTooLong && strings.Contains(f.Message, "replies of up to 4096 bytes")
	}) {
		t.Fatalf("4,400 bytes: %+v %v", out, err)
	}
	long := strings.Repeat("Thank you for taking the time to write. ", 40) // 1,600 characters
	if out, err := ib.Reply(id, long); err != nil || !out.Sent {
		t.Fatalf("1,600 characters: %+v %v", out, err)
	}
}

// A reply refused for now (a rate limit, an expired sign-in) says it was
// not sent and what to do; it never promises the retry by itself that
// queued posts get, since a reply goes only when the manager sends it.
func TestARefusedReplySaysToSendItAgain(t *testing.T) {
	r := aReview(t, "Ann Lee", "Lovely team!")
	g, ib, id := r.g, r.ib, r.id
	g.Faults.Add(fault.Fault{Method: "PUT", Path: "/reply", Status: http.StatusTooManyRequests, Reset: 10 * time.Minute, Times: 1})
	_, err := ib.Reply(id, "Thank you for the kind words!")
	if msg := app.ErrorMessage(err); !strings.Contains(msg, "the reply was not sent") || !strings.Contains(msg, "Nothing was posted: send it again in") || strings.Contains(msg, "by itself") {
		t.Fatalf("rate limited: %q", msg)
	}
	g.ExpireToken()
	_, err = ib.Reply(id, "Thank you for the kind words!")
	if msg := app.ErrorMessage(err); !strings.Contains(msg, "Reconnect Google Business Profile in Channels") || strings.Contains(msg, "waiting posts") {
		t.Fatalf("expired sign-in: %q", msg)
	}
}

// X lists only the last 7 days of a conversation: a comment older than
// that is out of the listing's reach, not deleted, so it still waits for an
// answer and can be answered.
func TestAnXCommentOlderThanAWeekIsNotTakenAsDeleted(t *testing.T) {
	clock := startClock()
	w, xs := xWithAPost(t, clock)
	xs.AddReply(xs.Posts()[0].ID, "777", "sarahj", "@smiledental is it walk-in?", true)
	ib := service.NewInboxService(w.c, nil, w.ch)
	if _, err := ib.Refresh(); err != nil {
		t.Fatal(err)
	}
	v, _ := ib.List(inbox.Filter{Platform: "x"})
	id := v.Threads[0].Root.ID
	clock.Advance(8 * 24 * time.Hour)
	if _, err := ib.Refresh(); err != nil {
		t.Fatal(err)
	}
	if s, _ := ib.Summary(); s.Unanswered != 1 {
		t.Fatalf("unanswered after a week: %d", s.Unanswered)
	}
	if out, err := ib.Reply(id, "Yes, walk-ins are welcome on Saturdays!"); err != nil || !out.Sent {
		t.Fatalf("reply: %+v %v", out, err)
	}
}

// A reply written for a review as the manager read it is not put under
// the review the reviewer has since changed: the manager is told to read
// it again, and once the Inbox has the new words the reply can go.
func TestAReplyIsNotSentUnderAReviewChangedSince(t *testing.T) {
	r := aReview(t, "Ann Lee", "Lovely team, painless visit!")
	rid := r.rid
	g, ib, id, clock := r.g, r.ib, r.id, r.clock
	clock.Advance(time.Minute)
	g.EditReview(rid, 1, "Edit: nobody called me back about my implant.", clock.Now())
	_, err := ib.Reply(id, "Thank you so much for the five stars!")
	if msg := app.ErrorMessage(err); !strings.Contains(msg, "changed this review on Google") || g.Reviews()[0].Reply != "" {
		t.Fatalf("sent under the changed review: %q, Google holds %q", msg, g.Reviews()[0].Reply)
	}
	if _, err := ib.Refresh(); err != nil {
		t.Fatal(err)
	}
	if out, err := ib.Reply(id, "We're sorry to read this. Please call us on 0117 496 0123 and ask for the practice manager."); err != nil || !out.Sent {
		t.Fatalf("after reading it again: %+v %v", out, err)
	}
}

// A reply names no one in the thread it appears in: answering Bob, who
// answered Jane, "Jane, thanks for the lovely words!" is refused, as
// naming Bob would be; the practice's own name in the thread is no person.
func TestAReplyNamesNoOneElseInTheThread(t *testing.T) {
	w, fb, clock := facebookWithAPost(t)
	post := fb.Posts()[0].ID
	jane := fb.AddComment(post, "", "Jane Smith", "Best physio in town!", clock.Now())
	bob := fb.AddComment(post, jane, "Bob Jones", "Agreed, lovely people", clock.Now().Add(time.Minute))
	ib := service.NewInboxService(w.c, nil, w.ch)
	if _, err := ib.Refresh(); err != nil {
		t.Fatal(err)
	}
	v, _ := ib.List(inbox.Filter{Platform: "facebook"})
	var bobID int64
	for _, th := range v.Threads {
		for _, r := range th.Replies {
			if r.RemoteID == bob {
				bobID = r.ID
			}
		}
	}
	out, err := ib.Reply(bobID, "Thank you both, and Jane, thanks for the lovely words!")
	if err != nil || out.Sent || !out.Blocked {
		t.Fatalf("naming Jane: %+v %v", out, err)
	}
	if out, err := ib.Reply(bobID, "Thank you both for the lovely words!"); err != nil || !out.Sent {
		t.Fatalf("naming no one: %+v %v", out, err)
	}
}

// review is a Google review the Inbox has read, for a reply to be tried.
type review struct {
	w     *world
	g     *gbpfake.Server
	ib    *service.InboxService
	id    int64  // the item in the Inbox
	rid   string // the review on Google
	clock *safeClock
}

// facebookWithAPost is a world with the Harbour Physio page connected and
// one post published there.
func facebookWithAPost(t *testing.T) (*world, *fbfake.Server, *safeClock) {
	t.Helper()
	clock := &safeClock{t: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	fb := fbfake.New(fbfake.Config{Now: clock.Now})
	t.Cleanup(fb.Close)
	w := newWorld(t, t.TempDir(), clock, auth.NewMemoryStore())
	w.ch.FacebookGraphURL = fb.URL
	if _, err := w.ch.ConnectFacebook("100200300", "page-token"); err != nil {
		t.Fatal(err)
	}
	practiceContact(t, w, "Harbour Physio", "")
	publishClinicHours(t, w, "facebook", "Facebook")
	return w, fb, clock
}

// aReview puts a five-star review by reviewer on the practice's Google
// profile an hour ago and reads it into the Inbox.
func aReview(t *testing.T, reviewer, text string) review {
	t.Helper()
	clock := startClock()
	w, g := googleWorld(t, clock)
	practiceContact(t, w, "Your Smile Dental", "hello@yoursmile.example")
	rid := g.AddReview(reviewer, 5, text, clock.Now().Add(-time.Hour))
	ib := service.NewInboxService(w.c, nil, w.ch)
	if _, err := ib.Refresh(); err != nil {
		t.Fatal(err)
	}
	v, err := ib.List(inbox.Filter{Platform: "google"})
	if err != nil || len(v.Threads) != 1 {
		t.Fatalf("list %+v %v", v, err)
	}
	return review{w: w, g: g, ib: ib, id: v.Threads[0].Root.ID, rid: rid, clock: clock}
}
