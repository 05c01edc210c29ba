package gate

import (
	"context"
	"time"

	"practicepost/app"
	"practicepost/app/guard"
)

// DraftResult is the gate's verdict on a draft in the editor.
type DraftResult struct {
	// Posts are the draft's posts as they will be sent, one per chosen
	// channel in the draft's order, and Results the verdict on each.
	Posts   []Post
	Results []Result
	// Notes say, per channel, what composing changed (a link left out).
	Notes map[guard.Channel]string
	// Images are, per channel, the images its post carries (a design in
	// its platform's size), and SizeNotes say where a design goes in
	// another size because it has not kept the one the platform takes.
	Images    map[guard.Channel][]app.PostImage
	SizeNotes map[guard.Channel]string
	// Whole are findings about the draft itself rather than one post.
	Whole []guard.Finding
}

// Draft judges a draft's posts at moment, with the clock reading now: a
// draft with no channel is blocked, and a link that cannot be tagged is a
// warning on each post that carries it. A design the draft attached is
// judged on each channel in the size that channel gets.
func (g *Gate) Draft(ctx context.Context, r Reader, d app.Draft, now, moment time.Time) (DraftResult, error) {
	sets := map[string][]app.Media{}
	for _, m := range d.Media {
		if _, done := sets[m.SetID]; m.SetID == "" || done {
			continue
		}
		set, err := r.MediaSet(ctx, m.SetID)
		if err != nil {
			return DraftResult{}, err
		}
		sets[m.SetID] = set
	}
	posts, notes, linkOK, images := DraftPosts(d, sets)
	results, err := g.Check(ctx, r, posts, now, moment)
	if err != nil {
		return DraftResult{}, err
	}
	out := DraftResult{Posts: posts, Results: results, Notes: notes, Images: images, SizeNotes: map[guard.Channel]string{}}
	for ch, imgs := range images {
		if n := SizeNote(ch, imgs); n != "" {
			out.SizeNotes[ch] = n
		}
	}
	if len(d.Channels) == 0 {
		out.Whole = append(out.Whole, guard.Finding{Kind: "no_channel", Severity: guard.Block, Message: "No platform is chosen for this post.", Fix: "Tick at least one platform."})
	}
	for i, p := range posts {
		if !linkOK[p.Channel] {
			rep := &out.Results[i].Report
			rep.Findings = append(rep.Findings, guard.Finding{Kind: "link_invalid", Severity: guard.Warn, Channel: p.Channel,
				Message: "The link does not look like a web address, so it cannot be tagged or opened.", Fix: "Check the link, for example https://www.yourpractice.co.uk/offers."})
		}
	}
	return out, nil
}
