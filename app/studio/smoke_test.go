package studio

import (
	"context"
	"os"
	"testing"
)

func TestSmokeWrite(t *testing.T) {
	dir := os.Getenv("STUDIO_SMOKE")
	if dir == "" {
		return
	}
	e := mustEngine(t)
	src := mustLoad(t, encodeJPEG(t, photoLike(1600, 1200, false), 90))
	for _, tp := range e.Templates() {
		for _, l := range tp.Layouts {
			spec := Spec{Template: tp.ID, Layout: l.ID, Brand: testBrand(), Logo: testLogo(t),
				Fields: map[string]string{"quote": "\"I was terrified of the dentist for twenty years. The team here changed that completely - I actually look forward to my check-ups now.\"", "treatment": "Invisalign patient",
					"title": "Floss before you brush", "body": "Flossing first loosens food and plaque so brushing can sweep it away and fluoride reaches between teeth.",
					"myth": "Whitening damages your enamel.", "fact": "Professional whitening, used as directed, is safe for enamel. Shop-bought kits with high peroxide can hurt.",
					"name": "Dr Amélie Okafor", "role": "Principal dentist", "registration": "GDC No. 123456", "bio": "Amélie has cared for Riverside's patients for twelve years and loves nervous patients' first pain-free visit.",
					"when": "Saturday 14 June, 10am–2pm", "details": "Free kids' check-ups, tours of the practice and a chance to meet the team.", "cta": "Book at riverside-dental.example",
					"caption": "Our new treatment room is open — brighter, calmer and quieter."},
				Attribution: &AttributionSpec{Mode: AttrFirstName, Name: "Jane Smith"},
				Photos:      map[string]Photo{"main": {Source: src}, "portrait": {Source: src, Focus: Point{0.3, 0.4}}, "before": {Source: src}, "after": {Source: src, Focus: Point{0.7, 0.55}}}}
			vs, err := e.Render(context.Background(), spec, Sizes, ExportFor("bluesky"))
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range vs {
				os.WriteFile(dir+"/"+tp.ID+"-"+l.ID+"-"+v.Size.ID+".jpg", v.Data, 0o644)
				if len(v.Overflows) > 0 {
					t.Logf("%s %s %s overflow %v", tp.ID, l.ID, v.Size.ID, v.Overflows)
				}
			}
		}
	}
}
