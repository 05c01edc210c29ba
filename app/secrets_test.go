package app_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"testing"

	"practicepost/app"
)

// mapSecrets is a keychain in a map; fail makes every call fail as an
// unreachable password store does.
type mapSecrets struct {
	m    map[string]string
	fail error
	gets int
}

func (s *mapSecrets) Get(key string) (string, error) {
	s.gets++
	if s.fail != nil {
		return "", s.fail
	}
	v, ok := s.m[key]
	if !ok {
		return "", app.Errorf(app.ENOTFOUND, "no %s", key)
	}
	return v, nil
}

func (s *mapSecrets) Set(key, value string) error {
	if s.fail != nil {
		return s.fail
	}
	s.m[key] = value
	return nil
}

func TestStoredKey(t *testing.T) {
	damaged := errors.New("damaged")
	wrap := func(err error) error { return errors.Join(errors.New("unreachable"), err) }
	s := &mapSecrets{m: map[string]string{}}
	k := app.NewStoredKey(s, "k", 4, damaged, wrap)

	if key, ok, err := k.Get(); key != nil || ok || err != nil {
		t.Fatalf("missing entry: %v %v %v", key, ok, err)
	}
	want := []byte{1, 2, 3, 4}
	if err := k.Set(want); err != nil {
		t.Fatal(err)
	}
	want[0] = 9 // the cache holds its own copy
	if s.m["k"] != base64.StdEncoding.EncodeToString([]byte{1, 2, 3, 4}) {
		t.Fatalf("stored %q", s.m["k"])
	}
	gets := s.gets
	if key, ok, err := k.Get(); !ok || err != nil || !bytes.Equal(key, []byte{1, 2, 3, 4}) || s.gets != gets {
		t.Fatalf("cached: %v %v %v (keychain read %d times)", key, ok, err, s.gets-gets)
	}

	// A fresh reader decodes the entry; a wrong size or bad base64 is damage.
	for entry, ok := range map[string]bool{
		base64.StdEncoding.EncodeToString([]byte{5, 6, 7, 8}): true,
		base64.StdEncoding.EncodeToString([]byte{5, 6, 7}):    false,
		"%%% not base64": false,
	} {
		s.m["k"] = entry
		key, got, err := app.NewStoredKey(s, "k", 4, damaged, wrap).Get()
		if got != ok || (ok && (err != nil || len(key) != 4)) || (!ok && err != damaged) {
			t.Errorf("entry %q: %v %v %v", entry, key, got, err)
		}
	}

	// The password store's own failure comes back through unreachable, on
	// reading and on writing.
	s.fail = errors.New("locked")
	fresh := app.NewStoredKey(s, "k", 4, damaged, wrap)
	if _, _, err := fresh.Get(); !errors.Is(err, s.fail) || err.Error() != "unreachable\nlocked" {
		t.Errorf("get: %v", err)
	}
	if err := fresh.Set(want); !errors.Is(err, s.fail) || err.Error() != "unreachable\nlocked" {
		t.Errorf("set: %v", err)
	}
	if _, ok, _ := fresh.Get(); ok {
		t.Error("a failed Set was cached")
	}
}
