package release

import (
	"bufio"
	"fmt"
	"sort"
	"strings"
)

// ParseEnvFile reads release.env: NAME=value lines, # comments and blank
// lines; values may be quoted. Only the names Settings lists are accepted,
// so a typo is reported instead of silently building without a sign-in.
func ParseEnvFile(text string) (map[string]string, error) {
	known := map[string]bool{}
	for _, s := range Settings() {
		known[s.Env] = true
	}
	out := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		name = strings.TrimSpace(name)
		if !ok {
			return nil, fmt.Errorf("release.env line %d: expected NAME=value", n)
		}
		if !known[name] {
			return nil, fmt.Errorf("release.env line %d: %s is not a release setting (see release.env.example)", n, name)
		}
		value = strings.TrimSpace(value)
		if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
			value = value[1 : len(value)-1]
		}
		out[name] = value
	}
	return out, sc.Err()
}

// Build is what one release build embeds.
type Build struct {
	Version, Commit, Date string
	// Values are the settings by environment variable name; missing or
	// empty ones are left out of the build.
	Values map[string]string
}

// LDFlags is the -X list for go build / wails build -ldflags.
func (b Build) LDFlags() (string, error) {
	flags := []string{}
	add := func(v, value string) error {
		// -ldflags is split on spaces; client ids, URLs and keys have none.
		if strings.ContainsAny(value, " \t\n'\"") {
			return fmt.Errorf("%s has a space or quote in its value", v)
		}
		flags = append(flags, "-X "+v+"="+value)
		return nil
	}
	for _, kv := range [][2]string{{pkg + "Version", b.Version}, {pkg + "Commit", b.Commit}, {pkg + "BuildDate", b.Date}} {
		if kv[1] == "" {
			continue
		}
		if err := add(kv[0], kv[1]); err != nil {
			return "", err
		}
	}
	for _, s := range Settings() {
		if v := b.Values[s.Env]; v != "" {
			if err := add(s.Var, v); err != nil {
				return "", fmt.Errorf("%s: %w", s.Env, err)
			}
		}
	}
	return strings.Join(flags, " "), nil
}

// Lacks says, one line each, which sign-ins a build with these values will
// not offer and which setting would add it.
func (b Build) Lacks() []string {
	var out []string
	for _, s := range Settings() {
		if b.Values[s.Env] != "" || len(s.Enables) == 0 {
			continue
		}
		names := []string{}
		for _, e := range s.Enables {
			names = append(names, e.Name+" ("+e.Screen+")")
		}
		out = append(out, s.Env+" is not set: no "+strings.Join(names, ", "))
	}
	if (b.Values["PRACTICEPOST_UPDATE_FEED_URL"] == "") != (b.Values["PRACTICEPOST_UPDATE_PUBLIC_KEY"] == "") {
		out = append(out, "PRACTICEPOST_UPDATE_FEED_URL and PRACTICEPOST_UPDATE_PUBLIC_KEY go together: without both, no update check")
	} else if b.Values["PRACTICEPOST_UPDATE_FEED_URL"] == "" {
		out = append(out, "PRACTICEPOST_UPDATE_FEED_URL is not set: no update check")
	}
	sort.Strings(out)
	return out
}
