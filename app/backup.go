package app

import (
	"time"
)

// BackupFile describes one backup on disk.
type BackupFile struct {
	Path      string    `json:"path"`
	Name      string    `json:"name"`
	Size      int64     `json:"size"`
	Modified  time.Time `json:"modified"`
	Automatic bool      `json:"automatic"`
}
