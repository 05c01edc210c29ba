package store_test

import (
	"practicepost/app/devkeys"
	"practicepost/app/seal"
)

// fileKeyring keeps the data key in a file in dir, for tests whose data
// file is opened again by another process.
func fileKeyring(dir string) *seal.Keyring { return seal.NewKeyring(devkeys.In(dir)) }
