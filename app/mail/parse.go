package mail

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"practicepost/app"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-message"
	// Registers the charset decoders (ISO-8859-x, Windows-125x, ...) that
	// go-message uses to turn text parts into UTF-8.
	_ "github.com/emersion/go-message/charset"
	"github.com/emersion/go-message/mail"
)

// Limits bound what is kept from one incoming message.
type Limits struct {
	MaxAttachment int64 // per attachment; 0 means 20 MB
	MaxMessage    int64 // whole message as stored on the server; 0 means 60 MB
}

const (
	defaultMaxAttachment = 20 << 20
	defaultMaxMessage    = 60 << 20
	maxTextPart          = 1 << 20
)

func (l Limits) attachment() int64 {
	if l.MaxAttachment <= 0 {
		return defaultMaxAttachment
	}
	return l.MaxAttachment
}

func (l Limits) message() int64 {
	if l.MaxMessage <= 0 {
		return defaultMaxMessage
	}
	return l.MaxMessage
}

// Parsed is one incoming message reduced to what the review needs.
type Parsed struct {
	MessageID   string
	InReplyTo   []string
	References  []string
	FromName    string
	FromAddress string
	Subject     string
	Date        time.Time
	RequestHdr  string // X-PracticePost-Request, if the reply kept it
	// AuthResults are the Authentication-Results header values, topmost
	// (added last, by the receiving server) first.
	AuthResults []string

	AutoReply  bool
	AutoReason string

	// Words is what the sender wrote, with quoted history removed.
	Words string
	// Quoted is the quoted history with the "> " markers removed; a patient
	// who ticks boxes inside the quoted request leaves the answer there.
	Quoted      string
	HTMLOnly    bool
	Attachments []app.MailAttachment
	Notes       []string // plain-language notes for the reviewer
	Flags       []app.ReplyFlag
}

func addFlag(fs []app.ReplyFlag, f app.ReplyFlag) []app.ReplyFlag {
	for _, x := range fs {
		if x == f {
			return fs
		}
	}
	return append(fs, f)
}

// ParseMessage reads a raw RFC 5322 message. It never fails on odd content:
// what cannot be read becomes a note and a flag for the reviewer. An error
// means the bytes are not a mail message at all.
func ParseMessage(raw []byte, lim Limits) (*Parsed, error) {
	mr, err := mail.CreateReader(bytes.NewReader(raw))
	if err != nil && !message.IsUnknownCharset(err) {
		return nil, fmt.Errorf("mail: unreadable message: %w", err)
	}
	p := &Parsed{}
	if err != nil {
		p.Flags = addFlag(p.Flags, app.FlagUnreadableText)
		p.Notes = append(p.Notes, "Part of this email uses a character set or encoding PracticePost cannot read; some letters may show wrongly.")
	}
	h := mr.Header
	p.readHeader(h)

	var text, htmlText string
	var textSet, htmlSet bool
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil && !message.IsUnknownCharset(err) {
			p.Flags = addFlag(p.Flags, app.FlagUnreadableText)
			p.Notes = append(p.Notes, "The end of this email could not be read; it may be damaged. Open the original to check it.")
			break
		}
		if err != nil {
			p.Flags = addFlag(p.Flags, app.FlagUnreadableText)
			p.Notes = addNote(p.Notes, "Part of this email uses a character set or encoding PracticePost cannot read; some letters may show wrongly.")
		}
		switch ph := part.Header.(type) {
		case *mail.InlineHeader:
			ct, _, _ := ph.ContentType()
			// Every inline text part is read, in order: a mail program that
			// puts a photo in the middle of a message (Apple Mail) sends the
			// words before and after it as separate parts, and a withdrawal
			// may be in the second. An alternative of the same words comes
			// in the other type (text/html), which is read only when there
			// is no plain text.
			switch {
			case ct == "text/plain":
				text, textSet = joinPart(text, readText(part.Body), textSet), true
				continue
			case ct == "text/html":
				htmlText, htmlSet = joinPart(htmlText, htmlToText(io.LimitReader(part.Body, maxTextPart)), htmlSet), true
				continue
			case strings.HasPrefix(ct, "text/"):
				continue // calendars, vCards: not words the patient wrote
			}
			p.attach(part.Body, "", ct, lim)
		case *mail.AttachmentHeader:
			name, _ := ph.Filename()
			ct, _, _ := ph.ContentType()
			p.attach(part.Body, name, ct, lim)
		}
	}
	if !textSet || strings.TrimSpace(text) == "" {
		if htmlSet {
			text = htmlText
			p.HTMLOnly = !textSet
		}
	}
	p.Words, p.Quoted = stripQuoted(strings.ToValidUTF8(text, "\uFFFD"))
	return p, nil
}

// joinPart adds the words of a further text part, on a line of their own.
func joinPart(sofar, next string, any bool) string {
	if !any {
		return next
	}
	return strings.TrimRight(sofar, "\n") + "\n\n" + next
}

func addNote(ns []string, n string) []string {
	for _, x := range ns {
		if x == n {
			return ns
		}
	}
	return append(ns, n)
}

func readText(r io.Reader) string {
	b, _ := io.ReadAll(io.LimitReader(r, maxTextPart))
	s := string(b)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return strings.ReplaceAll(s, "\r\n", "\n")
}

func (p *Parsed) readHeader(h mail.Header) {
	p.MessageID, _ = h.MessageID()
	p.InReplyTo, _ = h.MsgIDList("In-Reply-To")
	p.References, _ = h.MsgIDList("References")
	if from, err := h.AddressList("From"); err == nil && len(from) > 0 {
		p.FromName, p.FromAddress = from[0].Name, strings.ToLower(from[0].Address)
	} else if raw := h.Get("From"); raw != "" {
		// Unparseable From: keep what can be found so the reviewer sees it.
		if m := looseAddrRe.FindString(raw); m != "" {
			p.FromAddress = strings.ToLower(m)
		}
	}
	p.Subject, _ = h.Subject()
	if p.Subject == "" {
		p.Subject = h.Get("Subject")
	}
	p.Subject = strings.ToValidUTF8(p.Subject, "\uFFFD")
	p.FromName = strings.ToValidUTF8(p.FromName, "\uFFFD")
	p.Date, _ = h.Date()
	p.RequestHdr = strings.TrimSpace(h.Get(RequestHeader))
	p.AuthResults = h.Values("Authentication-Results")
	p.AutoReply, p.AutoReason = autoReply(h, p.Subject)
}

var looseAddrRe = regexp.MustCompile(`[^\s<>"(),;:]+@[^\s<>"(),;:]+`)

// autoReplySubjectRe matches the subjects of out-of-office and other
// automatic answers in the languages UK and US patients' mail is set to.
var autoReplySubjectRe = regexp.MustCompile(`(?i)^\s*(?:auto(?:matic)?[ -]?reply|auto(?:matic)? response|autoreply|auto:|out of (?:the )?office|ooo\b|away from (?:the )?office|on (?:annual )?leave|abwesenheit|réponse automatique|absence|respuesta automática|undeliverable|delivery status notification|mail delivery failed|returned mail)`)

// autoDeliveryReport is the reason given for a delivery status notification.
const autoDeliveryReport = "delivery report"

func autoReply(h mail.Header, subject string) (bool, string) {
	if v := strings.ToLower(strings.TrimSpace(h.Get("Auto-Submitted"))); v != "" && v != "no" {
		return true, "Auto-Submitted: " + v
	}
	for _, k := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponder"} {
		if h.Get(k) != "" {
			return true, k
		}
	}
	switch strings.ToLower(strings.TrimSpace(h.Get("Precedence"))) {
	case "auto_reply", "bulk", "junk", "list":
		return true, "Precedence"
	}
	if strings.EqualFold(h.Get("X-Auto-Response-Suppress"), "All") && h.Get("X-MS-Exchange-Inbox-Rules-Loop") != "" {
		return true, "Exchange inbox rule"
	}
	if ct, params, _ := h.ContentType(); ct == "multipart/report" && strings.EqualFold(params["report-type"], "delivery-status") {
		return true, autoDeliveryReport
	}
	if autoReplySubjectRe.MatchString(subject) {
		return true, "subject"
	}
	return false, ""
}

// attach keeps a PDF, JPEG or PNG within the size limit. The type is taken
// from the first bytes, not from the sender's label, so a renamed file is
// neither trusted nor lost.
func (p *Parsed) attach(body io.Reader, name, declared string, lim Limits) {
	limit := lim.attachment()
	data, err := io.ReadAll(io.LimitReader(body, limit+1))
	display := name
	if display == "" {
		display = "an unnamed " + orDefault(declared, "file")
	} else {
		display = "“" + display + "”"
	}
	if err != nil {
		p.Flags = addFlag(p.Flags, app.FlagUnreadableText)
		p.Notes = append(p.Notes, "The attachment "+display+" is damaged and could not be read. Ask the patient to send it again.")
		return
	}
	if int64(len(data)) > limit {
		n, _ := io.Copy(io.Discard, body)
		p.Flags = addFlag(p.Flags, app.FlagAttachmentTooLarge)
		p.Notes = append(p.Notes, fmt.Sprintf("The attachment %s (%s) was not kept because it is larger than %s. Ask the patient to send a smaller scan or photo.",
			display, humanSize(int64(len(data))+n), humanSize(limit)))
		return
	}
	ct := sniff(data)
	if ct == "" {
		p.Flags = addFlag(p.Flags, app.FlagAttachmentRejected)
		p.Notes = append(p.Notes, "The attachment "+display+" was not kept: only PDF, JPEG and PNG files are accepted as signed forms.")
		return
	}
	sum := sha256.Sum256(data)
	p.Attachments = append(p.Attachments, app.MailAttachment{
		Filename: name, ContentType: ct, Size: int64(len(data)),
		SHA256: hex.EncodeToString(sum[:]), Data: data,
	})
}

func sniff(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "application/pdf"
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg"
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png"
	}
	return ""
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

var (
	wroteRe       = regexp.MustCompile(`(?i)^(?:on\s.{0,300}\bwrote|le\s.{0,300}\ba écrit|am\s.{0,300}\bschrieb|el\s.{0,300}\bescribió)\s*:\s*$`)
	originalRe    = regexp.MustCompile(`(?i)^\s*-{2,}\s*(?:original message|forwarded message|ursprüngliche nachricht|message d'origine)\s*-{2,}\s*$`)
	outlookRuleRe = regexp.MustCompile(`^\s*_{10,}\s*$`)
	hdrFromRe     = regexp.MustCompile(`(?i)^\s*\*?(?:from|von|de)\s*:\*?\s+\S`)
	hdrNextRe     = regexp.MustCompile(`(?i)^\s*\*?(?:sent|date|to|subject|gesendet|envoyé)\s*:`)
)

// stripQuoted splits a reply into what the sender wrote and the quoted
// history below (or between) it. Quoted lines keep their text without the
// leading "> " so that ticks made inside the quote can still be read.
func stripQuoted(text string) (words, quoted string) {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	lines := strings.Split(text, "\n")
	var w, q []string
	cut := -1
	for i := 0; i < len(lines) && cut < 0; i++ {
		l := strings.TrimSpace(lines[i])
		switch {
		case originalRe.MatchString(l), outlookRuleRe.MatchString(l) && headerBlockAt(lines, i+1):
			cut = i
		case hdrFromRe.MatchString(l) && headerBlockAt(lines, i):
			cut = i
		case strings.HasPrefix(strings.ToLower(l), "on ") || strings.HasPrefix(strings.ToLower(l), "le ") ||
			strings.HasPrefix(strings.ToLower(l), "am ") || strings.HasPrefix(strings.ToLower(l), "el "):
			// Mail programs wrap long attribution lines over up to 3 lines.
			joined := l
			for j := i; j < len(lines) && j < i+3; j++ {
				if j > i {
					joined += " " + strings.TrimSpace(lines[j])
				}
				if wroteRe.MatchString(joined) {
					cut = i
					break
				}
			}
		}
		if cut >= 0 {
			break
		}
		if strings.HasPrefix(l, ">") {
			q = append(q, unquote(l))
			continue
		}
		w = append(w, lines[i])
	}
	if cut >= 0 {
		// Below an "On … wrote:" line, a ">"-quoted block may be followed by
		// the sender's answer (bottom-posting) or interleaved with it; those
		// unmarked lines are the sender's words. Without ">" markers (an
		// Outlook header block) everything below the cut is history.
		marked := wroteAt(lines, cut)
		seenQuote := false
		for _, l := range lines[cut:] {
			t := strings.TrimSpace(l)
			switch {
			case strings.HasPrefix(t, ">"):
				seenQuote = true
				q = append(q, unquote(t))
			case marked && seenQuote:
				w = append(w, l)
			default:
				q = append(q, unquote(t))
			}
		}
	}
	return strings.TrimSpace(strings.Join(w, "\n")), strings.TrimSpace(strings.Join(q, "\n"))
}

// wroteAt reports whether the cut at i is an "On … wrote:" attribution
// followed by ">"-marked lines.
func wroteAt(lines []string, i int) bool {
	l := strings.ToLower(strings.TrimSpace(lines[i]))
	if !(strings.HasPrefix(l, "on ") || strings.HasPrefix(l, "le ") || strings.HasPrefix(l, "am ") || strings.HasPrefix(l, "el ")) {
		return false
	}
	for j := i + 1; j < len(lines) && j <= i+4; j++ {
		if strings.HasPrefix(strings.TrimSpace(lines[j]), ">") {
			return true
		}
	}
	return false
}

func headerBlockAt(lines []string, i int) bool {
	if i >= len(lines) || !hdrFromRe.MatchString(strings.TrimSpace(lines[i])) {
		return false
	}
	for j := i + 1; j < len(lines) && j <= i+4; j++ {
		if hdrNextRe.MatchString(strings.TrimSpace(lines[j])) {
			return true
		}
	}
	return false
}

func unquote(l string) string {
	for strings.HasPrefix(l, ">") {
		l = strings.TrimLeft(l[1:], " ")
	}
	return l
}

// headerOnly is the header block of a raw message (up to and including
// the blank line that ends it); the whole message when it has no body.
func headerOnly(raw []byte) []byte {
	for _, sep := range [][]byte{[]byte("\r\n\r\n"), []byte("\n\n")} {
		if i := bytes.Index(raw, sep); i >= 0 {
			return bytes.Clone(raw[:i+len(sep)])
		}
	}
	return bytes.Clone(raw)
}

// dedupKey identifies a message across UIDVALIDITY changes and moves: the
// Message-ID when there is one, else a hash of the exact bytes.
func dedupKey(messageID string, raw []byte) string {
	if messageID != "" {
		return "mid:" + messageID
	}
	sum := sha256.Sum256(raw)
	return "sha256:" + hex.EncodeToString(sum[:])
}
