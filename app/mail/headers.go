package mail

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-imap/v2"
)

// headerInfo is what the header pass learns about one message.
type headerInfo struct {
	uid      uint32
	date     time.Time
	key      string // "mid:<Message-ID>", "" without one
	hasToken bool
	from     string // the sender's address, lowercased
	// bySender: a candidate only because a request went to its sender
	// (it is kept only if it reads as a withdrawal; otherwise it is
	// someone's ordinary mail and not counted).
	bySender bool
}

// headers fetches the reference-carrying header fields of uids (sorted
// ascending) in chunks. Every UID asked about is examined, whether or not
// any search would have found it.
func (s *Syncer) headers(ctx context.Context, sess *imapSession, uids []uint32) ([]headerInfo, error) {
	section := &imap.FetchItemBodySection{Specifier: imap.PartSpecifierHeader, HeaderFields: tokenHeaders, Peek: true}
	var out []headerInfo
	for i := 0; i < len(uids); i += headerChunk {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var set imap.UIDSet
		for _, u := range uids[i:min(i+headerChunk, len(uids))] {
			set.AddNum(imap.UID(u))
		}
		bufs, err := sess.c.Fetch(set, &imap.FetchOptions{UID: true, InternalDate: true, BodySection: []*imap.FetchItemBodySection{section}}).Collect()
		if err != nil {
			return nil, err
		}
		for _, b := range bufs {
			h := headerInfo{uid: uint32(b.UID), date: b.InternalDate}
			raw := string(b.FindBodySection(section))
			// The From line carries no reference; a token in a display
			// name is not one of ours either.
			h.from, raw = fromIn(raw)
			h.hasToken = len(findTokens(raw)) > 0
			if mid := messageIDIn(raw); mid != "" {
				h.key = "mid:" + mid
			}
			out = append(out, h)
		}
	}
	slices.SortFunc(out, func(a, b headerInfo) int { return int(a.uid) - int(b.uid) })
	return out, nil
}

var fromRe = regexp.MustCompile(`(?im)^from:[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*`)

// fromIn takes the From field out of a header block: the sender's
// address, and the block without it.
func fromIn(hdr string) (string, string) {
	loc := fromRe.FindStringIndex(hdr)
	if loc == nil {
		return "", hdr
	}
	field := hdr[loc[0]:loc[1]]
	rest := hdr[:loc[0]] + hdr[loc[1]:]
	if m := looseAddrRe.FindAllString(field[len("from:"):], -1); len(m) > 0 {
		return strings.ToLower(strings.Trim(m[len(m)-1], "<>")), rest
	}
	return "", rest
}

// senders remembers, for one sync, which addresses requests went to.
type senders struct {
	store Requests
	known map[string]bool
}

// sent reports whether a request went to addr, or it is a patient's email
// on record: mail from there without a reference may still be a withdrawal.
func (k *senders) sent(ctx context.Context, addr string) (bool, error) {
	if addr == "" {
		return false, nil
	}
	if v, ok := k.known[addr]; ok {
		return v, nil
	}
	rs, err := k.store.RequestsTo(ctx, addr)
	if err != nil {
		return false, err
	}
	k.known[addr] = len(rs) > 0
	if !k.known[addr] {
		ps, err := k.store.PatientsAt(ctx, addr)
		if err != nil {
			return false, err
		}
		k.known[addr] = len(ps) > 0
	}
	return k.known[addr], nil
}

var midRe = regexp.MustCompile(`(?im)^message-id:\s*<([^>\s]+)>`)

func messageIDIn(hdr string) string {
	if m := midRe.FindStringSubmatch(hdr); m != nil {
		return m[1]
	}
	return ""
}

// textSearch narrows: which of the UIDs in set the server finds the marker
// in. Its answer is never trusted to be complete.
func (s *Syncer) textSearch(sess *imapSession, set imap.UIDSet) (map[uint32]bool, error) {
	res, err := sess.c.UIDSearch(&imap.SearchCriteria{UID: []imap.UIDSet{set}, Text: []string{searchMarker}}, nil).Wait()
	if err != nil {
		return nil, err
	}
	out := map[uint32]bool{}
	for _, u := range res.AllUIDs() {
		out[uint32(u)] = true
	}
	return out, nil
}
