// Package devkeys is a keychain kept in a private JSON file, for the
// development build (PRACTICEPOST_SECRETS=file), cmd/seed and tests whose
// data file must open again in another process or after a "restart" on
// machines without a keychain service. The release build never imports it:
// there the keys live in the OS keychain only.
package devkeys

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sync"

	"practicepost/app"
)

// FileName is the file the development build keeps in the data folder.
const FileName = "dev-secrets.json"

// File is the keychain in one file: a JSON object of name → value, private
// to its owner, read on every lookup (so another process's writes are
// seen) and rewritten whole on every change.
type File struct {
	mu   sync.Mutex
	path string
}

// Open returns the keychain file at path; it need not exist yet.
func Open(path string) *File { return &File{path: path} }

// In returns the keychain file of a data folder.
func In(home string) *File { return Open(filepath.Join(home, FileName)) }

func (f *File) load() (map[string]string, error) {
	m := map[string]string{}
	b, err := os.ReadFile(f.path)
	if os.IsNotExist(err) {
		return m, nil
	} else if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, app.Internal(err, "The development keychain file "+f.path+" is damaged.")
	}
	return m, nil
}

// Get returns the value of key, or an error with code app.ENOTFOUND.
func (f *File) Get(key string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.load()
	if err != nil {
		return "", err
	}
	v, ok := m[key]
	if !ok {
		return "", app.Errorf(app.ENOTFOUND, "PracticePost has no saved %s.", key)
	}
	return v, nil
}

// Set saves key.
func (f *File) Set(key, value string) error {
	return f.change(func(m map[string]string) { m[key] = value })
}

// Delete removes key; a missing key is not an error.
func (f *File) Delete(key string) error {
	return f.change(func(m map[string]string) { delete(m, key) })
}

func (f *File) change(fn func(map[string]string)) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m, err := f.load()
	if err != nil {
		return err
	}
	fn(m)
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		return err
	}
	tmp := f.path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, f.path)
}
