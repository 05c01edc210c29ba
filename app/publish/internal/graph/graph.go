// Package graph reads Meta's Graph API error envelope, shared by the
// Facebook and Instagram connectors (contracts §1.4, §2.3). How a code is
// classified stays with each connector: the two platforms differ there;
// an answer without the envelope is read the same by both.
package graph

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"practicepost/app/publish"
)

// Error is the "error" object of a Graph answer.
type Error struct {
	Message     string `json:"message"`
	Type        string `json:"type"`
	Code        int    `json:"code"`
	Subcode     int    `json:"error_subcode"`
	UserTitle   string `json:"error_user_title"`
	UserMsg     string `json:"error_user_msg"`
	IsTransient bool   `json:"is_transient"`
	FBTraceID   string `json:"fbtrace_id"`
}

// Parse returns the error in raw, or nil when raw is not a Graph error
// envelope. Graph answers some errors with 200, so callers check every body.
func Parse(raw []byte) *Error {
	var env struct {
		Error *Error `json:"error"`
	}
	if json.Unmarshal(raw, &env) != nil {
		return nil
	}
	return env.Error
}

// Unenveloped is the error for a failed answer without a Graph error
// envelope (a proxy's page, a bare 5xx): only its HTTP status says what
// happened, the same on both platforms.
func Unenveloped(p publish.Platform, status int, raw []byte, now time.Time) *publish.Error {
	kind := publish.KindRejected
	switch {
	case status >= 500:
		kind = publish.KindTransient
	case status == http.StatusTooManyRequests:
		kind = publish.KindRateLimited
	}
	return publish.NewError(p, kind, status, "", http.StatusText(status), raw, now, time.Time{})
}

// Page is one page of a Graph list answer with cursor paging (contracts
// §13.1): the items, and where the next page starts.
type Page[T any] struct {
	Data   []T `json:"data"`
	Paging struct {
		Cursors struct {
			After string `json:"after"`
		} `json:"cursors"`
		Next string `json:"next"`
	} `json:"paging"`
}

// After is the cursor of the next page, or "" on the last one. Graph may
// send an "after" cursor on the last page too; only "next" says more follow.
func (p *Page[T]) After() string {
	if p.Paging.Next == "" {
		return ""
	}
	return p.Paging.Cursors.After
}

// CodeString is "code" or "code/subcode", as support reads it.
func (e *Error) CodeString() string {
	s := strconv.Itoa(e.Code)
	if e.Subcode != 0 {
		s += "/" + strconv.Itoa(e.Subcode)
	}
	return s
}

// PlatformMessage prefers the message Meta wrote for end users.
func (e *Error) PlatformMessage() string {
	if e.UserMsg != "" {
		return e.UserMsg
	}
	return e.Message
}

// TokenInfo is what debug_token says about a token the practice pasted
// (the "data" object of its answer).
type TokenInfo struct {
	Type      string   `json:"type"`
	IsValid   bool     `json:"is_valid"`
	ExpiresAt int64    `json:"expires_at"`
	Scopes    []string `json:"scopes"`
	ProfileID string   `json:"profile_id"`
}
