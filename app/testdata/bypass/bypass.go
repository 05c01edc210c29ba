// Package bypass holds ways out of the app that a weaker door check would
// miss, and one proper door; TestDoorCheckFindsBypasses runs the check on
// it. It is never built into the app: package patterns pass over testdata.
package bypass

import (
	"context"
	"time"

	"practicepost/app/gate"
	"practicepost/app/mail"
	"practicepost/app/publish"
	"practicepost/app/publish/mastodon"
	"practicepost/app/store"
)

// poster is a narrower interface than publish.Publisher with its method.
type poster interface {
	CreatePost(ctx context.Context, p publish.Post) (publish.Result, error)
}

func narrowInterface(ctx context.Context, p poster) {
	_, _ = p.CreatePost(ctx, publish.Post{Text: "hello"})
}

func methodValue(ctx context.Context, p publish.Publisher) {
	f := p.CreatePost
	_, _ = f(ctx, publish.Post{})
}

var sendLater = func(ctx context.Context, ib publish.Inboxer) {
	_, _ = ib.Reply(ctx, publish.Comment{}, "Thank you!", "key")
}

func email(ctx context.Context, a *mail.Account, out *mail.Outgoing) {
	_ = a.Send(ctx, out)
}

func gateAfterSend(ctx context.Context, db *store.DB, g *gate.Gate, p publish.Publisher) {
	_, _ = p.CreatePost(ctx, publish.Post{})
	_ = db.Tx(ctx, func(tx *store.Tx) error {
		_, err := g.Check(ctx, tx.Reader(), nil, time.Time{}, time.Time{})
		return err
	})
}

func gateOutsideTx(ctx context.Context, db *store.DB, g *gate.Gate, p publish.Publisher) {
	_, _ = g.Check(ctx, db, nil, time.Time{}, time.Time{})
	_, _ = p.CreatePost(ctx, publish.Post{})
}

func concreteConnector(ctx context.Context, c *mastodon.Client) {
	_, _ = c.CreatePost(ctx, publish.Post{})
}

func door(ctx context.Context, db *store.DB, g *gate.Gate, p publish.Publisher) error {
	err := db.Tx(ctx, func(tx *store.Tx) error {
		_, err := g.Check(ctx, tx.Reader(), nil, time.Time{}, time.Time{})
		return err
	})
	if err != nil {
		return err
	}
	_, err = p.CreatePost(ctx, publish.Post{})
	return err
}
