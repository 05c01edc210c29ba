package gate_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/publish"
	"practicepost/app/publish/queue"
)

// A gate case is a pair: the same story told twice, differing in one fact.
// Told with blocked=true the post must never be live on any fake at or
// after its time; told with blocked=false exactly one post goes live. Each
// story drives the real queue and the real gate against the fakes, moving
// the injected clock itself; a refusal at any door (enqueue, reschedule,
// publish now) is an outcome like any other.
type gateCase struct {
	name string
	run  func(r *rig, blocked bool)
}

const quote = "The whole team put me at ease."

// discounted is a consent whose patient was given a discount for the testimonial.
var discounted = terms{remuneration: app.Remuneration{Kind: app.RemunerationDiscount, Description: "10% off whitening"}}

func margaret(r *rig) app.Patient { return r.patient("Margaret Okafor", adult) }

// ending is a consent that ends a few days after t0.
var ending = terms{signedAt: t0.AddDate(0, -1, 3), months: 1}

// quoted is most cases' start: Margaret, her consent on tm, and her
// testimonial naming her by initials.
func quoted(r *rig, tm terms) (app.Patient, app.ConsentEntry, app.Testimonial) {
	p := margaret(r)
	c := r.consent(p, tm)
	return p, c, r.testimonial(p, c, app.IdentityInitials)
}

// endsAround is a case whose post goes to ch an hour before the consent
// ends, or an hour after when blocked; the rig looks slack after the
// post's time.
func endsAround(ch string, slack time.Duration) func(r *rig, blocked bool) {
	return func(r *rig, blocked bool) {
		_, c, tm := quoted(r, ending)
		end := c.Consent.ExpiresAt
		at := end.Add(-time.Hour)
		if blocked {
			at = end.Add(time.Hour)
		}
		r.enqueue(testimonialPost(tm, at, ch))
		r.advance(at.Sub(r.clock.Now()) + slack)
	}
}

// postImage posts text with one image to Mastodon now.
func postImage(r *rig, text, sha, alt string) {
	req := request(text, time.Time{}, chMA)
	req.Media = []queue.Media{{SHA256: sha, Alt: alt}}
	r.enqueue(req)
	r.run()
}

// becomesPatientMeanwhile is the middle of a post queued two hours ahead:
// an hour on, Margaret is added as a patient (Owen Price in the allowed
// twin), and the clock runs past the post's time.
func becomesPatientMeanwhile(r *rig, blocked bool) {
	r.advance(time.Hour)
	if blocked {
		margaret(r)
	} else {
		r.patient("Owen Price", adult)
	}
	r.advance(time.Hour + time.Minute)
}

// premises is a Studio image declared to show the practice's premises.
var premises = app.NewMedia{Template: "caption", Sources: []app.ImageSource{{Kind: app.SourceDeclared, Declared: "premises"}}, SourcesKnown: true}

// googleEvent is a Google Business Profile post at at (now when zero): an
// event with title, or, with terms, an offer.
func googleEvent(text, title, terms string, at time.Time) queue.Request {
	req := request(text, at, chGB)
	start := t0.AddDate(0, 0, 7)
	req.Topic = &publish.Topic{Type: "EVENT", Title: title, Start: start, End: start.Add(3 * time.Hour)}
	if terms != "" {
		req.Topic.Type, req.Topic.Terms = "OFFER", terms
	}
	return req
}

// faceConsent is Margaret's consent on photo(n), unnamed, that lets the
// photo show her face or not.
func faceConsent(r *rig, n int, face bool) (app.ConsentEntry, app.ConsentMedia) {
	ph := photo(n)
	id := []app.IdentityElement{app.IdentityAnonymous}
	if face {
		id = append(id, app.IdentityFace)
	}
	return r.consent(margaret(r), terms{media: []app.ConsentMedia{ph}, identity: id}), ph
}

// withdrawn is Margaret's testimonial and the consent a case withdraws:
// hers when blocked, Owen Price's otherwise, so that a withdrawal happens
// either way and only whose decides.
func withdrawn(r *rig, blocked bool) (app.Testimonial, app.ConsentEntry) {
	_, c, tm := quoted(r, terms{})
	oc := r.consent(r.patient("Owen Price", adult), terms{})
	if blocked {
		return tm, c
	}
	return tm, oc
}

// testimonialPost is a post quoting the patient's testimonial in full.
func testimonialPost(tm app.Testimonial, at time.Time, chans ...string) queue.Request {
	req := request("“"+quote+"” — M.O. #HarbourDental", at, chans...)
	req.Testimonials = []int64{tm.ID}
	return req
}

var gateCases = []gateCase{
	{"consent ends before the scheduled time", endsAround(chMA, time.Minute)},
	{"withdrawn between scheduling and sending", func(r *rig, blocked bool) {
		tm, target := withdrawn(r, blocked)
		r.enqueue(testimonialPost(tm, t0.Add(2*time.Hour), chMA))
		r.advance(time.Hour)
		r.withdraw(target)
		r.advance(time.Hour + time.Minute)
	}},
	{"withdrawal recorded but the queue never told (crash in between)", func(r *rig, blocked bool) {
		_, c, tm := quoted(r, terms{})
		r.enqueue(testimonialPost(tm, t0.Add(2*time.Hour), chMA))
		r.advance(time.Hour)
		if blocked {
			rev := mustRevoke(r, c)
			if err := r.db.RevokeConsent(ctx, rev); err != nil {
				r.t.Fatal(err)
			}
		}
		r.advance(time.Hour + time.Minute)
	}},
	{"missed while closed, consent expired meanwhile, Publish now", func(r *rig, blocked bool) {
		_, c, tm := quoted(r, ending)
		end := c.Consent.ExpiresAt
		at := end.Add(-3 * time.Hour)
		jobs, _ := r.enqueue(testimonialPost(tm, at, chMA))
		// PracticePost is closed from before the post's time until after it.
		back := at.Add(2 * time.Hour)
		if blocked {
			back = end.Add(time.Hour)
		}
		r.clock.Set(back)
		if rec, err := r.q.Recover(ctx); err != nil || len(rec.Missed) != 1 {
			r.t.Fatalf("recover: %+v %v", rec, err)
		}
		_, err := r.q.PublishNow(ctx, jobs[0].ID)
		if blocked {
			j := r.job(jobs[0].ID)
			if err == nil || j.State != app.JobBlocked || !strings.Contains(j.ErrorMessage, "expired") {
				r.t.Fatalf("publish now after expiry: %v; job %s %q", err, j.State, j.ErrorMessage)
			}
		}
		r.run()
		// Asking again changes nothing.
		r.q.PublishNow(ctx, jobs[0].ID)
		r.run()
	}},
	{"rescheduled past the consent's end", func(r *rig, blocked bool) {
		_, c, tm := quoted(r, ending)
		end := c.Consent.ExpiresAt
		jobs, _ := r.enqueue(testimonialPost(tm, end.Add(-5*time.Hour), chMA))
		to := end.Add(-2 * time.Hour)
		if blocked {
			to = end.Add(2 * time.Hour)
		}
		_, err := r.q.Reschedule(ctx, jobs[0].ID, to, "")
		if blocked != (err != nil) {
			r.t.Fatalf("reschedule to %s: %v", to, err)
		}
		r.advance(end.Add(3 * time.Hour).Sub(r.clock.Now()))
	}},
	{"retried after a transient error, past the consent's end", func(r *rig, blocked bool) {
		_, c, tm := quoted(r, ending)
		end := c.Consent.ExpiresAt
		r.ma.Faults.Add(mafakeFault(http.MethodPost, "/api/v1/statuses", http.StatusBadGateway, 1))
		at := end.Add(-2 * time.Hour)
		jobs, _ := r.enqueue(testimonialPost(tm, at, chMA))
		r.advance(at.Sub(r.clock.Now()))
		if j := r.job(jobs[0].ID); j.State != app.JobWaiting {
			r.t.Fatalf("after the 502: %s", j.State)
		}
		// The retry comes after the consent ended, or before.
		r.clock.Set(end.Add(-time.Hour))
		if blocked {
			r.clock.Set(end.Add(time.Hour))
		}
		r.run()
		r.advance(time.Hour)
	}},
	{"Facebook holds the post; the consent ends before its time", endsAround(chFB, time.Hour)},
	{"Facebook holds the post; withdrawn before its time", func(r *rig, blocked bool) {
		_, c, tm := quoted(r, terms{})
		at := t0.Add(48 * time.Hour)
		jobs, _ := r.enqueue(testimonialPost(tm, at, chFB))
		r.run()
		if j := r.job(jobs[0].ID); j.State != app.JobScheduledRemote {
			r.t.Fatalf("not handed to Facebook: %s %s", j.State, j.ErrorMessage)
		}
		r.advance(24 * time.Hour)
		if blocked {
			r.withdraw(c)
		}
		r.advance(25 * time.Hour)
	}},
	{"Facebook would hold it, but the withdrawal reached only the data file", func(r *rig, blocked bool) {
		_, c, tm := quoted(r, terms{})
		at := t0.Add(48 * time.Hour)
		r.enqueue(testimonialPost(tm, at, chFB))
		if blocked {
			// Withdrawn before the scheduler hands the post to Facebook.
			if err := r.db.RevokeConsent(ctx, mustRevoke(r, c)); err != nil {
				r.t.Fatal(err)
			}
		}
		r.advance(49 * time.Hour)
	}},
	{"the caption names the patient; that consent is withdrawn", func(r *rig, blocked bool) {
		p := margaret(r)
		c := r.consent(p, terms{})
		r.enqueue(request("A big thank you to Margaret Okafor for her kind words!", t0.Add(3*time.Hour), chMA))
		r.advance(time.Hour)
		if blocked {
			r.withdraw(c)
		}
		r.advance(2*time.Hour + time.Minute)
	}},
	{"queued after the withdrawal", func(r *rig, blocked bool) {
		p := margaret(r)
		c := r.consent(p, terms{})
		if blocked {
			r.withdraw(c)
		}
		r.enqueue(request("A big thank you to Margaret Okafor for her kind words!", time.Time{}, chMA))
		r.run()
	}},
	{"withdrawal racing the enqueue: lands while its transaction is open", func(r *rig, blocked bool) {
		tm, target := withdrawn(r, blocked)
		var wg sync.WaitGroup
		var once sync.Once
		r.hook = func(j queue.Job, s queue.Step) {
			if s != queue.StepGated || j.ID == 0 {
				return
			}
			once.Do(func() {
				// The withdrawal starts inside the enqueue's transaction; it
				// waits for the write lock, so it lands just after the commit.
				wg.Add(1)
				go func() { defer wg.Done(); r.withdraw(target) }()
				time.Sleep(20 * time.Millisecond)
			})
		}
		r.enqueue(testimonialPost(tm, t0.Add(time.Hour), chMA))
		wg.Wait()
		r.hook = nil
		r.advance(time.Hour + time.Minute)
	}},
	{"withdrawal racing the enqueue: lands just before its transaction", func(r *rig, blocked bool) {
		tm, target := withdrawn(r, blocked)
		done := make(chan struct{})
		go func() { defer close(done); r.withdraw(target) }()
		<-done
		r.enqueue(testimonialPost(tm, t0.Add(time.Hour), chMA))
		r.advance(time.Hour + time.Minute)
	}},
	{"consent dated after now (the signing computer's clock ran fast)", func(r *rig, blocked bool) {
		p := margaret(r)
		signed := t0.Add(-3 * time.Hour)
		if blocked {
			signed = t0.Add(3 * time.Hour)
		}
		c := r.consent(p, terms{signedAt: signed})
		tm := r.testimonial(p, c, app.IdentityInitials)
		r.enqueue(testimonialPost(tm, t0.Add(5*time.Hour), chMA))
		r.advance(5*time.Hour + time.Minute)
	}},
	{"a 14-year-old signed for themselves (a record from before signing refused it)", func(r *rig, blocked bool) {
		p := r.patient("Margaret Okafor", app.CivilDate{Year: 2012, Month: 6, Day: 1})
		c := r.consent(p, terms{signer: "Grace Okafor", legacy: blocked})
		tm := r.testimonial(p, c, app.IdentityInitials)
		r.enqueue(testimonialPost(tm, time.Time{}, chMA))
		r.run()
	}},
	{"promoted as a paid advert", func(r *rig, blocked bool) {
		p := margaret(r)
		ch := []app.ConsentChannel{app.ChannelFacebook, app.ChannelMastodon}
		if !blocked {
			ch = append(ch, app.ChannelPaidAds)
		}
		c := r.consent(p, terms{channels: ch})
		tm := r.testimonial(p, c, app.IdentityInitials)
		req := testimonialPost(tm, time.Time{}, chFB)
		req.Paid = true
		r.enqueue(req)
		r.run()
	}},
	{"a paid advert says what is wrong with the reader", func(r *rig, blocked bool) {
		req := request("Do you suffer from sensitive teeth? Our hygienists can help. Book today.", time.Time{}, chFB)
		req.Paid = blocked
		r.enqueue(req)
		r.run()
	}},
	{"two consents for one patient: the testimonial's is withdrawn", func(r *rig, blocked bool) {
		p := margaret(r)
		old, renewed := r.consent(p, terms{signedAt: t0.AddDate(0, -2, 0)}), r.consent(p, terms{})
		rev := mustRevoke(r, old)
		if err := r.db.RevokeConsent(ctx, rev); err != nil {
			r.t.Fatal(err)
		}
		bound := renewed
		if blocked {
			bound = old
		}
		tm := r.testimonial(p, bound, app.IdentityInitials)
		r.enqueue(testimonialPost(tm, time.Time{}, chMA))
		r.run()
	}},
	{"the consent does not cover the channel", func(r *rig, blocked bool) {
		p := margaret(r)
		ch := []app.ConsentChannel{app.ChannelMastodon, app.ChannelFacebook}
		if blocked {
			ch = []app.ConsentChannel{app.ChannelMastodon}
		}
		c := r.consent(p, terms{channels: ch})
		tm := r.testimonial(p, c, app.IdentityInitials)
		r.enqueue(testimonialPost(tm, time.Time{}, chFB))
		r.run()
	}},
	{"the link's campaign names a patient", func(r *rig, blocked bool) {
		r.patient("Margaret Okafor", adult)
		campaign := "winter-smiles"
		if blocked {
			campaign = "margaret-okafor-whitening"
		}
		req := request("Winter whitening appointments are open.", time.Time{}, chFB)
		req.Link = "https://harbour.example/whitening?utm_source=facebook&utm_medium=social&utm_campaign=" + campaign
		r.enqueue(req)
		r.run()
	}},
	{"the quote in the post is not the approved wording", func(r *rig, blocked bool) {
		_, _, tm := quoted(r, terms{})
		req := testimonialPost(tm, time.Time{}, chMA)
		if blocked {
			req.Text = "“The whole team put me totally at ease.” — M.O."
		}
		r.enqueue(req)
		r.run()
	}},
	{"published at the very instant the consent ends", func(r *rig, blocked bool) {
		_, c, tm := quoted(r, ending)
		end := c.Consent.ExpiresAt
		r.clock.Set(end.Add(-time.Second))
		if blocked {
			r.clock.Set(end)
		}
		r.enqueue(testimonialPost(tm, time.Time{}, chMA))
		r.run()
	}},
	{"an image with no recorded source", func(r *rig, blocked bool) {
		p := margaret(r)
		ph := photo(7)
		c := r.consent(p, terms{media: []app.ConsentMedia{ph}, identity: []app.IdentityElement{app.IdentityAnonymous, app.IdentityFace}})
		sha := ph.SHA256
		if blocked {
			// The same kind of picture, but not one any consent covers.
			other := photo(8)
			r.putBlob(other.SHA256)
			sha = other.SHA256
		}
		_ = c
		postImage(r, "Smiles this week.", sha, "A smiling patient")
	}},
	{"a consent photo attached as it is; the consent forbids the face", func(r *rig, blocked bool) {
		_, ph := faceConsent(r, 9, !blocked)
		postImage(r, "Smiles this week.", ph.SHA256, "A smiling patient")
	}},
	{"a missed post whose consent was withdrawn meanwhile, Publish now", func(r *rig, blocked bool) {
		_, c, tm := quoted(r, terms{})
		jobs, _ := r.enqueue(testimonialPost(tm, t0.Add(time.Hour), chMA))
		r.clock.Set(t0.Add(3 * time.Hour))
		if blocked {
			if err := r.db.RevokeConsent(ctx, mustRevoke(r, c)); err != nil {
				r.t.Fatal(err)
			}
		}
		if _, err := r.q.Recover(ctx); err != nil {
			r.t.Fatal(err)
		}
		r.q.PublishNow(ctx, jobs[0].ID)
		r.run()
	}},
	{"a Studio crop of a consent photo shows the face; the consent forbids it", func(r *rig, blocked bool) {
		c, ph := faceConsent(r, 11, !blocked)
		sha := r.keep(app.NewMedia{Template: "caption", Sources: []app.ImageSource{{Kind: app.SourceConsent, ConsentID: c.Consent.ID,
			MediaSHA256: ph.SHA256, Shows: []app.IdentityElement{app.IdentityFace}}}, SourcesKnown: true}, 12)
		postImage(r, "Smiles this week.", sha, "A smiling patient")
	}},
	{"a photo declared to show no patient, or one whose source was never recorded", func(r *rig, blocked bool) {
		nm := app.NewMedia{Template: "caption", Sources: []app.ImageSource{{Kind: app.SourceDeclared, Declared: "premises"}}, SourcesKnown: true}
		if blocked {
			nm = app.NewMedia{Template: "caption"} // kept before PracticePost asked
		}
		sha := r.keep(nm, 13)
		postImage(r, "Our newly refurbished treatment room.", sha, "A bright treatment room")
	}},
	{"a hand-typed quote card, not a patient's words, signed with initials", func(r *rig, blocked bool) {
		words := "“Prevention is always kinder than cure.” — Dr Amy Shah, dentist"
		if blocked {
			words = "“Prevention is always kinder than cure.” — A.S."
		}
		sha := r.keep(app.NewMedia{Template: "testimonial", ImageText: words, Identity: app.IdentityFullName, SourcesKnown: true,
			Attribution: app.AttributionNotPatient}, 14)
		postImage(r, "Words to live by this winter.", sha, "A quote card")
	}},
	{"a hand-typed quote card that does not say whose words they are", func(r *rig, blocked bool) {
		att := app.AttributionNotPatient
		if blocked {
			att = ""
		}
		sha := r.keep(app.NewMedia{Template: "testimonial", ImageText: "“Best dentist in town!” — Dr Amy Shah", Identity: app.IdentityFullName,
			SourcesKnown: true, Attribution: att}, 15)
		postImage(r, "Kind words.", sha, "A quote card")
	}},
	{"an image's alt text names the patient, who has not consented to her name", func(r *rig, blocked bool) {
		margaret(r)
		alt := "A patient relaxing in the chair after her whitening"
		if blocked {
			alt = "Margaret Okafor relaxing in the chair after her whitening"
		}
		postImage(r, "Smiles this week.", r.keep(premises, 16), alt)
	}},
	{"an image's alt text names the patient; her consent allows her full name or only initials", func(r *rig, blocked bool) {
		id := app.IdentityFullName
		if blocked {
			id = app.IdentityInitials
		}
		r.consent(margaret(r), terms{identity: []app.IdentityElement{id}})
		postImage(r, "Smiles this week.", r.keep(premises, 17), "Margaret Okafor relaxing in the chair after her whitening")
	}},
	{"an image's alt text gives a date of birth", func(r *rig, blocked bool) {
		alt := "Our new treatment room, opened in March"
		if blocked {
			alt = "Our oldest patient, DOB 12/03/1931, in the new treatment room"
		}
		postImage(r, "Our newly refurbished treatment room.", r.keep(premises, 18), alt)
	}},
	{"a link inside the text carries an encoded name; she became a patient after it was queued", func(r *rig, blocked bool) {
		// Publish puts the tagged link in the text and sends no separate
		// link: the claim's check must read the link inside the text.
		r.enqueue(request("Spring whitening offer https://harbour.example/offers?ref=Margaret%20Okafor", t0.Add(2*time.Hour), chMA))
		becomesPatientMeanwhile(r, blocked)
	}},
	{"a Google event's title names the patient", func(r *rig, blocked bool) {
		margaret(r)
		title := "Spring smile day"
		if blocked {
			title = "Margaret Okafor's smile day"
		}
		r.enqueue(googleEvent("Join us for a morning of free check-ups.", title, "", time.Time{}))
		r.run()
	}},
	{"a Google offer's terms name the patient; she became a patient after it was queued", func(r *rig, blocked bool) {
		r.enqueue(googleEvent("10% off whitening this spring.", "Spring whitening", "As enjoyed by Margaret Okafor. One per patient.", t0.Add(2*time.Hour)))
		becomesPatientMeanwhile(r, blocked)
	}},
	nameForm("the caption adds the patient's initials; the consent is anonymous", "“"+quote+"” — M.O.", app.IdentityAnonymous, app.IdentityInitials, app.IdentityAnonymous),
	nameForm("the caption adds the patient's first name; the consent is anonymous", "“"+quote+"” Thank you, Margaret!", app.IdentityAnonymous, app.IdentityFirstName, app.IdentityAnonymous),
	nameForm("the caption names the patient by title and surname; the consent allows initials", "“"+quote+"” — Mrs Okafor", app.IdentityInitials, app.IdentityFullName, app.IdentityInitials),
	{"a discounted testimonial whose post only seems to disclose it", func(r *rig, blocked bool) {
		text := "“" + quote + "” — M.O. (M.O. was offered a discount for this review.)"
		if blocked {
			text = "“" + quote + "” — M.O. A warm welcome and a whitening discount await every new patient."
		}
		quoteNow(r, discounted, app.IdentityInitials, text)
	}},
	{"the disclosure is far from the testimonial", func(r *rig, blocked bool) {
		text := "“" + quote + "” — M.O., who was offered a discount for this review.\n\nOpen late on Thursdays.\n\nParking behind the practice."
		if blocked {
			text = "“" + quote + "” — M.O.\n\nWe are open late on Thursdays until 8pm, and on the first Saturday of every month from 9 until 1. " +
				"There is free parking behind the practice, step-free access at the side door, and a hearing loop at reception.\n\n" +
				"M.O. was offered a discount for this review."
		}
		quoteNow(r, discounted, app.IdentityInitials, text)
	}},
	{"an emailed withdrawal puts the consent on hold before the post's time", func(r *rig, blocked bool) {
		_, c, tm := quoted(r, terms{})
		r.enqueue(testimonialPost(tm, t0.Add(3*time.Hour), chMA))
		r.advance(time.Hour)
		if blocked {
			r.hold(c)
		}
		r.advance(2*time.Hour + time.Minute)
	}},
	{"Facebook holds the post; an emailed withdrawal puts the consent on hold", func(r *rig, blocked bool) {
		_, c, tm := quoted(r, terms{})
		r.enqueue(testimonialPost(tm, t0.Add(48*time.Hour), chFB))
		r.advance(time.Hour)
		if blocked {
			r.hold(c)
		}
		r.advance(48 * time.Hour)
	}},
	{"a post stopped by a hold, checked again after the hold is released or not", func(r *rig, blocked bool) {
		_, c, tm := quoted(r, terms{})
		jobs, _ := r.enqueue(testimonialPost(tm, t0.Add(2*time.Hour), chMA))
		r.hold(c)
		if j := r.job(jobs[0].ID); j.State != app.JobBlocked {
			r.t.Fatalf("a held consent's post: %s", j.State)
		}
		r.advance(time.Hour)
		if !blocked {
			if err := r.db.EndHold(ctx, c.Consent.ID, app.HoldReleased, "Spoke to the patient: she meant another photo."); err != nil {
				r.t.Fatal(err)
			}
		}
		r.q.PublishNow(ctx, jobs[0].ID)
		r.run()
	}},
}

// nameForm is a case where the text shows the patient's name in some form:
// blocked under a consent allowing only refused, allowed under one allowing
// allowed; the testimonial itself names the patient as nameAs.
func nameForm(name, text string, nameAs, allowed, refused app.IdentityElement) gateCase {
	return gateCase{name, func(r *rig, blocked bool) {
		id := allowed
		if blocked {
			id = refused
		}
		quoteNow(r, terms{identity: []app.IdentityElement{id}}, nameAs, text)
	}}
}

// quoteNow publishes text now on Mastodon as a post quoting Margaret's
// testimonial, under a consent on terms t.
func quoteNow(r *rig, t terms, nameAs app.IdentityElement, text string) {
	p := margaret(r)
	tm := r.testimonial(p, r.consent(p, t), nameAs)
	req := request(text, time.Time{}, chMA)
	req.Testimonials = []int64{tm.ID}
	r.enqueue(req)
	r.run()
}

func mustRevoke(r *rig, c app.ConsentEntry) app.ConsentRevocation {
	r.t.Helper()
	rev, err := consentRevoke(c, r.clock.Now())
	if err != nil {
		r.t.Fatal(err)
	}
	return rev
}

// TestGateAdversarial runs every case both ways under the real queue.
func TestGateAdversarial(t *testing.T) {
	for _, c := range gateCases {
		for _, blocked := range []bool{true, false} {
			name, want := c.name+"/blocked", 0
			if !blocked {
				name, want = c.name+"/allowed twin", 1
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				r := newRig(t)
				c.run(r, blocked)
				r.advance(time.Minute)
				if got := r.wentLive(); got != want {
					t.Errorf("%d posts went live, want %d; live %v", got, want, r.live)
				}
			})
		}
	}
}

func TestGateSuiteIsLargeEnough(t *testing.T) {
	if n := 2 * len(gateCases); n < 40 {
		t.Fatalf("the adversarial suite has %d cases; the gate needs at least 40", n)
	}
	seen := map[string]bool{}
	for _, c := range gateCases {
		if seen[c.name] {
			t.Errorf("case %q twice", c.name)
		}
		seen[c.name] = true
	}
}
