// Package graphtest is what the Facebook and Instagram fakes share of
// Meta's Graph API: both platforms are served by the one API, so their fakes
// read a request's token, word an answer, above all a failure (contracts
// §1.4), and serve a node's follower count the same way. What each
// platform's calls answer stays with its own fake. Tests and the
// fakeplatforms command only.
package graphtest

import (
	"fmt"
	"net/http"
	"strings"

	"practicepost/app/publish/internal/fakeplatform"
)

// Error is a Graph error answer: its HTTP status and the fields of its
// "error" object. Zero values get the defaults noted.
type Error struct {
	Status    int    // HTTP status; 400
	Message   string // message
	Type      string // type; OAuthException
	Code      int    // code
	Subcode   int    // error_subcode; left out when 0
	UserTitle string // error_user_title and error_user_msg; left out when empty
	UserMsg   string
	Transient bool // is_transient; left out when false
}

// contentType labels every Graph answer.
const contentType = "application/json; charset=UTF-8"

// Token is the token a request carries: the Authorization header, else
// the access_token parameter, as Graph reads it.
func Token(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		return strings.TrimPrefix(strings.TrimPrefix(h, "Bearer "), "OAuth ")
	}
	return r.FormValue("access_token")
}

// Write answers e in Graph's error envelope.
func Write(w http.ResponseWriter, e Error) {
	if e.Type == "" {
		e.Type = "OAuthException"
	}
	if e.Status == 0 {
		e.Status = http.StatusBadRequest
	}
	body := map[string]any{"message": e.Message, "type": e.Type, "code": e.Code, "fbtrace_id": "AbCdEfGh123"}
	if e.Subcode != 0 {
		body["error_subcode"] = e.Subcode
	}
	if e.UserTitle != "" {
		body["error_user_title"] = e.UserTitle
		body["error_user_msg"] = e.UserMsg
	}
	if e.Transient {
		body["is_transient"] = true
	}
	w.Header().Set("WWW-Authenticate", `OAuth "Facebook Platform" "invalid_request" "`+e.Message+`"`)
	fakeplatform.JSON(w, contentType, e.Status, map[string]any{"error": body})
}

// Unknown answers Graph's 100/33 for a call on an object id that does not
// exist or that the token may not see.
func Unknown(w http.ResponseWriter, r *http.Request, id string) {
	Write(w, Error{Message: fmt.Sprintf("Unsupported %s request. Object with ID '%s' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", strings.ToLower(r.Method), id),
		Type: "GraphMethodException", Code: 100, Subcode: 33})
}

// Unexpected answers a failure on Graph's side: HTTP status and code
// (2, "unexpected", when 0), marked transient.
func Unexpected(w http.ResponseWriter, status, code int) {
	if code == 0 {
		code = 2
	}
	Write(w, Error{Status: status, Message: "An unexpected error has occurred. Please retry your request later.", Code: code, Transient: true})
}

// FollowersCount adds followers_count to out, a node's answer, when the
// request's fields ask for it, as both platforms serve it: refused with
// (#10) and denied, in the platform's words, unless the token may read it,
// and left out when the platform hides the count. It reports false when it
// has answered the refusal.
func FollowersCount(w http.ResponseWriter, r *http.Request, out map[string]any, f *fakeplatform.Followers, mayRead bool, denied string) bool {
	if !strings.Contains(r.URL.Query().Get("fields"), "followers_count") {
		return true
	}
	if !mayRead {
		Write(w, Error{Message: denied, Code: 10})
		return false
	}
	if n, ok := f.Count(); ok {
		out["followers_count"] = n
	}
	return true
}

// JSON answers v with 200, as Graph answers a call that succeeded.
func JSON(w http.ResponseWriter, v any) {
	fakeplatform.JSON(w, contentType, http.StatusOK, v)
}
