//go:build dev

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sync"

	"practicepost/app/auth"
)

// secretStore in the development build honours PRACTICEPOST_SECRETS:
// "memory" keeps secrets for the run only, "file" keeps them in a private
// file in the data folder so they survive a restart. The end-to-end tests
// use them on machines without a keychain service. The release build
// ignores the variable (main_secrets.go).
func secretStore(home string) auth.SecretStore {
	switch os.Getenv("PRACTICEPOST_SECRETS") {
	case "memory":
		return auth.NewMemoryStore()
	case "file":
		return newFileSecrets(filepath.Join(home, "dev-secrets.json"))
	}
	return auth.NewKeyringStore(home)
}

// fileSecrets is a keychain stand-in for tests: a JSON file readable only
// by its owner, rewritten whole on every change.
type fileSecrets struct {
	mu   sync.Mutex
	path string
	mem  *auth.MemoryStore // answers reads, with the keychain's own errors
	all  map[string]string
}

func newFileSecrets(path string) *fileSecrets {
	s := &fileSecrets{path: path, mem: auth.NewMemoryStore(), all: map[string]string{}}
	if b, err := os.ReadFile(path); err == nil {
		_ = json.Unmarshal(b, &s.all)
	}
	for k, v := range s.all {
		_ = s.mem.Set(k, v)
	}
	return s
}

func (s *fileSecrets) Get(key string) (string, error) { return s.mem.Get(key) }

func (s *fileSecrets) Set(key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.mem.Set(key, value); err != nil {
		return err
	}
	s.all[key] = value
	return s.save()
}

func (s *fileSecrets) Delete(key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.mem.Delete(key); err != nil {
		return err
	}
	delete(s.all, key)
	return s.save()
}

func (s *fileSecrets) save() error {
	b, err := json.Marshal(s.all)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(s.path), 0o700); err != nil {
		return err
	}
	return os.WriteFile(s.path, b, 0o600)
}
