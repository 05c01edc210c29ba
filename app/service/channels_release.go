//go:build !dev

package service

import "practicepost/app/auth"

// NewSecretStore is where connected accounts keep their sign-ins: the OS
// keychain (large values encrypted in files under home, keyed from it).
func NewSecretStore(home string) auth.SecretStore { return auth.NewKeyringStore(home) }

func devChannelDefaults(*ChannelService) {}

func (s *ChannelService) openBrowser(url string) error {
	if s.OpenBrowser == nil {
		return errNoBrowser
	}
	return s.OpenBrowser(url)
}
