package mail

import (
	"context"
	"errors"

	"github.com/emersion/go-smtp"

	"practicepost/app"
)

// Send delivers a composed request through the practice's SMTP server.
// Record out.Sent before calling Send, so that a reply arriving after a crash
// still finds its request.
func (a *Account) Send(ctx context.Context, out *Outgoing) error {
	if out == nil || len(out.Raw) == 0 {
		return app.Internal(nil, "There is no email to send. Create the request again.")
	}
	c, stop, err := a.connectSMTP(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	defer stop()
	srv := a.Settings.SMTP
	if err := c.Mail(out.From, nil); err != nil {
		return a.sendError(ctx, err, "The email server would not send from "+out.From+". Check that the practice email address in Settings → Mailbox belongs to this mailbox.")
	}
	if err := c.Rcpt(out.To, nil); err != nil {
		return a.sendError(ctx, err, "The email server refused the patient's address "+out.To+". Check the address on the patient's record.")
	}
	w, err := c.Data()
	if err != nil {
		return a.sendError(ctx, err, "The email server did not accept the message. Try again in a few minutes.")
	}
	if _, err := w.Write(out.Raw); err != nil {
		return a.classify("smtp", srv, stageCommand, ctxErr(ctx, err))
	}
	if err := w.Close(); err != nil {
		var se *smtp.SMTPError
		if errors.As(err, &se) && se.Code == 552 {
			return &app.Error{Code: app.EINVALID, Field: "form", Message: "The email is larger than the server accepts. Make the attached form smaller (fewer or smaller images) and try again.", Err: err}
		}
		return a.sendError(ctx, err, "The email server did not accept the message. Try again in a few minutes.")
	}
	_ = c.Quit()
	return nil
}

func (a *Account) sendError(ctx context.Context, err error, msg string) error {
	var se *smtp.SMTPError
	if errors.As(err, &se) {
		code := app.EINVALID
		if se.Temporary() {
			code = app.EUNAVAILABLE
			msg = "The email server is busy and asked to try later. Try again in a few minutes."
		}
		return &app.Error{Code: code, Message: msg, Err: err}
	}
	return a.classify("smtp", a.Settings.SMTP, stageCommand, ctxErr(ctx, err))
}
