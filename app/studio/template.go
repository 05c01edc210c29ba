package studio

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Template is one design, loaded from assets/templates/<id>.json. Templates
// are data: adding a design means adding a file, not code.
type Template struct {
	ID          string      `json:"id"`
	Name        string      `json:"name"`
	Description string      `json:"description"`
	Fields      []Field     `json:"fields"`
	Photos      []PhotoSlot `json:"photos"`
	Layouts     []Layout    `json:"layouts"`
}

// Field is a text input the template asks for.
type Field struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Kind     string `json:"kind"` // "line", "text" (multi-line) or "attribution"
	Required bool   `json:"required"`
	MaxLen   int    `json:"maxLen"`
	Default  string `json:"default"`
}

// PhotoSlot is a place for a photo.
type PhotoSlot struct {
	ID       string `json:"id"`
	Label    string `json:"label"`
	Required bool   `json:"required"`
}

// Layout is one arrangement of a template. Its frames cover canvas shapes:
// the first frame whose aspect range holds the canvas is used.
type Layout struct {
	ID     string  `json:"id"`
	Name   string  `json:"name"`
	Frames []Frame `json:"frames"`
}

// Frame is the element list for a range of aspect ratios (width/height);
// zero bounds are open.
type Frame struct {
	MinAspect float64   `json:"minAspect"`
	MaxAspect float64   `json:"maxAspect"`
	Elements  []Element `json:"elements"`
}

// Element kinds.
const (
	KindBackground = "background" // photo, solid or gradient, as the spec chooses
	KindFill       = "fill"       // a solid or gradient shape
	KindPhoto      = "photo"      // a photo slot, crop-filled around its focal point
	KindBand       = "band"       // blur and tint what is beneath, behind text
	KindText       = "text"
	KindLogo       = "logo" // the brand logo, or the practice name when there is none
)

// Element is one painted item. Box is relative to the canvas when Bleed is
// set and to the safe area otherwise.
type Element struct {
	ID    string    `json:"id"`
	Kind  string    `json:"kind"`
	Box   Rect      `json:"box"`
	Bleed bool      `json:"bleed"`
	Fill  Paint     `json:"fill"`
	Photo string    `json:"photo"`
	Shape string    `json:"shape"` // "rect" or "circle"
	Blur  float64   `json:"blur"`  // band blur radius, px on a 1080 short side
	Text  string    `json:"text"`  // with {{field}} references
	Style TextStyle `json:"style"`
}

// Paint is a colour role, or a gradient between two, with opacity.
type Paint struct {
	Color   string  `json:"color"`
	To      string  `json:"to"`      // gradient end role; "" for solid
	Angle   float64 `json:"angle"`   // degrees, 0 = left to right, 90 = top to bottom
	Opacity float64 `json:"opacity"` // 0 means 1
}

var elementKinds = map[string]bool{KindBackground: true, KindFill: true, KindPhoto: true, KindBand: true, KindText: true, KindLogo: true}

// ParseTemplate reads and checks one template file.
func ParseTemplate(data []byte) (*Template, error) {
	var t Template
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return nil, err
	}
	if t.ID == "" || t.Name == "" {
		return nil, fmt.Errorf("template needs an id and a name")
	}
	if len(t.Layouts) == 0 {
		return nil, fmt.Errorf("template %s has no layouts", t.ID)
	}
	fields := map[string]bool{}
	for _, f := range t.Fields {
		fields[f.ID] = true
	}
	for k := range brandFields {
		fields[k] = true
	}
	slots := map[string]bool{}
	for _, p := range t.Photos {
		slots[p.ID] = true
	}
	for _, l := range t.Layouts {
		if len(l.Frames) == 0 || l.Frames[len(l.Frames)-1].MinAspect != 0 || l.Frames[len(l.Frames)-1].MaxAspect != 0 {
			return nil, fmt.Errorf("template %s layout %s: the last frame must take any aspect", t.ID, l.ID)
		}
		for _, fr := range l.Frames {
			for _, el := range fr.Elements {
				where := fmt.Sprintf("template %s layout %s element %s", t.ID, l.ID, el.ID)
				if !elementKinds[el.Kind] {
					return nil, fmt.Errorf("%s: unknown kind %q", where, el.Kind)
				}
				if el.Box.W <= 0 || el.Box.H <= 0 || el.Box.X < 0 || el.Box.Y < 0 || el.Box.X+el.Box.W > 1.0001 || el.Box.Y+el.Box.H > 1.0001 {
					return nil, fmt.Errorf("%s: box %+v is not inside 0..1", where, el.Box)
				}
				if el.Photo != "" && !slots[el.Photo] {
					return nil, fmt.Errorf("%s: unknown photo slot %q", where, el.Photo)
				}
				for _, ref := range fieldRefs(el.Text) {
					if !fields[ref] {
						return nil, fmt.Errorf("%s: unknown field {{%s}}", where, ref)
					}
				}
				if el.Kind == KindText && (el.Style.Min <= 0 || el.Style.Max < el.Style.Min) {
					return nil, fmt.Errorf("%s: text sizes need 0 < min <= max", where)
				}
			}
		}
	}
	return &t, nil
}

// LoadTemplates reads every *.json template in fsys, sorted by id.
func LoadTemplates(fsys fs.FS) ([]*Template, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, err
	}
	var out []*Template
	for _, n := range names {
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		t, err := ParseTemplate(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path.Base(n), err)
		}
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// frameFor picks the frame for a canvas aspect ratio.
func (l *Layout) frameFor(aspect float64) *Frame {
	for i := range l.Frames {
		f := &l.Frames[i]
		if (f.MinAspect == 0 || aspect >= f.MinAspect) && (f.MaxAspect == 0 || aspect < f.MaxAspect) {
			return f
		}
	}
	return &l.Frames[len(l.Frames)-1]
}

func (t *Template) layout(id string) (*Layout, bool) {
	if id == "" {
		return &t.Layouts[0], true
	}
	for i := range t.Layouts {
		if t.Layouts[i].ID == id {
			return &t.Layouts[i], true
		}
	}
	return nil, false
}

// fieldRefs lists the {{name}} references in s.
func fieldRefs(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			return out
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			return out
		}
		out = append(out, strings.TrimSpace(s[i+2:i+j]))
		s = s[i+j+2:]
	}
}

// expand substitutes fields. It returns "" when every referenced field is
// empty, so "— {{attribution}}" disappears rather than leaving a dash.
func expand(s string, fields map[string]string) string {
	refs := fieldRefs(s)
	if len(refs) == 0 {
		return s
	}
	any := false
	for _, r := range refs {
		v := strings.TrimSpace(fields[r])
		if v != "" {
			any = true
		}
		s = strings.Replace(s, "{{"+r+"}}", v, 1)
	}
	if !any {
		return ""
	}
	return strings.TrimSpace(s)
}
