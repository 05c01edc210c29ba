package mail

import (
	"context"
	"slices"
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

	// Raw is the message exactly as the server holds it: the evidence.
	// For a message over the size limit it is the header only.
	Raw       []byte `json:"-"`
	RawSHA256 string `json:"rawSha256"`
}

// HasFlag reports whether f is set.
func (it ReviewItem) HasFlag(f Flag) bool { return slices.Contains(it.Flags, f) }

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
}

// ReplySink receives parsed replies.
type ReplySink interface {
	// RecordReply stores the item unless one with the same Key exists, in
	// which case it changes nothing and returns created=false. It must be
	// durable when it returns: the sync bookmark moves past the message next.
	RecordReply(ctx context.Context, item ReviewItem) (created bool, err error)
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
	// FailRecordAfter, when > 0, makes RecordReply fail once that many items
	// have been recorded: a crash in the middle of a sync.
	FailRecordAfter int
}

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore {
	return &MemStore{states: map[string]SyncState{}, requests: map[string]SentRequest{}, keys: map[string]bool{}}
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

func (m *MemStore) RecordReply(_ context.Context, it ReviewItem) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.keys[it.Key] {
		return false, nil
	}
	if m.FailRecordAfter > 0 && len(m.items) >= m.FailRecordAfter {
		return false, errStoreFull
	}
	m.keys[it.Key] = true
	m.items = append(m.items, it)
	return true, nil
}

type memStoreError string

func (e memStoreError) Error() string { return string(e) }

const errStoreFull = memStoreError("memstore: simulated failure")
