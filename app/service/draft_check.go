package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"practicepost/app"
	"practicepost/app/guard"
	"practicepost/app/store"
)

// Check runs the guard over unsaved editor content at the draft's moment.
func (s *DraftService) Check(in DraftInput) (DraftCheck, error) {
	ctx, db, d, err := s.openInput(in)
	if err != nil {
		return DraftCheck{}, err
	}
	return s.check(ctx, db, d, s.c.Clock.Now())
}

// check runs the gate over the draft's post on each chosen channel at
// moment and merges the findings for the editor.
func (s *DraftService) check(ctx context.Context, db *store.DB, d app.Draft, moment time.Time) (DraftCheck, error) {
	out := DraftCheck{Moment: moment, Channels: []ChannelCheck{}, Findings: []FindingView{}, Reasons: []string{}}
	dr, err := s.c.Gate.Draft(ctx, db, d, s.c.Clock.Now(), moment)
	if err != nil {
		return out, err
	}
	index := map[string]int{}
	add := func(f guard.Finding, ch, target string) {
		key := fmt.Sprintf("%s|%s|%d|%d|%s|%d", target, f.Kind, f.Start, f.End, f.Message, f.Image)
		if i, ok := index[key]; ok {
			if ch != "" && !slices.Contains(out.Findings[i].Channels, ch) {
				out.Findings[i].Channels = append(out.Findings[i].Channels, ch)
			}
			return
		}
		fv := FindingView{Finding: f, Channels: []string{}, Target: target}
		fv.Channel = ""
		if ch != "" {
			fv.Channels = append(fv.Channels, ch)
		}
		index[key] = len(out.Findings)
		out.Findings = append(out.Findings, fv)
	}
	for _, f := range dr.Whole {
		add(f, "", "")
	}
	for i, p := range dr.Posts {
		ch, name := p.Channel, string(p.Channel)
		r := dr.Results[i].Report
		base, own := d.Versions[name]
		if !own {
			base = d.Body
		}
		baseLen := len(strings.TrimRight(base, " \n\t"))
		target := "body"
		if own {
			target = name
		}
		for _, f := range r.Findings {
			t := target
			if f.End > baseLen || f.Start == f.End {
				t = ""
			}
			add(f, name, t)
		}
		imgs := []ChannelImage{}
		for _, m := range dr.Images[ch] {
			imgs = append(imgs, ChannelImage{PostImage: m, URL: MediaURL(m.SHA256)})
		}
		out.Channels = append(out.Channels, ChannelCheck{Channel: name, Label: channelLabel(ch), Text: p.Text, Link: p.Link, Counters: r.Counters, Blocked: r.Blocked, Note: dr.Notes[ch],
			Images: imgs, SizeNote: dr.SizeNotes[ch]})
	}
	slices.SortStableFunc(out.Findings, func(a, b FindingView) int {
		if (a.Severity == guard.Block) != (b.Severity == guard.Block) {
			if a.Severity == guard.Block {
				return -1
			}
			return 1
		}
		return a.Start - b.Start
	})
	seen := map[string]bool{}
	for _, f := range out.Findings {
		if f.Severity != guard.Block {
			continue
		}
		out.Blocked = true
		msg := f.Message
		if len(f.Channels) > 0 && len(f.Channels) < len(d.Channels) {
			var labels []string
			for _, c := range f.Channels {
				labels = append(labels, channelLabel(guard.Channel(c)))
			}
			if !strings.Contains(msg, labels[0]) {
				msg += " (" + strings.Join(labels, ", ") + ")"
			}
		}
		if !seen[msg] {
			seen[msg] = true
			out.Reasons = append(out.Reasons, msg)
		}
	}
	return out, nil
}
