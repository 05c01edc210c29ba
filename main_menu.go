package main

import (
	"github.com/wailsapp/wails/v2/pkg/menu"
	"github.com/wailsapp/wails/v2/pkg/menu/keys"
)

// appMenu is the application menu. "Quit PracticePost" (⌘Q, Ctrl+Q) ends
// the app even while posts wait, when closing the window only hides it. On
// macOS the web view gets copy, paste, undo and select-all shortcuts only
// through an Edit menu, so the standard one is added there.
func appMenu(goos string, quit func()) *menu.Menu {
	m := menu.NewMenu()
	app := m.AddSubmenu("PracticePost")
	app.AddText("Quit PracticePost", keys.CmdOrCtrl("q"), func(*menu.CallbackData) { quit() })
	if goos == "darwin" {
		m.Append(menu.EditMenu())
	}
	return m
}
