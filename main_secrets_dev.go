//go:build dev

package main

import (
	"os"

	"practicepost/app/auth"
	"practicepost/app/devkeys"
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
		return devkeys.In(home)
	}
	return auth.NewKeyringStore(home)
}
