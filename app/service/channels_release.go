//go:build !dev

package service

func devChannelDefaults(*ChannelService) {}

func (s *ChannelService) openBrowser(url string) error {
	if s.OpenBrowser == nil {
		return errNoBrowser
	}
	return s.OpenBrowser(url)
}
