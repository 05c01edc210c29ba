package main

import (
	"testing"

	"github.com/wailsapp/wails/v2/pkg/menu"
	"github.com/wailsapp/wails/v2/pkg/menu/keys"
)

func TestAppMenu(t *testing.T) {
	for _, tc := range []struct {
		goos string
		edit bool
	}{{"darwin", true}, {"windows", false}, {"linux", false}} {
		t.Run(tc.goos, func(t *testing.T) {
			quits := 0
			m := appMenu(tc.goos, func() { quits++ })
			if len(m.Items) == 0 || m.Items[0].Label != "PracticePost" || m.Items[0].SubMenu == nil {
				t.Fatalf("first menu %+v, want the PracticePost menu", m.Items)
			}
			var quit *menu.MenuItem
			for _, it := range m.Items[0].SubMenu.Items {
				if it.Label == "Quit PracticePost" {
					quit = it
				}
			}
			if quit == nil {
				t.Fatal("no Quit PracticePost item")
			}
			if quit.Accelerator == nil || quit.Accelerator.Key != "q" || quit.Accelerator.Modifiers[0] != keys.CmdOrCtrlKey {
				t.Errorf("quit shortcut %+v, want CmdOrCtrl+Q", quit.Accelerator)
			}
			quit.Click(&menu.CallbackData{MenuItem: quit})
			if quits != 1 {
				t.Errorf("clicking Quit called quit %d times", quits)
			}
			edit := false
			for _, it := range m.Items {
				if it.Role == menu.EditMenuRole {
					edit = true
				}
			}
			if edit != tc.edit {
				t.Errorf("Edit menu present %v, want %v", edit, tc.edit)
			}
		})
	}
}
