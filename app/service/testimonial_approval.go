package service

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"sync"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/store"
)

// Asking a patient, on the practice's screen, to approve the edited words
// of their signed testimonial (compliance §3.5 E5, §3.6 item 7). The
// manager hands the screen over as for signing a consent: the app locks,
// the patient reads the words they approved beside the new ones, and
// approves with a signature or declines; only the manager's PIN opens the
// app again, and then the manager is told which.

const keyQuotePending = "quote.pending"

// Outcomes of an approval on screen, as LockStatus.QuoteOutcome says them.
const (
	quoteApproved = "approved"
	quoteDeclined = "declined"
)

// quoteMu keeps two taps on Approve from storing two approvals.
var quoteMu sync.Mutex

// pendingQuote is the approval on the locked screen, kept in the data file
// so a reload or a restart shows the same words.
type pendingQuote struct {
	TestimonialID int64  `json:"testimonialId"`
	ConsentID     int64  `json:"consentId"`
	SHA256        string `json:"sha256"` // of the new words handed over
	Outcome       string `json:"outcome"`
}

// QuoteEditView compares a testimonial's words with the ones its patient
// approved, for the manager before handing the screen over.
type QuoteEditView struct {
	TestimonialID int64  `json:"testimonialId"`
	PatientName   string `json:"patientName"`
	Approved      string `json:"approved"` // the words the consent covers
	Edited        string `json:"edited"`   // the testimonial's words now
	// Change marks what changed and says whether it is only length or typos.
	Change consent.QuoteEdit `json:"change"`
}

// QuoteApprovalScreen is the patient-facing approval screen.
type QuoteApprovalScreen struct {
	Active       bool              `json:"active"`  // an approval is waiting or has just been given
	Outcome      string            `json:"outcome"` // "", "approved" or "declined"
	PracticeName string            `json:"practiceName"`
	PatientName  string            `json:"patientName"`
	Approved     string            `json:"approved"`
	Edited       string            `json:"edited"`
	Change       consent.QuoteEdit `json:"change"`
	Statement    string            `json:"statement"` // what the practice says it changed
	// ShownText is everything the screen shows, as plain text; ShownSHA256
	// is sent back with the approval and kept as evidence.
	ShownText   string `json:"shownText"`
	ShownSHA256 string `json:"shownSha256"`
}

// quoteEdit reads testimonial id with its consent and compares the words.
func quoteEdit(ctx context.Context, db *store.DB, id int64) (app.Testimonial, app.ConsentEntry, QuoteEditView, error) {
	t, err := db.Testimonial(ctx, id)
	if err != nil {
		return t, app.ConsentEntry{}, QuoteEditView{}, err
	}
	if t.ConsentID == 0 {
		return t, app.ConsentEntry{}, QuoteEditView{}, app.Errorf(app.ECONFLICT, "This testimonial has no signed consent yet: ask for consent instead, which shows the patient these words.")
	}
	e, err := db.Consent(ctx, t.ConsentID)
	if err != nil {
		return t, e, QuoteEditView{}, err
	}
	v := QuoteEditView{TestimonialID: t.ID, PatientName: e.Consent.Patient.FullName, Approved: e.Consent.Quote, Edited: t.Quote,
		Change: consent.CompareQuotes(e.Consent.Quote, t.Quote)}
	return t, e, v, nil
}

// approvalNeeded refuses to ask for an approval that would change nothing
// or that no longer matters.
func approvalNeeded(t app.Testimonial, e app.ConsentEntry) error {
	h := consent.QuoteHash(t.Quote)
	switch {
	case strings.TrimSpace(t.Quote) == "":
		return app.Errorf(app.EINVALID, "This testimonial has no words to approve.")
	case h == e.Consent.QuoteSHA256:
		return app.Errorf(app.ECONFLICT, "These are the words the patient signed for: there is nothing to approve.")
	case e.Revocation != nil:
		return app.Errorf(app.ECONFLICT, "The patient has withdrawn this consent, so the testimonial cannot be used whatever its words.")
	}
	for _, a := range e.QuoteApprovals {
		if a.SHA256 == h {
			return app.Errorf(app.ECONFLICT, "The patient has already approved these words.")
		}
	}
	return nil
}

// QuoteEdit compares the testimonial's words with the ones its patient
// approved, and says whether the edit is only for length or typos.
func (s *TestimonialService) QuoteEdit(id int64) (QuoteEditView, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (QuoteEditView, error) {
		_, _, v, err := quoteEdit(ctx, db, id)
		return v, err
	})
}

// HandApprovalToPatient locks the app and shows the patient the edited
// words of testimonial id to approve or decline.
func (s *TestimonialService) HandApprovalToPatient(id int64) (LockStatus, error) {
	return withDB(s.c, func(ctx context.Context, db *store.DB) (LockStatus, error) {
		t, e, _, err := quoteEdit(ctx, db, id)
		if err != nil {
			return LockStatus{}, err
		}
		if err := approvalNeeded(t, e); err != nil {
			return LockStatus{}, err
		}
		b, _ := json.Marshal(pendingQuote{TestimonialID: t.ID, ConsentID: e.Consent.ID, SHA256: consent.QuoteHash(t.Quote)})
		err = s.lock.lock(ctx, db, "quote approval", func(tx *store.Tx) error {
			if err := tx.SetState(ctx, keyQuotePending, string(b)); err != nil {
				return app.Internal(err, "PracticePost could not prepare the approval screen.")
			}
			return tx.Audit(ctx, "practice manager", "quote.approval.request", "testimonial:"+strconv.FormatInt(t.ID, 10),
				map[string]string{"consent": strconv.FormatInt(e.Consent.ID, 10), "method": app.ApprovedOnScreen})
		})
		if err != nil {
			return LockStatus{}, err
		}
		return s.lock.status(ctx, db)
	})
}

func readPendingQuote(ctx context.Context, db *store.DB) (*pendingQuote, error) {
	p, ok, err := readState[pendingQuote](ctx, db, keyQuotePending, "The words on screen could not be read. Unlock and start again.")
	if !ok {
		return nil, err
	}
	return &p, nil
}

// approvalScreen builds what the patient sees for p.
func approvalScreen(ctx context.Context, db *store.DB, p *pendingQuote) (QuoteApprovalScreen, error) {
	v := QuoteApprovalScreen{Active: true, Outcome: p.Outcome}
	_, e, qe, err := quoteEdit(ctx, db, p.TestimonialID)
	if err != nil {
		return v, err
	}
	if consent.QuoteHash(qe.Edited) != p.SHA256 {
		return v, app.Errorf(app.ECONFLICT, "The words were changed after the screen was handed over. Please hand the screen back to the practice.")
	}
	v.PracticeName, v.PatientName = e.Consent.Practice.Name, qe.PatientName
	v.Approved, v.Edited, v.Change = qe.Approved, qe.Edited, qe.Change
	v.Statement = approvalStatement(v.PracticeName, qe.Change.LengthOrTypos)
	v.ShownText = "Your words as you approved them:\n" + v.Approved + "\n\nThe new words:\n" + v.Edited + "\n\n" + v.Statement
	v.ShownSHA256 = app.SHA256Hex([]byte(v.ShownText))
	return v, nil
}

// approvalStatement is what the practice tells the patient about its edit.
// Your consent form promises edits only for length or typos; when the edit
// is more than that the screen says so instead of repeating the promise.
func approvalStatement(practice string, lengthOrTypos bool) string {
	if lengthOrTypos {
		return practice + " edited your words only to make them shorter or to correct typing mistakes. Please approve them only if they still say what you meant."
	}
	return practice + " changed some of your words (marked below), which is more than shortening them or correcting typing mistakes. Please approve them only if they still say what you meant; you do not have to."
}

// onScreenQuote returns the data file and the approval on screen. It does
// not guard: the patient calls it while the app is locked.
func (s *TestimonialService) onScreenQuote(ctx context.Context) (*store.DB, *pendingQuote, error) {
	db, p, err := handedOver(ctx, s.c, readPendingQuote, "There are no words to approve. Hand the screen back to the practice.")
	if err != nil {
		return nil, nil, err
	}
	if st, err := s.lock.status(ctx, db); err != nil || !st.Locked {
		return nil, nil, app.Errorf(app.ECONFLICT, "The approval screen was closed. Ask the practice to start again.")
	}
	return db, p, nil
}

// unanswered is onScreenQuote for an answer: it refuses a second one.
func (s *TestimonialService) unanswered(ctx context.Context) (*store.DB, *pendingQuote, error) {
	db, p, err := s.onScreenQuote(ctx)
	if err == nil && p.Outcome != "" {
		err = app.Errorf(app.ECONFLICT, "You have already answered. Thank you. Please hand the screen back to the practice.")
	}
	return db, p, err
}

// ApprovalScreen returns the words on the locked screen; Active is false
// when none are waiting. It works while locked.
func (s *TestimonialService) ApprovalScreen() (QuoteApprovalScreen, error) {
	ctx := context.Background()
	db, err := s.c.DB()
	if err != nil {
		return QuoteApprovalScreen{}, err
	}
	p, err := readPendingQuote(ctx, db)
	if err != nil || p == nil {
		return QuoteApprovalScreen{}, err
	}
	return approvalScreen(ctx, db, p)
}

// ApproveQuote records the patient's approval of the words shown
// (shownSHA256 from ApprovalScreen), signed on the pad. It works while
// locked; the screen stays locked until the manager unlocks it.
func (s *TestimonialService) ApproveQuote(sig SignatureInput, shownSHA256 string) (QuoteApprovalScreen, error) {
	quoteMu.Lock()
	defer quoteMu.Unlock()
	ctx := context.Background()
	db, p, err := s.unanswered(ctx)
	if err != nil {
		return QuoteApprovalScreen{}, err
	}
	v, err := approvalScreen(ctx, db, p)
	if err != nil {
		return v, err
	}
	if shownSHA256 != v.ShownSHA256 {
		return v, app.Errorf(app.ECONFLICT, "The words on screen changed while you were reading them. Please read them again before you sign.")
	}
	d, err := drawnSignature(sig)
	if err != nil {
		return v, err
	}
	now := s.c.Clock.Now()
	_, err = db.InsertQuoteApproval(ctx, app.NewQuoteApproval{
		Approval:      app.QuoteApproval{ConsentID: p.ConsentID, SHA256: p.SHA256, ApprovedAt: now, How: app.ApprovedOnScreen},
		TestimonialID: p.TestimonialID, SignaturePNG: d.png,
		Evidence: app.QuoteEvidence{ShownText: v.ShownText, ShownSHA256: v.ShownSHA256, TypedName: d.typed,
			SignatureSHA256: d.sha, Strokes: sig.Strokes},
	})
	if err != nil {
		return v, err
	}
	if err := s.endQuote(ctx, db, p, quoteApproved); err != nil {
		return v, err
	}
	s.c.Emit.Emit(EventConsentChanged, nil)
	v.Outcome = quoteApproved
	return v, nil
}

// DeclineQuote records that the patient did not approve the words: no
// approval is stored, the activity log says it was declined, and the
// testimonial stays blocked. It works while locked.
func (s *TestimonialService) DeclineQuote() (QuoteApprovalScreen, error) {
	quoteMu.Lock()
	defer quoteMu.Unlock()
	ctx := context.Background()
	db, p, err := s.unanswered(ctx)
	if err != nil {
		return QuoteApprovalScreen{}, err
	}
	if err := s.endQuote(ctx, db, p, quoteDeclined); err != nil {
		return QuoteApprovalScreen{}, err
	}
	return QuoteApprovalScreen{Active: true, Outcome: quoteDeclined, Change: consent.QuoteEdit{Parts: []consent.QuoteDiffPart{}, Added: []string{}}}, nil
}

// endQuote keeps the patient's answer on the pending approval, for the
// manager to read on unlocking, and logs a refusal (an approval logs
// itself as it is stored).
func (s *TestimonialService) endQuote(ctx context.Context, db *store.DB, p *pendingQuote, outcome string) error {
	p.Outcome = outcome
	b, _ := json.Marshal(p)
	return db.Tx(ctx, func(tx *store.Tx) error {
		if err := tx.SetState(ctx, keyQuotePending, string(b)); err != nil {
			return app.Internal(err, "PracticePost could not save your answer.")
		}
		if outcome != quoteDeclined {
			return nil
		}
		return tx.Audit(ctx, "patient", "quote.approval.decline", "testimonial:"+strconv.FormatInt(p.TestimonialID, 10),
			map[string]string{"consent": strconv.FormatInt(p.ConsentID, 10)})
	})
}

// endPendingQuote clears the approval screen as the manager unlocks, and
// says what the patient answered ("" when they did not) for which
// testimonial. An unanswered one is logged as cancelled.
func endPendingQuote(ctx context.Context, db *store.DB, tx *store.Tx) (outcome string, testimonialID int64, err error) {
	p, err := readPendingQuote(ctx, db)
	if err != nil || p == nil {
		return "", 0, nil // an unreadable leftover must not keep the manager out
	}
	if p.Outcome == "" {
		if err := tx.Audit(ctx, "practice manager", "quote.approval.cancel", "testimonial:"+strconv.FormatInt(p.TestimonialID, 10), nil); err != nil {
			return "", 0, err
		}
	}
	if err := tx.SetState(ctx, keyQuotePending, ""); err != nil {
		return "", 0, app.Internal(err, "PracticePost could not unlock.")
	}
	return p.Outcome, p.TestimonialID, nil
}

// drawn is a signature drawn on the pad, checked.
type drawn struct {
	typed, sha string
	png        []byte
}

// drawnSignature checks a signature drawn on the pad: a typed name, enough
// strokes but not absurdly many, and a PNG that is an image of sane size.
func drawnSignature(sig SignatureInput) (drawn, error) {
	typed := strings.Join(strings.Fields(sig.TypedName), " ")
	if typed == "" {
		return drawn{}, app.FieldError("typedName", "Please type your full name.")
	}
	points := 0
	for _, st := range sig.Strokes {
		points += len(st)
	}
	if points < 5 {
		return drawn{}, app.FieldError("signature", "Please sign in the box with your finger, a pen or the mouse.")
	}
	if points > maxStrokePoints {
		return drawn{}, app.FieldError("signature", "The signature is too long. Press “Clear” and sign again.")
	}
	png, err := decodeUpload(sig.PNGBase64, consent.SignatureLimits.MaxBytes, "The signature")
	if err != nil {
		return drawn{}, err
	}
	info, err := app.InspectImage(png, consent.SignatureLimits, "The signature")
	if err != nil {
		return drawn{}, err
	}
	return drawn{typed: typed, sha: info.SHA256, png: png}, nil
}
