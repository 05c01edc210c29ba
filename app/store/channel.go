package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sort"
	"strings"
	"time"

	"practicepost/app"
)

// Channel is one connected social account: a Facebook Page, a Mastodon
// account on one instance, a Bluesky account. Its secret (token, app
// password) is in the OS keychain under SecretKey, never here.
//
// A practice connects a handful of channels, so they are kept as one JSON
// document in app_state rather than a table of their own: every change is
// one read-modify-write inside a transaction, with its audit entry.
type Channel struct {
	ID       string `json:"id"`       // "mastodon:@smile@example.social", "bluesky:did:plc:…", "facebook:1002003"
	Platform string `json:"platform"` // facebook, mastodon, bluesky
	// AccountID is the platform's id for the account or Page.
	AccountID string `json:"accountId"`
	Name      string `json:"name"`   // display name or Page name
	Handle    string `json:"handle"` // @user@instance, handle.bsky.social; "" for Pages
	// BaseURL is where the API lives: the Mastodon instance, the Bluesky
	// service the account signed in at, the Graph API root.
	BaseURL string `json:"baseUrl"`
	// ExpiresAt is when the sign-in runs out by itself; zero: no date.
	ExpiresAt time.Time `json:"expiresAt"`
	// NeedsReconnect is set when the platform refused the credentials.
	NeedsReconnect bool   `json:"needsReconnect"`
	ProblemMessage string `json:"problemMessage"` // why, in the platform's or PracticePost's words

	LastTestAt  time.Time `json:"lastTestAt"`
	LastTestURL string    `json:"lastTestUrl"`
	LastTestID  string    `json:"lastTestId"` // the platform's id of the last test post, for "delete it"

	ConnectedAt time.Time `json:"connectedAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

// SecretKey is the keychain entry holding the channel's credentials.
func (c Channel) SecretKey() string { return "channel:" + c.ID }

const channelsKey = "channels"

var knownChannelPlatforms = map[string]bool{"facebook": true, "mastodon": true, "bluesky": true,
	"instagram": true, "linkedin": true, "google": true, "x": true}

func readChannels(ctx context.Context, q querier) ([]Channel, error) {
	var raw string
	err := q.QueryRowContext(ctx, "SELECT value FROM app_state WHERE key = ?", channelsKey).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return []Channel{}, nil
	}
	if err != nil {
		return nil, app.Internal(err, "PracticePost could not read the connected channels.")
	}
	out := []Channel{}
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		return nil, app.Internal(err, "The list of connected channels is damaged. Restore a backup, or connect the channels again.")
	}
	return out, nil
}

// Channels lists the connected channels by platform, then name.
func (d *DB) Channels(ctx context.Context) ([]Channel, error) {
	var out []Channel
	err := d.read(func(db querier) error {
		var err error
		out, err = readChannels(ctx, db)
		return err
	})
	if err != nil {
		return nil, err
	}
	sortChannels(out)
	return out, nil
}

func sortChannels(cs []Channel) {
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].Platform != cs[j].Platform {
			return cs[i].Platform < cs[j].Platform
		}
		return strings.ToLower(cs[i].Name) < strings.ToLower(cs[j].Name)
	})
}

// Channel reads one channel; app.ENOTFOUND when it is not connected.
func (d *DB) Channel(ctx context.Context, id string) (Channel, error) {
	cs, err := d.Channels(ctx)
	if err != nil {
		return Channel{}, err
	}
	for _, c := range cs {
		if c.ID == id {
			return c, nil
		}
	}
	return Channel{}, app.Errorf(app.ENOTFOUND, "This channel is not connected any more. Connect it again under Channels.")
}

// SaveChannel adds c or replaces the channel with its id. Reconnecting an
// account keeps its id, so posts waiting for it carry on.
func (d *DB) SaveChannel(ctx context.Context, c Channel, actor string) (Channel, error) {
	if strings.TrimSpace(c.ID) == "" || !knownChannelPlatforms[c.Platform] || strings.TrimSpace(c.AccountID) == "" {
		return Channel{}, app.Internal(errors.New("store: channel without id, platform or account"), "PracticePost could not save this channel.")
	}
	err := d.Tx(ctx, func(tx *Tx) error {
		cs, err := readChannels(ctx, tx)
		if err != nil {
			return err
		}
		c.UpdatedAt = tx.now
		action := "channel.connected"
		found := false
		for i := range cs {
			if cs[i].ID == c.ID {
				if c.ConnectedAt.IsZero() {
					c.ConnectedAt = cs[i].ConnectedAt
				}
				action = "channel.updated"
				if cs[i].NeedsReconnect && !c.NeedsReconnect {
					action = "channel.reconnected"
				} else if !cs[i].NeedsReconnect && c.NeedsReconnect {
					action = "channel.needs_reconnect"
				}
				cs[i], found = c, true
			}
		}
		if !found {
			if c.ConnectedAt.IsZero() {
				c.ConnectedAt = tx.now
			}
			cs = append(cs, c)
		}
		if err := writeChannels(ctx, tx, cs); err != nil {
			return err
		}
		return tx.Audit(ctx, actor, action, "channel:"+c.ID, map[string]string{"platform": c.Platform})
	})
	if err != nil {
		return Channel{}, err
	}
	return c, nil
}

// UpdateChannel changes a connected channel in place; app.ENOTFOUND when it
// was disconnected meanwhile (then nothing is written).
func (d *DB) UpdateChannel(ctx context.Context, id, actor string, fn func(*Channel)) (Channel, error) {
	var out Channel
	err := d.Tx(ctx, func(tx *Tx) error {
		cs, err := readChannels(ctx, tx)
		if err != nil {
			return err
		}
		for i := range cs {
			if cs[i].ID != id {
				continue
			}
			before := cs[i].NeedsReconnect
			fn(&cs[i])
			cs[i].ID = id
			cs[i].UpdatedAt = tx.now
			out = cs[i]
			if err := writeChannels(ctx, tx, cs); err != nil {
				return err
			}
			if before != cs[i].NeedsReconnect {
				action := "channel.needs_reconnect"
				if !cs[i].NeedsReconnect {
					action = "channel.reconnected"
				}
				return tx.Audit(ctx, actor, action, "channel:"+id, map[string]string{"platform": cs[i].Platform})
			}
			return nil
		}
		return app.Errorf(app.ENOTFOUND, "This channel is not connected any more. Connect it again under Channels.")
	})
	return out, err
}

// DeleteChannel forgets a channel. Posts already made stay where they are.
func (d *DB) DeleteChannel(ctx context.Context, id, actor string) error {
	return d.Tx(ctx, func(tx *Tx) error {
		cs, err := readChannels(ctx, tx)
		if err != nil {
			return err
		}
		for i := range cs {
			if cs[i].ID == id {
				platform := cs[i].Platform
				cs = append(cs[:i], cs[i+1:]...)
				if err := writeChannels(ctx, tx, cs); err != nil {
					return err
				}
				return tx.Audit(ctx, actor, "channel.disconnected", "channel:"+id, map[string]string{"platform": platform})
			}
		}
		return app.Errorf(app.ENOTFOUND, "This channel is not connected any more.")
	})
}

func writeChannels(ctx context.Context, tx *Tx, cs []Channel) error {
	sortChannels(cs)
	b, err := json.Marshal(cs)
	if err != nil {
		return app.Internal(err, "PracticePost could not save the connected channels.")
	}
	if err := tx.SetState(ctx, channelsKey, string(b)); err != nil {
		return app.Internal(err, "PracticePost could not save the connected channels.")
	}
	return nil
}
