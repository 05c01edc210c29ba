package inbox

import (
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/guard"
)

var kits = []app.BrandKit{
	{PracticeName: "Clifton Dental", Country: "GB", Phone: "0117 496 0123", Email: "hello@cliftondental.co.uk"},
	{PracticeName: "Your Smile Dental", Country: "US", Phone: "(415) 555-0132", Email: "frontdesk@yoursmiledental.com"},
	{PracticeName: "Your Care Physio & Wellbeing", Country: "GB", Phone: "020 7946 0958"},
	{PracticeName: "Mrs Patel's Family Dentistry", Country: "US", Email: "office@patelfamilydental.com"},
}

func TestEveryTemplateFilledPassesTheReplyGuard(t *testing.T) {
	ts := Templates()
	want := []Situation{PositiveReview, NegativeReview, ClinicalQuestion, Complaint, AppointmentRequest, HealthDisclosure, Spam}
	if len(ts) != len(want) {
		t.Fatalf("%d templates, want %d", len(ts), len(want))
	}
	for i, s := range want {
		if ts[i].Situation != s {
			t.Errorf("template %d is %s, want %s", i, ts[i].Situation, s)
		}
	}
	for _, kit := range kits {
		for _, tp := range ts {
			f := Fill(tp, kit)
			if strings.Contains(f.Text, "{") {
				t.Errorf("%s / %s: placeholder left: %s", kit.PracticeName, tp.Situation, f.Text)
			}
			if kit.Phone != "" && !strings.Contains(f.Text, kit.Phone) && tp.Situation != PositiveReview && tp.Situation != Spam {
				t.Errorf("%s / %s: no phone: %s", kit.PracticeName, tp.Situation, f.Text)
			}
			// The commenter's name is one the template cannot contain; the
			// patient list holds a name too, to prove the scan ran.
			names := guard.NewMatcher([]guard.PatientName{{PatientID: "1", Name: "Jane Smith"}})
			r := guard.CheckReply(guard.Reply{Text: f.Text, Commenter: "Jane Smith", Kit: kit, Names: names}, nil)
			if len(r.Findings) != 0 {
				t.Errorf("%s / %s: %q has findings %+v", kit.PracticeName, tp.Situation, f.Text, r.Findings)
			}
		}
	}
}

func TestFillUsesCountryWording(t *testing.T) {
	var neg Template
	for _, tp := range Templates() {
		if tp.Situation == NegativeReview {
			neg = tp
		}
	}
	gb, us := Fill(neg, kits[0]).Text, Fill(neg, kits[1]).Text
	if !strings.Contains(gb, "call us on 0117 496 0123 or email hello@cliftondental.co.uk") || !strings.Contains(gb, "practice manager") {
		t.Errorf("GB: %s", gb)
	}
	if !strings.Contains(us, "call us at (415) 555-0132") || !strings.Contains(us, "office manager") {
		t.Errorf("US: %s", us)
	}
}

func TestParseTemplatesRefusesIncomplete(t *testing.T) {
	if _, err := ParseTemplates([]byte(`{"templates":[{"situation":"x","title":"X","text":{"GB":"hi"}}]}`)); err == nil {
		t.Error("template without US text accepted")
	}
	if _, err := ParseTemplates([]byte(`nope`)); err == nil {
		t.Error("garbage accepted")
	}
}

func at(h int) time.Time { return time.Date(2026, 12, 1, h, 0, 0, 0, time.UTC) }

func TestThreads(t *testing.T) {
	items := []app.InboxItem{
		{Platform: "facebook", RemoteID: "c1", PostID: "p1", Author: "Ann", Text: "Lovely post", CreatedAt: at(1)},
		{Platform: "facebook", RemoteID: "c1r", ParentID: "c1", PostID: "p1", FromPractice: true, Text: "Thank you!", CreatedAt: at(2)},
		{Platform: "facebook", RemoteID: "c2", PostID: "p1", Author: "Bob", Text: "Are you open Sunday?", CreatedAt: at(3)},
		{Platform: "facebook", RemoteID: "c2a", ParentID: "c2", PostID: "p1", FromPractice: true, Text: "No, sorry", CreatedAt: at(4)},
		{Platform: "facebook", RemoteID: "c2b", ParentID: "c2a", PostID: "p1", Author: "Bob", Text: "What about Saturday?", CreatedAt: at(5)},
		{Platform: "google", RemoteID: "r1", Stars: 1, Author: "C", Text: "Awful", CreatedAt: at(0)},
		{Platform: "google", RemoteID: "r2", Stars: 5, Author: "D", Text: "Great", CreatedAt: at(6), UpdatedAt: at(6), ReplyText: "Thanks", RepliedAt: at(7)},
		// A review edited after the practice replied waits again.
		{Platform: "google", RemoteID: "r3", Stars: 2, Author: "E", Text: "Changed my mind", CreatedAt: at(1), UpdatedAt: at(9), ReplyText: "Thanks", RepliedAt: at(8)},
		// A reply whose parent was deleted before we saw it stands alone.
		{Platform: "mastodon", RemoteID: "m9", ParentID: "gone", Author: "F", Text: "+1", CreatedAt: at(2)},
		// Hidden spam does not wait for an answer.
		{Platform: "facebook", RemoteID: "s1", PostID: "p1", Author: "Spam", Text: "Buy followers", CreatedAt: at(1), Hidden: true},
	}
	for i := range items {
		if items[i].UpdatedAt.IsZero() {
			items[i].UpdatedAt = items[i].CreatedAt
		}
		items[i].Kind = Classify(items[i])
	}
	ts := Threads(items)
	if len(ts) != 7 {
		t.Fatalf("%d threads", len(ts))
	}
	var order []string
	for _, th := range ts {
		order = append(order, th.Root.RemoteID)
	}
	// Unanswered, longest waiting first: r1 (0h), m9 (2h), c2 (waiting since 5h), r3 (edited at 1h created)…
	wantUnanswered := []string{"r1", "r3", "m9", "c2"}
	for i, id := range wantUnanswered {
		if order[i] != id {
			t.Fatalf("order %v, want unanswered %v first", order, wantUnanswered)
		}
	}
	for _, th := range ts[4:] {
		if !th.Answered() {
			t.Errorf("%s should be answered", th.Root.RemoteID)
		}
	}
	if ts[3].Waiting.RemoteID != "c2b" || len(ts[3].Replies) != 2 {
		t.Errorf("c2 thread: waiting %+v replies %d", ts[3].Waiting, len(ts[3].Replies))
	}
	s := Summarize(ts)
	if s.Unanswered != 4 || !s.OldestWaiting.Equal(at(0)) {
		t.Errorf("summary %+v", s)
	}
	if got := (Filter{Platform: "google"}).Apply(ts); len(got) != 3 {
		t.Errorf("google filter: %d", len(got))
	}
	if got := (Filter{Kind: app.InboxReview, Unanswered: true}).Apply(ts); len(got) != 2 {
		t.Errorf("unanswered reviews: %d", len(got))
	}
	// An orphaned reply is a reply; c2 has a reply from Bob.
	if got := (Filter{Kind: app.InboxReply}).Apply(ts); len(got) != 2 || got[0].Root.RemoteID != "m9" || got[1].Root.RemoteID != "c2" {
		t.Errorf("threads with replies from others: %+v", got)
	}
	if Classify(items[8]) != app.InboxReply || Classify(items[0]) != app.InboxComment || Classify(items[5]) != app.InboxReview {
		t.Error("classify")
	}
	if Suggest(items[5]) != NegativeReview || Suggest(items[6]) != PositiveReview || Suggest(items[0]) != "" {
		t.Error("suggest")
	}
	if Suggest(app.InboxItem{Kind: app.InboxComment, Text: "My crown came loose, what should I do?"}) != HealthDisclosure {
		t.Error("a comment sharing health details should suggest the private route")
	}
	if Suggest(app.InboxItem{Kind: app.InboxReview, Stars: 1, Text: "My crown came loose."}) != NegativeReview {
		t.Error("a one-star review keeps the negative-review template")
	}
}

func TestThreadsSurviveLoops(t *testing.T) {
	// A parent loop (bad platform data) must not hang or drop items.
	items := []app.InboxItem{
		{Platform: "x", RemoteID: "a", ParentID: "b", CreatedAt: at(1)},
		{Platform: "x", RemoteID: "b", ParentID: "a", CreatedAt: at(2)},
	}
	n := 0
	for _, th := range Threads(items) {
		n += 1 + len(th.Replies)
	}
	if n != 2 {
		t.Errorf("%d items after threading, want 2", n)
	}
}

// A review whose reply Google's moderation refused still waits for an
// answer: the reviewer sees none. One Google is still checking counts as
// answered, as does one it published.
func TestAReviewWhoseReplyGoogleRefusedStillWaits(t *testing.T) {
	review := func(id, state string) app.InboxItem {
		it := app.InboxItem{Platform: "google", RemoteID: id, Stars: 2, Author: "A", Text: "Long wait", CreatedAt: at(1), UpdatedAt: at(1),
			ReplyText: "Thank you for telling us.", RepliedAt: at(2), ReplyState: state}
		it.Kind = Classify(it)
		return it
	}
	ts := Threads([]app.InboxItem{review("refused", ReplyRejected), review("checking", "PENDING"), review("published", "APPROVED")})
	waits := map[string]bool{}
	for _, th := range ts {
		waits[th.Root.RemoteID] = !th.Answered()
	}
	if !waits["refused"] || waits["checking"] || waits["published"] || Summarize(ts).Unanswered != 1 {
		t.Fatalf("waiting %v", waits)
	}
}
