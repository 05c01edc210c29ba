package insights

import (
	"fmt"
	"sort"
)

// Suggestion is one thing to try next and the numbers behind it.
type Suggestion struct {
	Text  string `json:"text"`
	Basis string `json:"basis"` // the data it rests on, in words
}

// MinPostsForPillar is how many posts a pillar (or group) needs before the
// report compares it with others.
const MinPostsForPillar = 2

// Suggest turns a period's dashboard into at most four things to try next,
// each tied to the figures that support it. It says nothing it cannot back.
func Suggest(d Dashboard) []Suggestion {
	out := []Suggestion{}
	var ranked []Group
	for _, g := range d.Pillars {
		if g.Posts >= MinPostsForPillar {
			ranked = append(ranked, g)
		}
	}
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].Mean > ranked[j].Mean })
	if len(ranked) >= 2 && ranked[0].Mean > ranked[len(ranked)-1].Mean {
		top, low := ranked[0], ranked[len(ranked)-1]
		out = append(out, Suggestion{
			Text:  fmt.Sprintf("Plan more %s posts.", lower(top.Label)),
			Basis: fmt.Sprintf("%s posts averaged %.1f interactions (%d posts), against %.1f for %s (%d posts).", top.Label, top.Mean, top.Posts, low.Mean, lower(low.Label), low.Posts),
		})
	}
	if len(d.Testimonial) == 2 {
		t, o := d.Testimonial[0], d.Testimonial[1]
		if t.Posts >= MinPostsForPillar && o.Posts >= MinPostsForPillar && t.Mean > o.Mean {
			out = append(out, Suggestion{
				Text:  "Ask more happy patients for a testimonial (with their signed consent).",
				Basis: fmt.Sprintf("Testimonial posts averaged %.1f interactions (%d posts), the rest %.1f (%d posts).", t.Mean, t.Posts, o.Mean, o.Posts),
			})
		}
	}
	switch s := d.Slots; {
	case s.BestDay != nil:
		out = append(out, Suggestion{
			Text:  fmt.Sprintf("Post on %ss when you can.", s.BestDay.Label),
			Basis: fmt.Sprintf("%s posts averaged %.1f interactions (%d posts of %d).", s.BestDay.Label, s.BestDay.Mean, s.BestDay.Posts, s.Posts),
		})
	case s.BestHour != nil:
		out = append(out, Suggestion{
			Text:  fmt.Sprintf("Post around %s when you can.", s.BestHour.Label),
			Basis: fmt.Sprintf("Posts at %s averaged %.1f interactions (%d posts of %d).", s.BestHour.Label, s.BestHour.Mean, s.BestHour.Posts, s.Posts),
		})
	case s.Posts < MinPostsForBest:
		out = append(out, Suggestion{
			Text:  "Keep posting at different days and times.",
			Basis: fmt.Sprintf("%d posts have numbers so far; with %d or more the report can say when yours do best.", s.Posts, MinPostsForBest),
		})
	}
	if d.Totals.Posts > 0 {
		for _, g := range d.Pillars {
			if g.Posts == 0 && g.Key != "testimonial" {
				out = append(out, Suggestion{
					Text:  fmt.Sprintf("Try a %s post next month.", lower(g.Label)),
					Basis: fmt.Sprintf("No %s posts had numbers this period, so there is nothing to compare yet.", lower(g.Label)),
				})
				break
			}
		}
	}
	if len(out) > 4 {
		out = out[:4]
	}
	return out
}

func lower(s string) string {
	if s == "" {
		return s
	}
	b := []rune(s)
	if b[0] >= 'A' && b[0] <= 'Z' {
		b[0] += 'a' - 'A'
	}
	return string(b)
}
