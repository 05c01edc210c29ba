package consent

import "strings"

// BlankPDF is the form to print, tick, sign and send back, for consent
// asked by email: the exact text the patient reads (text, from f.Text), an
// empty box per choice, and lines for the name, signature and date. It is
// the signed form's writer in its blank mode: nothing is ticked or signed.
func BlankPDF(f Form, text string, opt PDFOptions) ([]byte, error) {
	w, err := newWriter(f.Template.Country, opt)
	if err != nil {
		return nil, err
	}
	w.para(f.Template.Title, "B", headingSize+1, 0)
	w.para(f.Practice.Name+" · "+f.Practice.Address, "", smallSize+1, 0)
	w.gap(8)
	w.field("Patient", f.Patient.FullName)
	w.gap(8)
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimRight(l, " ")
		style := ""
		if strings.HasPrefix(l, "#") {
			l, style = strings.TrimSpace(strings.TrimLeft(l, "#")), "B"
		}
		// An unticked Markdown box becomes a box wide enough to tick by hand.
		l = strings.ReplaceAll(strings.ReplaceAll(l, "**", ""), "- [ ] ", "[    ]  ")
		if l == "" {
			w.gap(5)
			continue
		}
		w.para(l, style, bodySize, 0)
	}
	w.gap(12)
	w.para("Please tick the boxes you agree to above, then sign below and send a scan or photo of this page back by replying to our email.", "B", bodySize, 0)
	w.gap(18)
	for _, label := range []string{"Full name", "Signature", "Date"} {
		w.para(label+":  ______________________________________________", "", bodySize+1, 0)
		w.gap(14)
	}
	return w.bytes("The consent form PDF could not be made.")
}
