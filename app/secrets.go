package app

// Secrets is the part of the OS keychain that keeps named secrets, all
// that the activity log's key (audit) and the data key (seal) need;
// auth.SecretStore is the whole keychain and can also delete. Get returns
// an error with code ENOTFOUND for a missing key.
type Secrets interface {
	Get(key string) (string, error)
	Set(key, value string) error
}
