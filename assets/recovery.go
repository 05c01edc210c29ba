package assets

import _ "embed"

// RecoveryWords is the list a recovery key is written in: 1,024 common
// words, each told apart by its first four letters (package seal).
//
//go:embed recovery/words.txt
var RecoveryWords []byte
