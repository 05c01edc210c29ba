package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"sort"
	"strings"

	"practicepost/app"
)

const channelsKey = "channels"

var knownChannelPlatforms = map[string]bool{"facebook": true, "mastodon": true, "bluesky": true,
	"instagram": true, "linkedin": true, "google": true, "x": true}

func readChannels(ctx context.Context, q querier) ([]app.Channel, error) {
	var raw string
	err := q.QueryRowContext(ctx, "SELECT value FROM app_state WHERE key = ?", channelsKey).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return []app.Channel{}, nil
	}
	if err != nil {
		return nil, app.Internal(err, "PracticePost could not read the connected channels.")
	}
	out := []app.Channel{}
	if err := json.Unmarshal([]byte(raw), &out); err != nil {
		return nil, app.Internal(err, "The list of connected channels is damaged. Restore a backup, or connect the channels again.")
	}
	return out, nil
}

// Channels lists the connected channels by platform, then name.
func (d *DB) Channels(ctx context.Context) ([]app.Channel, error) {
	out, err := readWith(d, func(db querier) ([]app.Channel, error) { return readChannels(ctx, db) })
	if err != nil {
		return nil, err
	}
	sortChannels(out)
	return out, nil
}

func sortChannels(cs []app.Channel) {
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].Platform != cs[j].Platform {
			return cs[i].Platform < cs[j].Platform
		}
		return strings.ToLower(cs[i].Name) < strings.ToLower(cs[j].Name)
	})
}

// Channel reads one channel; app.ENOTFOUND when it is not connected.
func (d *DB) Channel(ctx context.Context, id string) (app.Channel, error) {
	cs, err := d.Channels(ctx)
	if err != nil {
		return app.Channel{}, err
	}
	for _, c := range cs {
		if c.ID == id {
			return c, nil
		}
	}
	return app.Channel{}, app.Errorf(app.ENOTFOUND, "This channel is not connected any more. Connect it again under Channels.")
}

// SaveChannel adds c or replaces the channel with its id. Reconnecting an
// account keeps its id, so posts waiting for it carry on.
func (d *DB) SaveChannel(ctx context.Context, c app.Channel, actor string) (app.Channel, error) {
	if strings.TrimSpace(c.ID) == "" || !knownChannelPlatforms[c.Platform] || strings.TrimSpace(c.AccountID) == "" {
		return app.Channel{}, app.Internal(errors.New("store: channel without id, platform or account"), "PracticePost could not save this channel.")
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
		return app.Channel{}, err
	}
	return c, nil
}

// UpdateChannel changes a connected channel in place; app.ENOTFOUND when it
// was disconnected meanwhile (then nothing is written).
func (d *DB) UpdateChannel(ctx context.Context, id, actor string, fn func(*app.Channel)) (app.Channel, error) {
	var out app.Channel
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

func writeChannels(ctx context.Context, tx *Tx, cs []app.Channel) error {
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
