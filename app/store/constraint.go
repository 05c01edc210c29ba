package store

import (
	"errors"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Constraint kinds a write can break.
const (
	constraintForeignKey = "foreign key"
	constraintUnique     = "unique"
	constraintCheck      = "check"
)

// constraint names the kind of constraint err broke, "" for none. It reads
// SQLite's extended result code, never the message text, which may change
// between SQLite versions.
func constraint(err error) string {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return ""
	}
	switch e.Code() {
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return constraintForeignKey
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return constraintUnique
	case sqlite3.SQLITE_CONSTRAINT_CHECK:
		return constraintCheck
	}
	return ""
}
