package mail

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"
)

// SyncState is the bookmark for one watched mailbox. A message is never
// fetched twice while UIDValidity stays the same: only UIDs above LastUID are
// looked at.
type SyncState struct {
	Mailbox     string    `json:"mailbox"`
	UIDValidity uint32    `json:"uidValidity"`
	LastUID     uint32    `json:"lastUid"`
	LastSync    time.Time `json:"lastSync"`  // last successful sync
	LastError   string    `json:"lastError"` // plain-language message; "" after a success
	Counts      Counts    `json:"counts"`    // running totals
	// Note is a plain-language remark about how this server is handled,
	// e.g. that processed replies cannot be moved; "" when there is none.
	Note string `json:"note,omitempty"`
	// Since bounds a sync starting from nothing (first sync, or the server
	// renumbered the mailbox): mail older than this is not read. It is
	// when the mailbox was connected, or earlier when the practice asked
	// to look back.
	Since time.Time `json:"since,omitzero"`
	// Marks remember the mailbox's next UID at past syncs, so the re-check
	// of recent mail can cover "everything that arrived in the last seven
	// days" by UID range, whatever dates the messages carry.
	Marks []UIDMark `json:"marks,omitempty"`
	// LastRecheck is when recent mail was last looked at again.
	LastRecheck time.Time `json:"lastRecheck,omitzero"`
}

// UIDMark is the mailbox's UIDNEXT seen at a moment.
type UIDMark struct {
	At      time.Time `json:"at"`
	UIDNext uint32    `json:"uidNext"`
}

// Counts are running totals kept with the sync state, for the status line.
type Counts struct {
	Recorded   int64 `json:"recorded"`   // new review items
	Duplicates int64 `json:"duplicates"` // seen again (resync, crash), not recorded twice
	Ignored    int64 `json:"ignored"`    // automatic replies and bounces
	Resyncs    int64 `json:"resyncs"`    // UIDVALIDITY changes
}

// ReviewItem is one patient reply waiting for a person to accept or reject
// it. Nothing in it is consent until a person confirms it.
type ReviewItem struct {
	// Key makes recording idempotent: "mid:<Message-ID>", or "sha256:<hex of
	// the raw bytes>" for messages without a Message-ID. UIDs are not part
	// of it because they change when the server resets UIDVALIDITY.
	Key         string `json:"key"`
	Mailbox     string `json:"mailbox"`
	UIDValidity uint32 `json:"uidValidity"`
	UID         uint32 `json:"uid"`
	MessageID   string `json:"messageId"`

	// The request the reply answers; empty with FlagNoMatchingRequest.
	RequestRef   string      `json:"requestRef"`
	RequestToken string      `json:"requestToken"`
	RequestKind  RequestKind `json:"requestKind"`

	FromName    string    `json:"fromName"`
	FromAddress string    `json:"fromAddress"`
	Subject     string    `json:"subject"`
	Date        time.Time `json:"date"`       // the sender's Date header
	ReceivedAt  time.Time `json:"receivedAt"` // the server's INTERNALDATE

	Words       string       `json:"words"` // the patient's own words, quoted history removed
	TypedName   string       `json:"typedName"`
	Scope       ScopeReading `json:"scope"`
	Attachments []Attachment `json:"attachments"`
	Flags       []Flag       `json:"flags"`
	Notes       []string     `json:"notes"`
	HTMLOnly    bool         `json:"htmlOnly"`

	// Intent is what the reply is, before anyone looks at it.
	Intent Intent `json:"intent"`
	// Withdrawal is the patient's line asking to withdraw, "" when none.
	Withdrawal string `json:"withdrawal,omitempty"`
	// Sender is what the practice's provider said about the sender.
	Sender SenderCheck `json:"sender"`
	// HeadersOnly: the reply matched no request, so its body and
	// attachments were not kept (Raw holds the header only).
	HeadersOnly bool `json:"headersOnly,omitempty"`

	// Raw is the message exactly as the server holds it: the evidence.
	// For a message over the size limit it is the header only.
	Raw       []byte `json:"-"`
	RawSHA256 string `json:"rawSha256"`
}

// HasFlag reports whether f is set.
func (it ReviewItem) HasFlag(f Flag) bool { return slices.Contains(it.Flags, f) }

// Intent is what a reply is.
type Intent string

const (
	// IntentAnswer answers a request that is still open: a consent or a
	// testimonial once a person confirms it.
	IntentAnswer Intent = "answer"
	// IntentWithdrawal asks, in the patient's words, to withdraw. It puts
	// the patient's consents on hold the moment it is recorded.
	IntentWithdrawal Intent = "withdrawal"
	// IntentNeedsLook is any other reply to a request already answered:
	// a person reads it; it is never a consent.
	IntentNeedsLook Intent = "needs_look"
	// IntentUnmatched carries a reference no request has: header only.
	IntentUnmatched Intent = "unmatched"
)

// NeedsResolution reports whether the reading of the boxes is unclear, so
// the reply cannot be confirmed until the manager records how they
// resolved it (a call to the patient: who, when).
func (it ReviewItem) NeedsResolution() bool {
	return it.HasFlag(FlagAmbiguous) || it.HasFlag(FlagMissingBoxes) || it.HasFlag(FlagWithdrawal) || it.HasFlag(FlagConflictingTokens)
}

// NeedsSenderCheck reports whether the sender is in doubt, so the reply
// cannot be confirmed until the manager records how they verified it.
func (it ReviewItem) NeedsSenderCheck() bool {
	return it.HasFlag(FlagSenderMismatch) || it.HasFlag(FlagSenderFailed) || it.HasFlag(FlagForgedAuth)
}

// SyncStates keeps the per-mailbox bookmark.
type SyncStates interface {
	// GetSyncState returns the zero SyncState (with Mailbox set) and no
	// error when the mailbox has never been synced.
	GetSyncState(ctx context.Context, mailbox string) (SyncState, error)
	PutSyncState(ctx context.Context, st SyncState) error
}

// Requests finds sent requests by token.
type Requests interface {
	// RequestByToken returns ok=false and no error for an unknown token.
	RequestByToken(ctx context.Context, token string) (req SentRequest, ok bool, err error)
	// RequestsTo returns the requests sent to address (any case), newest
	// first: a patient who writes a new email to withdraw, without the
	// reference, is still heard.
	RequestsTo(ctx context.Context, address string) ([]SentRequest, error)
}

// ReplySink receives parsed replies.
type ReplySink interface {
	// RecordReply stores the item unless one with the same Key exists, in
	// which case it changes nothing and returns created=false. It must be
	// durable when it returns: the sync bookmark moves past the message next.
	// A withdrawal (Intent IntentWithdrawal) puts the patient's consents on
	// hold in the same transaction; Held names them.
	RecordReply(ctx context.Context, item ReviewItem) (Recorded, error)
	// KnownReply reports whether a reply with this Key is recorded, so a
	// re-check of recent mail downloads only what is new.
	KnownReply(ctx context.Context, key string) (bool, error)
}

// Recorded is the outcome of RecordReply.
type Recorded struct {
	Created bool
	Held    []int64 // consents put on hold by this reply
}

// Store is everything the syncer needs from the application's storage.
type Store interface {
	SyncStates
	Requests
	ReplySink
}

// MemStore is an in-memory Store for tests and for trying the package out.
type MemStore struct {
	mu       sync.Mutex
	states   map[string]SyncState
	requests map[string]SentRequest
	items    []ReviewItem
	keys     map[string]bool
	consents map[string][]int64 // request ref -> the patient's consents
	// FailRecordAfter, when > 0, makes RecordReply fail once that many items
	// have been recorded: a crash in the middle of a sync.
	FailRecordAfter int
}

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore {
	return &MemStore{states: map[string]SyncState{}, requests: map[string]SentRequest{}, keys: map[string]bool{}, consents: map[string][]int64{}}
}

// AddRequest records a sent request.
func (m *MemStore) AddRequest(r SentRequest) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[r.Token] = r
}

// Items returns a copy of the recorded review items, oldest first.
func (m *MemStore) Items() []ReviewItem {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.items)
}

// Reset forgets recorded items and sync states but keeps the requests.
func (m *MemStore) Reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.items, m.keys, m.states = nil, map[string]bool{}, map[string]SyncState{}
}

func (m *MemStore) GetSyncState(_ context.Context, mailbox string) (SyncState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st, ok := m.states[mailbox]
	if !ok {
		st.Mailbox = mailbox
	}
	return st, nil
}

func (m *MemStore) PutSyncState(_ context.Context, st SyncState) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.states[st.Mailbox] = st
	return nil
}

func (m *MemStore) RequestByToken(_ context.Context, token string) (SentRequest, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.requests[token]
	return r, ok, nil
}

func (m *MemStore) RequestsTo(_ context.Context, address string) ([]SentRequest, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []SentRequest
	for _, r := range m.requests {
		if r.PatientEmail != "" && strings.EqualFold(r.PatientEmail, address) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b SentRequest) int {
		if c := b.SentAt.Compare(a.SentAt); c != 0 {
			return c
		}
		return strings.Compare(b.Ref, a.Ref)
	})
	return out, nil
}

func (m *MemStore) RecordReply(_ context.Context, it ReviewItem) (Recorded, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.keys[it.Key] {
		return Recorded{}, nil
	}
	if m.FailRecordAfter > 0 && len(m.items) >= m.FailRecordAfter {
		return Recorded{}, errStoreFull
	}
	m.keys[it.Key] = true
	m.items = append(m.items, it)
	out := Recorded{Created: true}
	if it.Intent == IntentWithdrawal {
		out.Held = slices.Clone(m.consents[it.RequestRef])
	}
	return out, nil
}

func (m *MemStore) KnownReply(_ context.Context, key string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.keys[key], nil
}

// SetConsents says which consents a withdrawal answering request ref holds.
func (m *MemStore) SetConsents(ref string, ids ...int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.consents[ref] = ids
}

type memStoreError string

func (e memStoreError) Error() string { return string(e) }

const errStoreFull = memStoreError("memstore: simulated failure")
