package app

import ()

// AuditPage is one page of the activity log, newest first.
type AuditPage struct {
	Entries []AuditEntry `json:"entries"`
	Total   int          `json:"total"`
}
