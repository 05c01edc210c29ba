package mail

import (
	"context"
	"strings"
	"testing"

	"practicepost/app"
)

func bounceOf(token, action, status, to string) []byte {
	return []byte(strings.ReplaceAll("From: MAILER-DAEMON@mx.example.org\nTo: "+testUser+"\nSubject: Undelivered Mail Returned to Sender\n"+
		"Message-ID: <b-"+action+to+"@mx.example.org>\nMIME-Version: 1.0\n"+
		"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\n\n"+
		"--b1\nContent-Type: text/plain\n\nYour message could not be delivered.\n\n"+
		"--b1\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.example.org\n\n"+
		"Final-Recipient: rfc822; "+to+"\nAction: "+action+"\nStatus: "+status+"\nDiagnostic-Code: smtp; 552 5.2.2 Mailbox full\n\n"+
		"--b1\nContent-Type: text/rfc822-headers\n\nSubject: ["+token+"] Your permission\nX-Practicepost-Request: "+token+"\n\n--b1--\n", "\n", "\r\n"))
}

func TestReturnedRequestsAreRead(t *testing.T) {
	st := NewMemStore()
	st.AddRequest(testRequest(tokA, "zoe@example.org"))
	ctx := context.Background()
	it, keep, err := BuildItem(ctx, st, bounceOf(tokA, "failed", "5.2.2", "zoe@example.org"), Intake{})
	if err != nil || !keep || it.Intent != app.IntentBounced || it.RequestToken != tokA ||
		!strings.HasPrefix(it.Notes[0], BouncedPrefix) || !strings.Contains(it.Notes[0], "mailbox is full") || !strings.Contains(it.Notes[0], "552 5.2.2") {
		t.Fatalf("a returned request: %v %v %+v", keep, err, it)
	}
	for name, raw := range map[string][]byte{
		"a delay, the server still trying": bounceOf(tokA, "delayed", "4.4.1", "zoe@example.org"),
		"returned from another address":    bounceOf(tokA, "failed", "5.1.1", "other@example.org"),
		"a request nobody sent":            bounceOf(tokB, "failed", "5.1.1", "zoe@example.org"),
	} {
		if it, keep, err := BuildItem(ctx, st, raw, Intake{}); err != nil || keep && it.Intent == app.IntentBounced {
			t.Errorf("%s: read as returned: %v %v", name, keep, err)
		}
	}
}
