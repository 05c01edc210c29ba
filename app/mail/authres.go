package mail

import (
	"practicepost/app"
	"strings"
)

// authResult is one Authentication-Results header, parsed.
type authResult struct {
	id      string
	results map[string]string // method -> result of its first passing (or first) entry
	from    string            // header.from of the dmarc entry
}

// parseAuthResults reads one header value: "authserv-id [version];
// method=result [reason] [ptype.prop=value ...]; ...". Comments in
// parentheses are dropped. A value without an authserv-id (Microsoft 365
// writes "spf=pass ...; dkim=...") gets id "".
func parseAuthResults(v string) authResult {
	v = dropComments(v)
	parts := strings.Split(v, ";")
	r := authResult{results: map[string]string{}}
	start := 0
	if first := strings.TrimSpace(parts[0]); first != "" && !strings.Contains(strings.Fields(first)[0], "=") {
		r.id = strings.ToLower(strings.Fields(first)[0])
		start = 1
	}
	for _, p := range parts[start:] {
		f := strings.Fields(p)
		if len(f) == 0 {
			continue
		}
		method, result, ok := strings.Cut(f[0], "=")
		if !ok {
			continue
		}
		method = strings.ToLower(method)
		if i := strings.IndexByte(method, '/'); i >= 0 {
			method = method[:i] // "dkim/1"
		}
		result = strings.ToLower(strings.Trim(result, `"`))
		// Several DKIM signatures: one that passed is enough.
		if old, seen := r.results[method]; !seen || (old != "pass" && result == "pass") {
			r.results[method] = result
		}
		if method == "dmarc" {
			for _, kv := range f[1:] {
				if k, val, ok := strings.Cut(kv, "="); ok && strings.EqualFold(k, "header.from") {
					r.from = strings.ToLower(strings.Trim(val, `"`))
				}
			}
		}
	}
	return r
}

func dropComments(s string) string {
	var b strings.Builder
	depth := 0
	for _, c := range s {
		switch {
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// CheckSender judges the Authentication-Results headers of a message, given
// in the order they appear (topmost first), against the practice's mail
// provider ids (e.g. "mx.google.com"; "" accepts Microsoft 365's id-less
// header) and the address the From header names.
func CheckSender(headers []string, providerIDs []string, fromAddress string) app.SenderCheck {
	out := app.SenderCheck{Verdict: app.VerdictUnknown}
	trusted := -1
	var parsed []authResult
	for _, h := range headers {
		parsed = append(parsed, parseAuthResults(h))
	}
	for i, r := range parsed {
		if providerID(r.id, providerIDs) {
			trusted = i
			break
		}
	}
	if trusted < 0 {
		return out
	}
	t := parsed[trusted]
	out.AuthServID, out.DMARC, out.SPF, out.DKIM, out.HeaderFrom = t.id, t.results["dmarc"], t.results["spf"], t.results["dkim"], t.from
	switch {
	case out.DMARC == "pass":
		out.Verdict = app.VerdictPass
		if _, dom, ok := strings.Cut(strings.ToLower(fromAddress), "@"); ok && out.HeaderFrom != "" && out.HeaderFrom != dom {
			// DMARC passed for some other domain than the one shown.
			out.Verdict = app.VerdictFail
		}
	case out.DMARC == "fail":
		out.Verdict = app.VerdictFail
	case out.DMARC == "" || out.DMARC == "none" || out.DMARC == "bestguesspass":
		switch {
		case out.SPF == "pass" || out.DKIM == "pass":
			// Without a DMARC policy the provider cannot say the From is
			// aligned; a pass here is not proof, but not a failure either.
			out.Verdict = app.VerdictUnknown
		case out.SPF == "fail" || out.SPF == "softfail" || out.DKIM == "fail":
			out.Verdict = app.VerdictFail
		}
	default:
		out.Verdict = app.VerdictFail // temperror, permerror, quarantine-like results
	}
	for _, r := range parsed[trusted+1:] {
		if !providerID(r.id, providerIDs) {
			continue
		}
		for _, m := range []string{"dmarc", "spf", "dkim"} {
			if r.results[m] == "pass" && t.results[m] != "pass" {
				out.Forged = true
			}
		}
	}
	if out.Forged && out.Verdict == app.VerdictPass {
		out.Verdict = app.VerdictUnknown
	}
	return out
}

func providerID(id string, ids []string) bool {
	for _, p := range ids {
		p = strings.ToLower(strings.TrimSpace(p))
		if id == p {
			return true
		}
	}
	return false
}

// ProviderIDs are the authserv-ids the practice's own provider writes, from
// the configured setting or, failing that, the IMAP host: Gmail and Google
// Workspace write mx.google.com, Microsoft 365 and Outlook.com write no id
// at all, others usually their host name.
func (s Settings) ProviderIDs() []string {
	if v := strings.TrimSpace(s.AuthServID); v != "" {
		var out []string
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, strings.ToLower(p))
			}
		}
		return out
	}
	h := strings.ToLower(strings.TrimSpace(s.IMAP.Host))
	switch {
	case h == "imap.gmail.com" || h == "imap.googlemail.com":
		return []string{"mx.google.com"}
	case h == "outlook.office365.com" || h == "imap-mail.outlook.com" || h == "outlook.live.com" || strings.HasSuffix(h, ".office365.com"):
		return []string{""}
	case h == "imap.mail.me.com":
		return []string{"mx.icloud.com"}
	case h == "imap.fastmail.com":
		return []string{"mx.messagingengine.com"}
	}
	if h == "" {
		return nil
	}
	return []string{h}
}
