package guard

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"testing"

	"practicepost/app"
)

type labelled struct {
	unsafe    bool
	country   string
	commenter string
	text      string
	line      int
}

func readLabelled(t *testing.T, path string) []labelled {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		l := sc.Text()
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			continue
		}
		cols := strings.Split(l, "\t")
		if len(cols) != 4 || (cols[0] != "safe" && cols[0] != "unsafe") || (cols[1] != "GB" && cols[1] != "US") {
			t.Fatalf("%s:%d: want safe|unsafe<TAB>GB|US<TAB>commenter<TAB>text", path, n)
		}
		out = append(out, labelled{cols[0] == "unsafe", cols[1], cols[2], cols[3], n})
	}
	return out
}

// score runs the reply guard over a labelled set: recall is the share of
// unsafe replies blocked, false alarms the share of safe replies with a
// blocking finding.
func score(t *testing.T, set []labelled) (recall, falseAlarms float64, misses, alarms []string) {
	kits := map[string]app.BrandKit{
		"GB": {PracticeName: "Clifton Dental", Country: "GB", Phone: "0117 496 0123", Email: "hello@cliftondental.co.uk",
			Clinicians: []app.Clinician{{Name: "Dr Priya Nair"}}},
		"US": {PracticeName: "Your Smile Dental", Country: "US", Phone: "(415) 555-0132", Email: "frontdesk@yoursmiledental.com"},
	}
	patients := NewMatcher([]PatientName{{PatientID: "1", Name: "Jane Smith"}, {PatientID: "2", Name: "Tom Reilly"}, {PatientID: "3", Name: "Margaret Okafor"}})
	var unsafe, caught, safe, alarmed int
	for _, c := range set {
		r := CheckReply(Reply{Text: c.text, Commenter: c.commenter, Kit: kits[c.country], Names: patients}, nil)
		if c.unsafe {
			unsafe++
			if r.Blocked {
				caught++
			} else {
				misses = append(misses, fmt.Sprintf("line %d: %s", c.line, c.text))
			}
			continue
		}
		safe++
		if r.Blocked {
			alarmed++
			var why []string
			for _, f := range r.Findings {
				if f.Severity == Block {
					why = append(why, fmt.Sprintf("%s %q", f.Kind, f.Text))
				}
			}
			alarms = append(alarms, fmt.Sprintf("line %d: %s [%s]", c.line, c.text, strings.Join(why, "; ")))
		}
	}
	return float64(caught) / float64(unsafe), float64(alarmed) / float64(safe), misses, alarms
}

func TestReplyGuardLabelledSet(t *testing.T) {
	dev := readLabelled(t, "testdata/replies_dev.tsv")
	held := readLabelled(t, "testdata/replies_heldout.tsv")
	if len(dev)+len(held) < 150 || len(held) < 50 {
		t.Fatalf("labelled set too small: %d development, %d held out", len(dev), len(held))
	}
	for _, part := range []struct {
		name string
		set  []labelled
	}{{"all", append(append([]labelled{}, dev...), held...)}, {"held-out", held}, {"development", dev}} {
		r, f, misses, alarms := score(t, part.set)
		fmt.Printf("reply guard (%s, %d replies): recall %.3f false-alarms %.3f\n", part.name, len(part.set), r, f)
		if part.name == "all" {
			fmt.Printf("reply guard: recall %.3f false-alarms %.3f\n", r, f)
		}
		if r < 0.95 || f > 0.05 {
			t.Errorf("%s: recall %.3f (want ≥ 0.95), false alarms %.3f (want ≤ 0.05)\nmissed:\n  %s\nfalse alarms:\n  %s",
				part.name, r, f, strings.Join(misses, "\n  "), strings.Join(alarms, "\n  "))
		}
	}
}

// TestReplyGuardBlindSet2 measures the reply guard on a set written blind
// on 2026-12-08 (replies_heldout2.tsv) by a helper that had read neither
// the rules nor an earlier set, after the first held-out set had been
// passed in full and so measured nothing new. On arrival it scored recall
// 0.800, false alarms 0.283; once set 3 existed its misses and false
// alarms were read and their kinds fixed through dev lines (1.000, 0.000
// after, which now measures nothing new). The set must stay whole.
func TestReplyGuardBlindSet2(t *testing.T) {
	set := readLabelled(t, "testdata/replies_heldout2.tsv")
	unsafe := 0
	for _, c := range set {
		if c.unsafe {
			unsafe++
		}
	}
	if len(set) < 120 || unsafe < 60 || len(set)-unsafe < 60 {
		t.Fatalf("blind set 2 has %d replies, %d unsafe: want 120, half each", len(set), unsafe)
	}
	r, f, _, _ := score(t, set)
	fmt.Printf("reply guard (blind set 2, %d replies): recall %.3f false-alarms %.3f\n", len(set), r, f)
}

// TestReplyGuardDevLines holds every development reply to its label: the
// set's rates leave room for a miss or two, so a rule switched off could
// lose the very line written for it and still pass TestReplyGuardLabelledSet.
func TestReplyGuardDevLines(t *testing.T) {
	_, _, misses, alarms := score(t, readLabelled(t, "testdata/replies_dev.tsv"))
	for _, m := range misses {
		t.Errorf("replies_dev.tsv: missed %s", m)
	}
	for _, a := range alarms {
		t.Errorf("replies_dev.tsv: false alarm %s", a)
	}
}

// TestReplyGuardBlindSet3 measures the reply guard on a third set written
// blind on 2026-12-08 (replies_heldout3.tsv), while set 2 was studied. It
// scored recall 0.750, false alarms 0.283, on the guard before set 2 was
// studied, and recall 0.733, false alarms 0.133, after. Its misses go
// unread until a fourth set exists; the set must stay whole.
func TestReplyGuardBlindSet3(t *testing.T) {
	set := readLabelled(t, "testdata/replies_heldout3.tsv")
	unsafe := 0
	for _, c := range set {
		if c.unsafe {
			unsafe++
		}
	}
	if len(set) < 120 || unsafe < 60 || len(set)-unsafe < 60 {
		t.Fatalf("blind set 3 has %d replies, %d unsafe: want 120, half each", len(set), unsafe)
	}
	r, f, _, _ := score(t, set)
	fmt.Printf("reply guard (blind set 3, %d replies): recall %.3f false-alarms %.3f\n", len(set), r, f)
}
