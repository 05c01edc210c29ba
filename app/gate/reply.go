package gate

import (
	"context"
	"fmt"
	"time"

	"practicepost/app"
	"practicepost/app/guard"
)

// ReplyPost is a public reply to a comment or review as it will be sent.
type ReplyPost struct {
	Channel   guard.Channel
	Text      string
	Commenter string   // the display name of the person answered
	Others    []string // the other people in the thread, named in no reply either
}

// ReplyResult is the verdict on a reply: the reply guard's rules and the
// one gate's (the identifier scan with the patient list, platform limits,
// advertising rules), findings merged in reading order.
type ReplyResult struct {
	Findings []guard.Finding `json:"findings"`
	Blocked  bool            `json:"blocked"`
	Private  string          `json:"private"` // the practice's private route, filled in
}

// Reply judges a reply against the data as r sees it (inside the
// transaction that starts the attempt, for a send). A reply relies on no
// consent: a patient's name is blocked in a reply whatever their consent.
func (g *Gate) Reply(ctx context.Context, r Reader, p ReplyPost, now time.Time) (ReplyResult, error) {
	s, err := g.Load(ctx, r, nil)
	if err != nil {
		return ReplyResult{}, err
	}
	kit, err := r.BrandKit(ctx)
	if err != nil {
		return ReplyResult{}, err
	}
	rep := guard.CheckReply(guard.Reply{Text: p.Text, Commenter: p.Commenter, Others: p.Others, Kit: kit, Names: s.Practice.Names}, nil)
	// The one gate's own rules, as for any post on this channel. Its name
	// findings are the reply guard's already (stricter: no consent clears a
	// name in a reply), so only what the reply guard does not judge is added.
	post := Check(Post{Channel: p.Channel, Text: p.Text}, s, now, now)
	fs := rep.Findings
	info, _ := app.PlatformOf(app.ConsentChannel(p.Channel)).Info()
	for _, f := range post.Report.Findings {
		if postOnly[f.Kind] || covered(fs, f) || f.Kind == guard.KindTooLong && info.ReplyMaxBytes > 0 {
			continue
		}
		fs = append(fs, f)
	}
	if n := len(p.Text); info.ReplyMaxBytes > 0 && n > info.ReplyMaxBytes {
		// A reply's own limit where it differs from a post's (Google).
		fs = append(fs, guard.Finding{Kind: guard.KindTooLong, Severity: guard.Block, Channel: p.Channel,
			Message: fmt.Sprintf("%s takes replies of up to %d bytes; this reply uses %d (emoji and accented letters take several bytes each).", info.Title, info.ReplyMaxBytes, n),
			Fix:     "Shorten the reply or use fewer emoji."})
	}
	out := ReplyResult{Findings: fs, Private: rep.Private}
	if out.Findings == nil {
		out.Findings = []guard.Finding{}
	}
	out.Blocked = guard.Blocked(fs)
	return out, nil
}

// postOnly are the gate's findings about posts that do not apply to a
// reply: a reply carries no image (Instagram posts need one), and Google
// refuses phone numbers in local posts, not in review replies, which the
// practice's number is exactly what a reply should offer.
var postOnly = map[guard.Kind]bool{
	guard.KindImageRequired: true, guard.KindTooManyImages: true, guard.KindImageTooLarge: true, guard.KindImageTooSmall: true,
	guard.KindImageAspect: true, guard.KindImageFormat: true, guard.KindGBPPhone: true,
}

// covered reports whether a gate finding repeats one the reply guard made
// on the same words (the identifier scan runs in both).
func covered(fs []guard.Finding, f guard.Finding) bool {
	for _, k := range fs {
		if f.End > f.Start && f.Start < k.End && k.Start < f.End {
			return true
		}
		if f.End == f.Start && f.Kind == k.Kind && f.Message == k.Message {
			return true
		}
	}
	return false
}
