// Package autostart starts PracticePost when the user signs in to the
// computer, the way each system expects: the Run key on Windows, a
// LaunchAgent on macOS, an XDG autostart entry on Linux. Scheduled posts
// go out only while PracticePost runs, so a practice that schedules posts
// wants it running after every restart.
package autostart

import (
	"fmt"
	"html"
	"os"
	"regexp"
	"strings"
)

// Flag is passed to the app when the system starts it at login: the window
// then opens minimised instead of in the manager's face.
const Flag = "--at-login"

// Name is the entry's name in every system's list of login items.
const Name = "PracticePost"

// Login is this system's login items for one user.
type Login interface {
	// Enabled reports whether PracticePost starts at login, and with
	// which program (it may be an old copy's path).
	Enabled() (bool, string, error)
	// Enable makes exe start at login (with Flag); Disable stops it.
	Enable(exe string) error
	Disable() error
}

// Executable is the running program, as the login item should start it.
func Executable() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("PracticePost could not tell where it is installed: %w", err)
	}
	return exe, nil
}

// DesktopEntry is the XDG autostart file for exe.
func DesktopEntry(exe string) string {
	return "[Desktop Entry]\nType=Application\nName=" + Name + "\n" +
		"Comment=Sends the practice's scheduled posts\n" +
		"Exec=" + desktopQuote(exe) + " " + Flag + "\n" +
		"Terminal=false\nX-GNOME-Autostart-enabled=true\n"
}

// desktopQuote quotes an Exec argument as the desktop entry specification
// asks: inside double quotes, ", `, $ and \ take a backslash, and the file
// format's own escaping doubles every backslash again.
func desktopQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '`', '$', '\\':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return strings.ReplaceAll(b.String(), `\`, `\\`)
}

// ExecFromDesktopEntry reads the program back out of an entry DesktopEntry
// wrote ("" when it is not one).
func ExecFromDesktopEntry(text string) string {
	for _, line := range strings.Split(text, "\n") {
		v, ok := strings.CutPrefix(line, "Exec=")
		if !ok {
			continue
		}
		v = strings.TrimSuffix(v, " "+Flag)
		v = strings.ReplaceAll(v, `\\`, `\`)
		if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
			return ""
		}
		var b strings.Builder
		inner := v[1 : len(v)-1]
		for i := 0; i < len(inner); i++ {
			if inner[i] == '\\' && i+1 < len(inner) {
				i++
			}
			b.WriteByte(inner[i])
		}
		return b.String()
	}
	return ""
}

// LaunchAgentLabel is the macOS LaunchAgent's label and file name.
const LaunchAgentLabel = "app.practicepost.login"

// LaunchAgent is the macOS LaunchAgent property list for exe (the program
// inside the .app bundle).
func LaunchAgent(exe string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>` + LaunchAgentLabel + `</string>
	<key>ProgramArguments</key>
	<array>
		<string>` + xmlEscape(exe) + `</string>
		<string>` + Flag + `</string>
	</array>
	<key>RunAtLoad</key>
	<true/>
	<key>ProcessType</key>
	<string>Interactive</string>
</dict>
</plist>
`
}

var firstArg = regexp.MustCompile(`<key>ProgramArguments</key>\s*<array>\s*<string>([^<]*)</string>`)

// ExecFromLaunchAgent reads the program back out of a LaunchAgent.
func ExecFromLaunchAgent(text string) string {
	m := firstArg.FindStringSubmatch(text)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace(s)
}

// RunValue is the Windows Run key's value for exe.
func RunValue(exe string) string { return `"` + exe + `" ` + Flag }

// ExecFromRunValue reads the program back out of a Run value.
func ExecFromRunValue(v string) string {
	v = strings.TrimSuffix(strings.TrimSpace(v), " "+Flag)
	return strings.Trim(v, `"`)
}
