// Package app holds PracticePost's domain types, the small interfaces the
// rest of the program is written against, and its coded errors.
package app

import (
	"errors"
	"fmt"
)

// Error codes. The frontend switches on these; the message is for the user.
const (
	EINVALID   = "invalid"
	ENOTFOUND  = "not_found"
	ECONFLICT  = "conflict"
	EFORBIDDEN = "forbidden"
	// ELOCKED: the app is locked (a patient holds the screen, or it was left
	// idle); the frontend answers it by showing the lock screen.
	ELOCKED = "locked"
	// ERECOVERY: the data file is sealed with a key this computer's keychain
	// does not hold (a new computer, a reset keychain); the frontend answers
	// it by asking for the practice's recovery key.
	ERECOVERY    = "recovery"
	EUNAVAILABLE = "unavailable"
	EINTERNAL    = "internal"
)

// Error is an error a practice manager can act on: Message says what went
// wrong and what to do next. Field, when set, names the form field at fault.
type Error struct {
	Code    string
	Message string
	Field   string
	Err     error // underlying cause; never shown to the user
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns a coded error with a formatted user message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an EINVALID error tied to one form field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected failure. The user sees msg; err goes to the log.
func Internal(err error, msg string) *Error {
	return &Error{Code: EINTERNAL, Message: msg, Err: err}
}

// ErrorCode returns the code of err, EINTERNAL for uncoded errors and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err. Uncoded errors get a
// generic message so that no stack or raw library text reaches the screen.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong inside PracticePost. Your saved work is safe; try again, and if it keeps happening use “Save log for support” in Settings → Activity and send the file to support."
}

// ErrorField returns the form field an error is about, if any.
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
