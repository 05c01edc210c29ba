package app

import (
	"time"
)

// MailSyncState is the bookmark for one watched mailbox. A message is never
// fetched twice while UIDValidity stays the same: only UIDs above LastUID are
// looked at.
type MailSyncState struct {
	Mailbox     string     `json:"mailbox"`
	UIDValidity uint32     `json:"uidValidity"`
	LastUID     uint32     `json:"lastUid"`
	LastSync    time.Time  `json:"lastSync"`  // last successful sync
	LastError   string     `json:"lastError"` // plain-language message; "" after a success
	Counts      MailCounts `json:"counts"`    // running totals
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
	Marks []MailUIDMark `json:"marks,omitempty"`
	// LastRecheck is when recent mail was last looked at again.
	LastRecheck time.Time `json:"lastRecheck,omitzero"`
	// Account is the mailbox account the bookmark was made in (server and
	// user name): message numbers mean nothing in another account, and a
	// new server can reuse the same UIDVALIDITY. "" in bookmarks kept
	// before it was recorded.
	Account string `json:"account,omitempty"`
}

// MailUIDMark is the mailbox's UIDNEXT seen at a moment.
type MailUIDMark struct {
	At      time.Time `json:"at"`
	UIDNext uint32    `json:"uidNext"`
}

// MailCounts are running totals kept with the sync state, for the status line.
type MailCounts struct {
	Recorded   int64 `json:"recorded"`   // new review items
	Duplicates int64 `json:"duplicates"` // seen again (resync, crash), not recorded twice
	Ignored    int64 `json:"ignored"`    // automatic replies and bounces
	Resyncs    int64 `json:"resyncs"`    // UIDVALIDITY changes
}
