package consent

import "fmt"

// RecoverySheet is the page a practice prints and keeps with its recovery
// key's words (package seal). It shares the signed form's writer so the
// app has one way of making PDFs. made is already in the practice's format.
func RecoverySheet(practice, country string, words []string, made string, opt PDFOptions) ([]byte, error) {
	w, err := newWriter(country, opt)
	if err != nil {
		return nil, err
	}
	if practice == "" {
		practice = "your practice"
	}
	w.para("PracticePost recovery key", "B", headingSize+4, 0)
	w.para("For "+practice+". Made on "+made+".", "", bodySize+1, 0)
	w.gap(12)
	w.para("Keep this sheet somewhere safe and private, such as a locked drawer or safe, away from the computer. "+
		"Anyone who has this sheet and a PracticePost backup can read your patients' records.", "B", bodySize+1, 0)
	w.gap(14)
	// Two columns of numbered words, large enough to read without glasses.
	const size = 16.0
	col := w.width() / 2
	half := (len(words) + 1) / 2
	top := w.y
	for i, word := range words {
		x, y := pdfMargin, top+float64(i)*size*1.9
		if i >= half {
			x, y = pdfMargin+col, top+float64(i-half)*size*1.9
		}
		if w.err = w.pdf.SetFont("noto", "", size); w.err != nil {
			break
		}
		w.pdf.SetXY(x, y)
		if w.err = w.pdf.Cell(nil, fmt.Sprintf("%2d.", i+1)); w.err != nil {
			break
		}
		if w.err = w.pdf.SetFont("noto", "B", size); w.err != nil {
			break
		}
		w.pdf.SetXY(x+34, y)
		if w.err = w.pdf.Cell(nil, w.printable(word)); w.err != nil {
			break
		}
	}
	w.y = top + float64(half)*size*1.9 + 10
	w.para("You need these words, in this order, to:", "B", bodySize+1, 0)
	for _, line := range []string{
		"move PracticePost to a new computer (restore a backup there and type the words when asked);",
		"open a backup on another computer;",
		"open your data if this computer's password store is reset or replaced.",
	} {
		w.para("•  "+line, "", bodySize+1, 8)
	}
	w.gap(8)
	w.para("The first four letters of each word are enough when you type them back.", "", bodySize+1, 0)
	w.para("If this sheet is lost, or someone else may have seen it: while PracticePost still opens on this computer, "+
		"make a new recovery key in Settings → Backup → Recovery key and destroy this sheet. Backups made before then still need this key.", "", bodySize+1, 0)
	w.gap(10)
	w.para("Printed from PracticePost. Do not keep this file on the computer once printed: delete it.", "", smallSize, 0)
	return w.bytes("The recovery key sheet could not be made.")
}
