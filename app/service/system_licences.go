package service

import (
	"practicepost/app"
	"practicepost/assets"
)

// Licences lists the libraries compiled into PracticePost with their
// licences' full texts, for Settings → Updates → About.
func (s *SystemService) Licences() ([]assets.Library, error) {
	// Like every screen but the lock's, not while the app is locked.
	if err := s.c.manager(); err != nil {
		return nil, err
	}
	libs, err := assets.Libraries()
	if err != nil {
		return nil, app.Errorf(app.EINTERNAL, "PracticePost could not read its list of licences (%v). Reinstall PracticePost to restore it.", err)
	}
	return libs, nil
}
