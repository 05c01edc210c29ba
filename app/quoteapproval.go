package app

// How a patient approved an edited quote (QuoteApproval.How).
const (
	ApprovedOnScreen = "on_screen" // signed on the practice's screen
	ApprovedByEmail  = "email"     // replied to an emailed request
)

// QuoteEvidence is what shows that the patient approved the edited words:
// on screen, the exact text they were shown and their signature; by email,
// the received reply (its message is kept with the reply).
type QuoteEvidence struct {
	ShownText       string          `json:"shownText"`   // exactly what the approval screen showed
	ShownSHA256     string          `json:"shownSha256"` // of ShownText
	TypedName       string          `json:"typedName"`
	SignatureSHA256 string          `json:"signatureSha256"` // PNG blob key
	Strokes         [][]StrokePoint `json:"strokes"`
	ReplyID         int64           `json:"replyId"` // by email: the received reply
}

// NewQuoteApproval is an approval with its evidence, ready to store. The
// store checks the signature image against Evidence.SignatureSHA256.
type NewQuoteApproval struct {
	Approval      QuoteApproval
	TestimonialID int64
	Evidence      QuoteEvidence
	SignaturePNG  []byte
}

// QuoteSHA256 is the hash a quote is compared by (consent.QuoteHash): the
// text as written, with line endings and surrounding blank space normalised
// so a copy-paste through Windows does not look like an edit. It lives here
// so the store can check an approval against the words without the rules.
func QuoteSHA256(quote string) string {
	return SHA256Hex([]byte(NormalQuote(quote)))
}
