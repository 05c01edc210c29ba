//go:build dev

package main

import (
	"os"

	"practicepost/app/auth"
)

// secretStore in the development build honours PRACTICEPOST_SECRETS=memory,
// so the end-to-end tests run on machines without a keychain service. The
// release build ignores the variable (main_secrets.go).
func secretStore(home string) auth.SecretStore {
	if os.Getenv("PRACTICEPOST_SECRETS") == "memory" {
		return auth.NewMemoryStore()
	}
	return auth.NewKeyringStore(home)
}
