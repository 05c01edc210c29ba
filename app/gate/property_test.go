package gate_test

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"practicepost/app"
)

var gateSeed = flag.Uint64("gate.seed", 0, "seed for TestGateProperty (0: from the clock)")

// model is the test's own statement of when a testimonial may be shown,
// written from compliance.md §3.6 and independent of app/consent: a
// consent covers a post at instant t when it was signed by then, has not
// ended, was not withdrawn by then, names the channel and allows at least
// the name form the testimonial uses.
type model struct {
	signedAt, ends time.Time
	withdrawnAt    time.Time // zero: never
	channels       []app.ConsentChannel
	nameRank       int // how fully the consent lets the patient be named
}

var rankOf = map[app.IdentityElement]int{app.IdentityAnonymous: 1, app.IdentityInitials: 2, app.IdentityFirstName: 3, app.IdentityFullName: 4}

func (m model) String() string {
	w := "never withdrawn"
	if !m.withdrawnAt.IsZero() {
		w = "withdrawn " + m.withdrawnAt.Format(time.RFC3339)
	}
	return fmt.Sprintf("signed %s, ends %s, %s, channels %v, name rank %d", m.signedAt.Format(time.RFC3339), m.ends.Format(time.RFC3339), w, m.channels, m.nameRank)
}

func (m model) covers(t time.Time, ch app.ConsentChannel, nameAs app.IdentityElement) bool {
	return !m.signedAt.After(t) && t.Before(m.ends) && (m.withdrawnAt.IsZero() || t.Before(m.withdrawnAt)) &&
		slices.Contains(m.channels, ch) && rankOf[nameAs] <= m.nameRank
}

// plannedPost is one random post of the property test.
type plannedPost struct {
	token   string
	channel string
	at      time.Time // zero: now
	nameAs  app.IdentityElement
	m       *model
}

// TestGateProperty: for random posts and random consent timelines, the
// queue never lets a post go live at an instant the model says its consent
// does not cover; both outcomes occur often enough to mean something.
func TestGateProperty(t *testing.T) {
	seed := *gateSeed
	if seed == 0 {
		seed = uint64(time.Now().UnixNano())
	}
	t.Logf("seed %d (rerun with -gate.seed=%d)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, 0x9a7e))
	names := []app.IdentityElement{app.IdentityAnonymous, app.IdentityInitials, app.IdentityFirstName, app.IdentityFullName}
	sent, blocked := 0, 0
	for round := 0; round < 60 && (round < 20 || sent < 50 || blocked < 50); round++ {
		r := newRig(t)
		var posts []plannedPost
		var withdrawals []struct {
			at time.Time
			c  int
		}
		var entries []modelEntry
		for i := 0; i < 3; i++ {
			p := r.patient(fmt.Sprintf("Patient%c Example", 'A'+i), adult)
			m := &model{nameRank: 1 + rng.IntN(4)}
			for _, ch := range []app.ConsentChannel{app.ChannelFacebook, app.ChannelMastodon} {
				if rng.IntN(3) > 0 {
					m.channels = append(m.channels, ch)
				}
			}
			if len(m.channels) == 0 {
				m.channels = []app.ConsentChannel{app.ChannelMastodon}
			}
			// Signed between 40 and 10 days ago, for one or two months.
			m.signedAt = t0.Add(-time.Duration(10+rng.IntN(30)) * 24 * time.Hour)
			id := slices.Clone(names[:m.nameRank])
			e := r.consent(p, terms{signedAt: m.signedAt, months: 1 + rng.IntN(2), identity: id[len(id)-1:], channels: m.channels})
			m.ends = e.Consent.ExpiresAt
			// Withdrawals come on the half hour, posts on the hour: an event
			// order within one instant is not what the model judges.
			if rng.IntN(3) == 0 {
				withdrawals = append(withdrawals, struct {
					at time.Time
					c  int
				}{t0.Add(time.Duration(rng.IntN(20*24))*time.Hour + 30*time.Minute), len(entries)})
			}
			entries = append(entries, modelEntry{e: e, m: m, p: p})
			for k := 0; k < 2; k++ {
				nameAs := names[rng.IntN(4)]
				tm := r.testimonial(p, e, nameAs)
				pp := plannedPost{token: fmt.Sprintf("#p%d%d", i, k), channel: []string{chFB, chMA}[rng.IntN(2)], nameAs: nameAs, m: m}
				if rng.IntN(4) > 0 {
					pp.at = t0.Add(time.Duration(1+rng.IntN(25*24)) * time.Hour)
				}
				req := request("“"+quote+"” "+pp.token, pp.at, pp.channel)
				req.Testimonials = []int64{tm.ID}
				r.enqueue(req)
				posts = append(posts, pp)
			}
		}
		slices.SortFunc(withdrawals, func(a, b struct {
			at time.Time
			c  int
		}) int {
			return a.at.Compare(b.at)
		})
		for _, w := range withdrawals {
			r.advance(w.at.Sub(r.clock.Now()))
			r.withdraw(entries[w.c].e)
			entries[w.c].m.withdrawnAt = r.clock.Now()
		}
		r.advance(t0.Add(30 * 24 * time.Hour).Sub(r.clock.Now()))

		live := r.liveAt()
		for _, pp := range posts {
			at, ok := live[pp.token]
			if !ok {
				blocked++
				continue
			}
			sent++
			ch := app.ChannelMastodon
			if pp.channel == chFB {
				ch = app.ChannelFacebook
			}
			if !pp.m.covers(at, ch, pp.nameAs) {
				t.Errorf("seed %d round %d: post %s on %s went live at %s, which its consent does not cover (%s; named as %s)",
					seed, round, pp.token, pp.channel, at.Format(time.RFC3339), pp.m, pp.nameAs)
			}
		}
	}
	t.Logf("%d posts sent, %d blocked", sent, blocked)
	if sent < 50 || blocked < 50 {
		t.Fatalf("seed %d: %d sent and %d blocked; each outcome must occur at least 50 times", seed, sent, blocked)
	}
}

type modelEntry struct {
	e app.ConsentEntry
	m *model
	p app.Patient
}
