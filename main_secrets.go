//go:build !dev

package main

import "practicepost/app/auth"

// secretStore is where passwords and tokens live: the OS keychain. Only the
// development build (main_secrets_dev.go) can be told to keep them in memory.
func secretStore(home string) auth.SecretStore { return auth.NewKeyringStore(home) }
