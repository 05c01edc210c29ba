package mail

import (
	"context"
	"slices"
	"strings"
	"sync"

	"practicepost/app"
)

// SyncStates keeps the per-mailbox bookmark.
type SyncStates interface {
	// GetSyncState returns the zero SyncState (with Mailbox set) and no
	// error when the mailbox has never been synced.
	GetSyncState(ctx context.Context, mailbox string) (app.MailSyncState, error)
	PutSyncState(ctx context.Context, st app.MailSyncState) error
}

// Requests finds sent requests by token.
type Requests interface {
	// RequestByToken returns ok=false and no error for an unknown token.
	RequestByToken(ctx context.Context, token string) (req app.SentRequest, ok bool, err error)
	// RequestsTo returns the requests sent to address (any case), newest
	// first: a patient who writes a new email to withdraw, without the
	// reference, is still heard.
	RequestsTo(ctx context.Context, address string) ([]app.SentRequest, error)
	// PatientsAt returns the ids and names of the patients whose email on
	// record is address (any case): one who signed on screen or on paper
	// and writes to withdraw is heard as well as one emailed a request.
	PatientsAt(ctx context.Context, address string) ([]app.PatientAt, error)
}

// ReplySink receives parsed replies.
type ReplySink interface {
	// RecordReply stores the item unless one with the same Key exists, in
	// which case it changes nothing and returns created=false. It must be
	// durable when it returns: the sync bookmark moves past the message next.
	// A withdrawal (Intent IntentWithdrawal) puts the patient's consents on
	// hold in the same transaction; Held names them.
	RecordReply(ctx context.Context, item app.ReviewItem) (app.ReplyRecorded, error)
	// KnownReply reports whether a reply with this Key is recorded, so a
	// re-check of recent mail downloads only what is new.
	KnownReply(ctx context.Context, key string) (bool, error)
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
	states   map[string]app.MailSyncState
	requests map[string]app.SentRequest
	items    []app.ReviewItem
	keys     map[string]bool
	consents map[string][]int64 // request ref -> the patient's consents
	patients map[string][]app.PatientAt
	// FailRecordAfter, when > 0, makes RecordReply fail once that many items
	// have been recorded: a crash in the middle of a sync.
	FailRecordAfter int
}

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore {
	return &MemStore{states: map[string]app.MailSyncState{}, requests: map[string]app.SentRequest{}, keys: map[string]bool{}, consents: map[string][]int64{}, patients: map[string][]app.PatientAt{}}
}

// AddRequest records a sent request.
func (m *MemStore) AddRequest(r app.SentRequest) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[r.Token] = r
}

// AddPatient says a patient's email on record is address.
func (m *MemStore) AddPatient(address string, p app.PatientAt) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a := strings.ToLower(address)
	m.patients[a] = append(m.patients[a], p)
}

func (m *MemStore) PatientsAt(_ context.Context, address string) ([]app.PatientAt, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.patients[strings.ToLower(strings.TrimSpace(address))]), nil
}

// Items returns a copy of the recorded review items, oldest first.
func (m *MemStore) Items() []app.ReviewItem {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.items)
}

// Reset forgets recorded items and sync states but keeps the requests.
func (m *MemStore) Reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.items, m.keys, m.states = nil, map[string]bool{}, map[string]app.MailSyncState{}
}

func (m *MemStore) GetSyncState(_ context.Context, mailbox string) (app.MailSyncState, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st, ok := m.states[mailbox]
	if !ok {
		st.Mailbox = mailbox
	}
	return st, nil
}

func (m *MemStore) PutSyncState(_ context.Context, st app.MailSyncState) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.states[st.Mailbox] = st
	return nil
}

func (m *MemStore) RequestByToken(_ context.Context, token string) (app.SentRequest, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	r, ok := m.requests[token]
	return r, ok, nil
}

func (m *MemStore) RequestsTo(_ context.Context, address string) ([]app.SentRequest, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []app.SentRequest
	for _, r := range m.requests {
		if r.PatientEmail != "" && strings.EqualFold(r.PatientEmail, address) {
			out = append(out, r)
		}
	}
	slices.SortFunc(out, func(a, b app.SentRequest) int {
		if c := b.SentAt.Compare(a.SentAt); c != 0 {
			return c
		}
		return strings.Compare(b.Ref, a.Ref)
	})
	return out, nil
}

func (m *MemStore) RecordReply(_ context.Context, it app.ReviewItem) (app.ReplyRecorded, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.keys[it.Key] {
		return app.ReplyRecorded{}, nil
	}
	if m.FailRecordAfter > 0 && len(m.items) >= m.FailRecordAfter {
		return app.ReplyRecorded{}, errStoreFull
	}
	m.keys[it.Key] = true
	m.items = append(m.items, it)
	out := app.ReplyRecorded{Created: true}
	if it.Intent == app.IntentWithdrawal {
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
