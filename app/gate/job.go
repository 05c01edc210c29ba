package gate

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"practicepost/app"
	"practicepost/app/guard"
)

// ChannelOf is the guard's (and a draft's) channel for a publishing
// platform's id. The two spellings differ (for Google Business Profile);
// the platform descriptor is the one place that says how.
func ChannelOf(platform string) guard.Channel {
	return guard.Channel(app.Platform(platform).Channel())
}

// JobPost is a queued job as it will be sent, with the details sent beside
// its text (a Google event's or offer's; see Detail).
func JobPost(j app.PublishJob, details []Detail) Post {
	p := Post{Channel: ChannelOf(j.Platform), Text: j.Text, Link: j.Link, Testimonials: j.Testimonials, Paid: j.Paid, Details: details}
	for _, m := range j.Media {
		p.Images = append(p.Images, Image{SHA256: m.SHA256, MediaID: m.MediaID, Alt: m.Alt})
	}
	return p
}

// JobMoment is when a job's post goes live if sent now: a post the
// platform holds for later (Facebook's own scheduling) goes live at its
// time, anything else at once.
func JobMoment(j app.PublishJob, now time.Time) time.Time {
	if j.Native && j.ScheduledAt.After(now) {
		return j.ScheduledAt
	}
	return now
}

// PlannedMoment is when a job is meant to go live: its scheduled time, or
// now when it has none or that time has come.
func PlannedMoment(j app.PublishJob, now time.Time) time.Time {
	if j.ScheduledAt.After(now) {
		return j.ScheduledAt
	}
	return now
}

// Job judges a job as it will be sent, with the details sent beside its text, at moment (when it goes live; see
// JobMoment and PlannedMoment), against the data as r sees it: the queue calls it with the read view of
// the transaction that marks the job attempting. Besides what Check finds,
// a consent the job was linked to when it was queued that has since been
// withdrawn or put on hold blocks it, whether or not the post still relies
// on it.
func (g *Gate) Job(ctx context.Context, r Reader, j app.PublishJob, details []Detail, now, moment time.Time) (Result, error) {
	post := JobPost(j, details)
	s, err := g.Load(ctx, r, []Post{post})
	if err != nil {
		return Result{}, err
	}
	out := Check(post, s, now, moment)
	for _, c := range j.ConsentIDs {
		id, err := strconv.ParseInt(c, 10, 64)
		if err != nil || slices.Contains(out.Relied, id) {
			continue
		}
		e, ok := s.Consents[id]
		if !ok {
			continue
		}
		var why string
		switch rec := e.Record; {
		case rec.Revocation != nil && !rec.Revocation.At.After(moment):
			why = "was withdrawn"
		case rec.Hold.Active(moment):
			why = "is on hold: the patient asked by email to withdraw it"
		default:
			continue
		}
		out.Report.Findings = append(out.Report.Findings, guard.Finding{Kind: "consent_linked_withdrawn", Severity: guard.Block, Channel: out.Report.Channel,
			Message: fmt.Sprintf("A patient consent this post relied on when it was queued %s, so it will not go out.", why),
			Fix:     "Open the post, check it again and publish it anew if it no longer relies on that consent."})
		out.Report.Blocked = true
	}
	return out, nil
}

// Blocking says why a job may not go out, in one message for the job's
// error line.
func Blocking(r Result) string {
	reasons := r.Reasons()
	if len(reasons) == 0 {
		return ""
	}
	msg := "Blocked by the consent and privacy check: " + reasons[0]
	if len(reasons) > 1 {
		msg += fmt.Sprintf(" (and %d more: open the post to see them all)", len(reasons)-1)
	}
	return msg
}
