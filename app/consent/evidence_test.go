package consent

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"practicepost/app"
)

func TestEvidenceHashDeterministic(t *testing.T) {
	f := testForm(t, "GB")
	f.Media = append(f.Media, app.ConsentMedia{SHA256: "ff99" + zeros(60), Kind: "before_after", Label: "Before"})
	a := sign(t, f, ukSigned)
	b := sign(t, f, ukSigned)
	if a.EvidenceHash != b.EvidenceHash || len(a.EvidenceHash) != 64 {
		t.Fatalf("same form, two hashes: %s %s", a.EvidenceHash, b.EvidenceHash)
	}
	// Tick order, media order, time zone of the instant and record-keeping
	// fields do not change what was consented to.
	c := a
	c.Scope = app.ConsentScope{Identity: slices.Clone(a.Scope.Identity), Channels: slices.Clone(a.Scope.Channels)}
	slices.Reverse(c.Scope.Identity)
	slices.Reverse(c.Scope.Channels)
	c.Scope.Channels = append(c.Scope.Channels, c.Scope.Channels[0])
	c.Media = slices.Clone(a.Media)
	slices.Reverse(c.Media)
	c.SignedAt = a.SignedAt.In(london)
	c.ID, c.PatientID, c.Patient.ID, c.Patient.CreatedAt = 99, 98, 98, time.Now()
	c.EvidenceHash = "ignored"
	if EvidenceHash(c) != a.EvidenceHash {
		t.Error("hash depends on order, zone or database ids")
	}
	// Hashing the same value many times gives one answer (no map order).
	for range 50 {
		if EvidenceHash(a) != a.EvidenceHash {
			t.Fatal("hash is not stable")
		}
	}
}

// The canonical form is frozen: stored consents verify only while it stays
// byte-for-byte the same. A change here means a new evidenceScheme version,
// not an edit of v1.
func TestEvidenceHashFrozen(t *testing.T) {
	c := app.Consent{
		Country: "GB", Practice: app.ConsentPractice{Name: "P", Zone: "Europe/London"},
		Patient:         app.Patient{FullName: "A B", DateOfBirth: app.CivilDate{Year: 1990, Month: 1, Day: 2}},
		TemplateVersion: "uk@1", TemplateSHA256: "t", Text: "text", TextSHA256: "x",
		Scope: app.ConsentScope{Identity: []app.IdentityElement{"first_name"}, Channels: []app.ConsentChannel{"website"}},
		Quote: "q", QuoteSHA256: "qh", Media: []app.ConsentMedia{{SHA256: "m", Kind: "photo"}},
		ExpiryMonths: 24, ExpiresAt: time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC),
		Remuneration: app.Remuneration{Kind: "none"}, Method: "on_screen",
		Signer:    app.Signer{Name: "A B"},
		Signature: app.Signature{TypedName: "A B", ImageSHA256: "i", Strokes: [][]app.StrokePoint{{{X: 0.5, Y: 1, T: 2}}}},
		SignedAt:  time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC),
	}
	const want = "f6d2227107b4bf1a1da160f4d5cc4aa3ab29179de7b5837da0be5bf44e5d1803"
	if got := EvidenceHash(c); got != want {
		t.Errorf("EvidenceHash = %s, want %s", got, want)
	}
}

// Changing any single evidential field of a signed consent must change the
// hash. The walk covers every field by reflection, so a field added to
// app.Consent later fails this test until it is hashed or listed here as
// deliberately outside the evidence.
func TestEvidenceHashSensitive(t *testing.T) {
	notEvidence := map[string]bool{
		"ID": true, "PatientID": true, "EvidenceHash": true, "Patient.ID": true, "Patient.CreatedAt": true,
	}
	f := testForm(t, "GB")
	f.Remuneration = app.Remuneration{Kind: app.RemunerationGift, Description: "a toothbrush", Disclosure: "gifted a toothbrush"}
	f.Signer = app.Signer{Name: "Anna", Representative: true, Relationship: "mother", Authority: "parent"}
	f.Practice.PrivacyContact = "dpo@riverside.example"
	base := sign(t, f, ukSigned)
	base.Signature.ScanSHA256 = "scan"
	base.Patient.Phone, base.Patient.NeedsRepresentative = "07700 900000", false
	want := EvidenceHash(base)
	n := 0
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		if notEvidence[path] {
			return
		}
		check := func() {
			n++
			c := base
			c.Scope = app.ConsentScope{Identity: slices.Clone(base.Scope.Identity), Channels: slices.Clone(base.Scope.Channels)}
			c.Media = slices.Clone(base.Media)
			c.Signature.Strokes = [][]app.StrokePoint{slices.Clone(base.Signature.Strokes[0])}
			mutate(reflect.ValueOf(&c).Elem(), path)
			if EvidenceHash(c) == want {
				t.Errorf("changing %s does not change the evidence hash", path)
			}
		}
		switch v.Kind() {
		case reflect.Struct:
			if v.Type() == reflect.TypeOf(time.Time{}) || v.Type() == reflect.TypeOf(app.CivilDate{}) {
				check()
				return
			}
			for i := range v.NumField() {
				walk(join(path, v.Type().Field(i).Name), v.Field(i))
			}
		default:
			check()
		}
	}
	walk("", reflect.ValueOf(base))
	if n < 39 {
		t.Errorf("only %d fields checked", n)
	}
}

func join(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

// mutate changes the field at path to a different value of its type.
func mutate(root reflect.Value, path string) {
	v := root
	for _, name := range splitPath(path) {
		v = v.FieldByName(name)
	}
	switch x := v.Addr().Interface().(type) {
	case *time.Time:
		*x = x.Add(time.Second)
	case *app.CivilDate:
		x.Day++
	default:
		switch v.Kind() {
		case reflect.String:
			v.SetString(v.String() + "x")
		case reflect.Int, reflect.Int64:
			v.SetInt(v.Int() + 1)
		case reflect.Bool:
			v.SetBool(!v.Bool())
		case reflect.Slice:
			switch s := v.Addr().Interface().(type) {
			case *[]app.IdentityElement:
				*s = append(*s, app.IdentityTown)
			case *[]app.ConsentChannel:
				*s = append(*s, app.ChannelPrint)
			case *[]app.ConsentMedia:
				(*s)[0].Label += "x"
			case *[][]app.StrokePoint:
				(*s)[0][0].X += 0.25
			default:
				panic("no mutation for " + path)
			}
		default:
			panic("no mutation for " + path)
		}
	}
}

func splitPath(p string) []string {
	var out []string
	start := 0
	for i := range len(p) {
		if p[i] == '.' {
			out = append(out, p[start:i])
			start = i + 1
		}
	}
	return append(out, p[start:])
}
