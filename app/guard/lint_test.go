package guard

import (
	"slices"
	"testing"

	"practicepost/app"
)

func TestLint(t *testing.T) {
	nonSpec := []app.Clinician{{Name: "Dr Priya Nair", Regulator: "GDC", Number: "112233"}}
	withSpec := []app.Clinician{{Name: "Dr Priya Nair"}, {Name: "Dr Emily Chen", Specialist: true}}
	tests := []struct {
		name string
		in   LintInput
		want []Kind
		sev  []Severity
	}{
		{"botox uk", LintInput{Text: "Botox from £199", Country: "GB"}, []Kind{KindPOM}, []Severity{Block}},
		{"anti-wrinkle injections uk", LintInput{Text: "Our anti-wrinkle injections are back", Country: "GB"}, []Kind{KindPOM}, []Severity{Block}},
		{"dysport lower case", LintInput{Text: "now stocking dysport", Country: "GB"}, []Kind{KindPOM}, []Severity{Block}},
		{"botox us is legal", LintInput{Text: "Botox Tuesdays", Country: "US"}, nil, nil},
		{"guaranteed", LintInput{Text: "Guaranteed straight teeth", Country: "GB"}, []Kind{KindClaim}, []Severity{Block}},
		{"risk-free", LintInput{Text: "A risk-free way to whiter teeth", Country: "US"}, []Kind{KindClaim}, []Severity{Block}},
		{"100% safe", LintInput{Text: "It is 100% safe", Country: "GB"}, []Kind{KindClaim}, []Severity{Block}},
		{"not guaranteed is fine", LintInput{Text: "Results are not guaranteed and vary.", Country: "GB"}, nil, nil},
		{"miracle warns", LintInput{Text: "A miracle for my back!", Country: "GB"}, []Kind{KindClaim}, []Severity{Warn}},
		{"cure warns", LintInput{Text: "Physio can cure your back pain", Country: "GB"}, []Kind{KindClaim}, []Severity{Warn}},
		{"no cure is fine", LintInput{Text: "There is no cure for the common cold, but rest helps.", Country: "GB"}, nil, nil},
		{"cured meats are food", LintInput{Text: "Cured meats at our summer party!", Country: "GB"}, nil, nil},
		{"secure and manicure are not cure", LintInput{Text: "Secure parking; manicure bar next door.", Country: "GB"}, nil, nil},
		{"specialist with no specialist on staff", LintInput{Text: "Dr Nair, our implant specialist", Country: "GB", Clinicians: nonSpec}, []Kind{KindSpecialist}, []Severity{Block}},
		{"specialist named and listed", LintInput{Text: "Dr Emily Chen, specialist in periodontics", Country: "GB", Clinicians: withSpec}, nil, nil},
		{"specialist names the wrong clinician", LintInput{Text: "Dr Nair is our gum specialist", Country: "GB", Clinicians: withSpec}, []Kind{KindSpecialist}, []Severity{Block}},
		{"specialist unnamed", LintInput{Text: "See our specialists today", Country: "GB", Clinicians: withSpec}, []Kind{KindSpecialist}, []Severity{Warn}},
		{"specialist us warns", LintInput{Text: "Our specialist team", Country: "US", Clinicians: nonSpec}, []Kind{KindSpecialist}, []Severity{Warn}},
		{"referral to a specialist", LintInput{Text: "If needed we can refer you to a specialist.", Country: "GB", Clinicians: nonSpec}, nil, nil},
		{"time-limited cosmetic uk", LintInput{Text: "Lip fillers £150 – this week only!", Country: "GB"}, []Kind{KindTimeLimited}, []Severity{Block}},
		{"time-limited cosmetic us", LintInput{Text: "Whitening offer ends Friday", Country: "US"}, []Kind{KindTimeLimited}, []Severity{Warn}},
		{"time-limited non-cosmetic", LintInput{Text: "Flu jabs: this week only at the walk-in clinic", Country: "GB"}, nil, nil},
		{"results claim", LintInput{Text: "Amazing results after just 3 sessions", Country: "US"}, []Kind{KindResultsClaim}, []Severity{Warn}},
		{"before and after", LintInput{Text: "Swipe for her before and after", Country: "GB"}, []Kind{KindResultsClaim}, []Severity{Warn}},
		{"lost 10kg", LintInput{Text: "She lost 10kg with our programme", Country: "GB"}, []Kind{KindResultsClaim}, []Severity{Warn}},
		{"pain-free in 2 weeks", LintInput{Text: "Pain-free in 2 weeks!", Country: "GB"}, []Kind{KindResultsClaim}, []Severity{Warn}},
		{"results with typical line", LintInput{Text: "Stunning results! Individual results vary.", Country: "US"}, nil, nil},
		{"remunerated without disclosure", LintInput{Text: "Sarah loves her smile", Country: "GB", Remunerated: true}, []Kind{KindUndisclosedPaid}, []Severity{Block}},
		{"remunerated with disclosure", LintInput{Text: "Sarah received a complimentary whitening treatment for sharing her story", Country: "GB", Remunerated: true}, nil, nil},
		{"remunerated #ad", LintInput{Text: "#ad Sarah loves her smile", Country: "US", Remunerated: true}, nil, nil},
		{"gbp phone even the practice's", LintInput{Text: "Call 0117 496 0123 to book", Channel: GoogleBusiness, Country: "GB"}, []Kind{KindGBPPhone}, []Severity{Block}},
		{"phone fine on facebook", LintInput{Text: "Call 0117 496 0123 to book", Channel: Facebook, Country: "GB"}, nil, nil},
		{"clean post", LintInput{Text: "Hygiene appointments available on Saturdays. Prices from £65.", Country: "GB", Clinicians: nonSpec}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := Lint(tt.in)
			var kinds []Kind
			var sevs []Severity
			for _, f := range fs {
				kinds, sevs = append(kinds, f.Kind), append(sevs, f.Severity)
				if f.Message == "" || f.Fix == "" {
					t.Errorf("finding %+v lacks message or fix", f)
				}
				if f.End > 0 && f.Text != tt.in.Text[f.Start:f.End] {
					t.Errorf("finding text %q is not at [%d,%d)", f.Text, f.Start, f.End)
				}
			}
			if !slices.Equal(kinds, tt.want) || !slices.Equal(sevs, tt.sev) {
				t.Fatalf("got %v %v, want %v %v (%v)", kinds, sevs, tt.want, tt.sev, fs)
			}
		})
	}
}
