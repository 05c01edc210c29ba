package assets

import (
	_ "embed"
	"encoding/json"
)

// Library is one library compiled into PracticePost and the licence it is
// used under. cmd/licences writes the list; most of these licences ask that
// their text travel with the program, so Text holds it in full.
type Library struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	Ecosystem string `json:"ecosystem"` // "Go" or "npm"
	Licence   string `json:"licence"`   // an SPDX identifier where one fits
	Text      string `json:"text"`
}

//go:embed licences/third-party.json
var thirdParty []byte

// Libraries lists the libraries PracticePost ships, Go first, each by name.
func Libraries() ([]Library, error) {
	var libs []Library
	if err := json.Unmarshal(thirdParty, &libs); err != nil {
		return nil, err
	}
	return libs, nil
}
