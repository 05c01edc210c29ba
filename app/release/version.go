package release

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// describeRE matches `git describe --tags --long --match 'v[0-9]*'`:
// v1.2.0-3-gabc1234, optionally -dirty.
var describeRE = regexp.MustCompile(`^v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)-(\d+)-g([0-9a-f]+)(-dirty)?$`)

// Derive turns what git says about the checkout into the version shown in
// the app and compared by the update check. describe is the output of `git
// describe --tags --long --match 'v[0-9]*' --dirty` ("" when no tag is
// reachable); commit is the short commit.
//
//	v1.2.0-0-gabc1234        → 1.2.0 (the tagged release)
//	v1.2.0-3-gabc1234        → 1.2.0+3.abc1234 (commits after it: build metadata, so
//	                           the update check never offers 1.2.0 over it)
//	v1.2.0-0-gabc1234-dirty  → 1.2.0+0.abc1234.dirty
//	""                       → 0.0.0-dev+abc1234
func Derive(describe, commit string) (string, error) {
	describe = strings.TrimSpace(describe)
	commit = strings.TrimSpace(commit)
	if describe == "" {
		if !regexp.MustCompile(`^[0-9a-f]{4,40}$`).MatchString(commit) {
			return "", fmt.Errorf("no tag and no commit: build from a git clone")
		}
		return "0.0.0-dev+" + commit, nil
	}
	m := describeRE.FindStringSubmatch(describe)
	if m == nil {
		return "", fmt.Errorf("the tag %q is not a version: tag releases vMAJOR.MINOR.PATCH, for example v1.2.0", describe)
	}
	v, n, c, dirty := m[1], m[2], m[3], m[4] != ""
	if n == "0" && !dirty {
		return v, nil
	}
	meta := n + "." + c
	if dirty {
		meta += ".dirty"
	}
	return v + "+" + meta, nil
}

// Semver is a parsed semantic version; build metadata is ignored, as the
// semver rules say for precedence.
type Semver struct {
	Major, Minor, Patch int
	Pre                 []string
}

var semverRE = regexp.MustCompile(`^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$`)

// ParseSemver reads 1.2.0, v1.2.0, 1.2.0-beta.1 or 1.2.0+3.abc1234.
func ParseSemver(s string) (Semver, error) {
	m := semverRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return Semver{}, fmt.Errorf("%q is not a version like 1.2.0", s)
	}
	var v Semver
	v.Major, _ = strconv.Atoi(m[1])
	v.Minor, _ = strconv.Atoi(m[2])
	v.Patch, _ = strconv.Atoi(m[3])
	if m[4] != "" {
		v.Pre = strings.Split(m[4], ".")
	}
	return v, nil
}

// Numeric is MAJOR.MINOR.PATCH, what Windows' version resources hold.
func (v Semver) Numeric() string { return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch) }

// Compare orders a and b by semver precedence: -1, 0 or 1.
func Compare(a, b Semver) int {
	for _, d := range [][2]int{{a.Major, b.Major}, {a.Minor, b.Minor}, {a.Patch, b.Patch}} {
		if d[0] != d[1] {
			return cmp(d[0], d[1])
		}
	}
	// A pre-release comes before its release.
	switch {
	case len(a.Pre) == 0 && len(b.Pre) == 0:
		return 0
	case len(a.Pre) == 0:
		return 1
	case len(b.Pre) == 0:
		return -1
	}
	for i := 0; i < len(a.Pre) && i < len(b.Pre); i++ {
		x, y := a.Pre[i], b.Pre[i]
		xn, xerr := strconv.Atoi(x)
		yn, yerr := strconv.Atoi(y)
		switch {
		case xerr == nil && yerr == nil:
			if xn != yn {
				return cmp(xn, yn)
			}
		case xerr == nil: // numeric identifiers sort before alphanumeric ones
			return -1
		case yerr == nil:
			return 1
		default:
			if c := strings.Compare(x, y); c != 0 {
				return c
			}
		}
	}
	return cmp(len(a.Pre), len(b.Pre))
}

func cmp(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
