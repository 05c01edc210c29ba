package publish_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"practicepost/app/publish"
	"practicepost/app/publish/internal/publishtest"
)

func TestDecode(t *testing.T) {
	var out struct {
		ID string `json:"id"`
	}
	if err := publish.Decode(publish.Mastodon, 200, []byte(`{"id":"42"}`), &out, now); err != nil || out.ID != "42" {
		t.Fatalf("decode: %v %+v", err, out)
	}
	if err := publish.Decode(publish.Mastodon, 200, []byte(`not json`), nil, now); err != nil {
		t.Fatalf("nil out reads nothing, got %v", err)
	}
	raw := []byte(`<html>gateway</html>`)
	err := publish.Decode(publish.Mastodon, 200, raw, &out, now)
	pe := publishtest.Err(t, err)
	var syntax *json.SyntaxError
	if pe.Platform != publish.Mastodon || pe.Kind != publish.KindTransient || !pe.Uncertain || pe.Status != 200 ||
		string(pe.Raw) != string(raw) || !errors.As(err, &syntax) {
		t.Fatalf("unreadable answer: %+v", pe)
	}
}

func TestPause(t *testing.T) {
	if err := publish.Pause(context.Background(), time.Millisecond); err != nil {
		t.Fatalf("pause: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	if err := publish.Pause(ctx, time.Hour); !errors.Is(err, context.Canceled) || time.Since(start) > time.Minute {
		t.Fatalf("cancelled pause: %v after %v", err, time.Since(start))
	}
}
