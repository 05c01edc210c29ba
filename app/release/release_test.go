package release

import (
	"strings"
	"testing"
)

func TestDerive(t *testing.T) {
	for _, c := range []struct{ describe, commit, want string }{
		{"v1.2.0-0-gabc1234", "abc1234", "1.2.0"},
		{"v1.2.0-3-gdef5678", "def5678", "1.2.0+3.def5678"},
		{"v1.2.0-0-gabc1234-dirty", "abc1234", "1.2.0+0.abc1234.dirty"},
		{"v2.0.0-rc.1-0-gabc1234", "abc1234", "2.0.0-rc.1"},
		{"", "abc1234", "0.0.0-dev+abc1234"},
		{"\n", "abc1234\n", "0.0.0-dev+abc1234"},
	} {
		got, err := Derive(c.describe, c.commit)
		if err != nil || got != c.want {
			t.Errorf("Derive(%q, %q) = %q, %v; want %q", c.describe, c.commit, got, err, c.want)
		}
		if _, err := ParseSemver(got); err != nil {
			t.Errorf("%q is not semver: %v", got, err)
		}
	}
	for _, c := range []struct{ describe, commit string }{
		{"release-5-gabc1234", "abc1234"}, // not a version tag
		{"v1.2-0-gabc1234", "abc1234"},
		{"", ""}, // not a git clone
		{"", "not-hex"},
	} {
		if got, err := Derive(c.describe, c.commit); err == nil {
			t.Errorf("Derive(%q, %q) = %q, want an error", c.describe, c.commit, got)
		}
	}
}

func TestCompare(t *testing.T) {
	order := []string{"0.0.0-dev+abc", "0.9.9", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0"}
	for i := range order {
		for j := range order {
			a, err := ParseSemver(order[i])
			if err != nil {
				t.Fatal(err)
			}
			b, _ := ParseSemver(order[j])
			want := cmp(i, j)
			if got := Compare(a, b); got != want {
				t.Errorf("Compare(%s, %s) = %d, want %d", order[i], order[j], got, want)
			}
		}
	}
	a, _ := ParseSemver("1.2.0+3.abc")
	b, _ := ParseSemver("v1.2.0")
	if Compare(a, b) != 0 {
		t.Error("build metadata must not change precedence")
	}
	for _, bad := range []string{"", "1.2", "1.2.x", "01.2.3.4", "latest"} {
		if _, err := ParseSemver(bad); err == nil {
			t.Errorf("ParseSemver(%q) accepted", bad)
		}
	}
}

func TestParseEnvFile(t *testing.T) {
	got, err := ParseEnvFile("# comment\n\nexport PRACTICEPOST_X_CLIENT_ID = 'x1'\nPRACTICEPOST_META_APP_ID=\"42\"\nPRACTICEPOST_LINKEDIN_CLIENT_ID=\n")
	if err != nil {
		t.Fatal(err)
	}
	if got["PRACTICEPOST_X_CLIENT_ID"] != "x1" || got["PRACTICEPOST_META_APP_ID"] != "42" || got["PRACTICEPOST_LINKEDIN_CLIENT_ID"] != "" {
		t.Fatalf("got %v", got)
	}
	for _, bad := range []string{"PRACTICEPOST_X_CLIENT_ID", "X_CLIENT_ID=1", "PATH=/bin"} {
		if _, err := ParseEnvFile(bad); err == nil {
			t.Errorf("ParseEnvFile(%q) accepted", bad)
		}
	}
}

func TestMissing(t *testing.T) {
	saved := XClientID
	t.Cleanup(func() { XClientID, GoogleClientID = saved, "" })
	XClientID, GoogleClientID = "", ""
	names := func(screen string) string {
		var n []string
		for _, s := range Missing(screen) {
			n = append(n, s.Name)
			if s.Otherwise == "" || s.Screen == "" || s.Key == "" {
				t.Errorf("%s says nothing to do", s.Name)
			}
		}
		return strings.Join(n, ", ")
	}
	if got := names("Channels"); !strings.Contains(got, "X") || !strings.Contains(got, "Google Business Profile") || strings.Contains(got, "Gmail") {
		t.Fatalf("Channels: %s", got)
	}
	if got := names("Mailbox"); !strings.Contains(got, "Gmail") || !strings.Contains(got, "Microsoft") || strings.Contains(got, "Business Profile") {
		t.Fatalf("Mailbox: %s", got)
	}
	XClientID, GoogleClientID = "x", "g"
	if got := names(""); strings.Contains(got, "X,") || strings.Contains(got, "Google") {
		t.Fatalf("with X and Google set: %s", got)
	}
	// Every setting the list has is one -ldflags can set.
	for _, s := range Settings() {
		if !strings.HasPrefix(s.Var, "practicepost/app/release.") || !strings.HasPrefix(s.Env, "PRACTICEPOST_") {
			t.Errorf("setting %+v", s)
		}
	}
}

func TestLDFlags(t *testing.T) {
	b := Build{Version: "1.2.0", Commit: "abc1234", Date: "2026-12-06T06:00:00Z",
		Values: map[string]string{"PRACTICEPOST_MICROSOFT_CLIENT_ID": "ms-1", "PRACTICEPOST_UPDATE_FEED_URL": "https://example.org/feed.json"}}
	f, err := b.LDFlags()
	if err != nil {
		t.Fatal(err)
	}
	want := "-X practicepost/app/release.Version=1.2.0 -X practicepost/app/release.Commit=abc1234 -X practicepost/app/release.BuildDate=2026-12-06T06:00:00Z " +
		"-X practicepost/app/release.MicrosoftMailClientID=ms-1 -X practicepost/app/release.UpdateFeedURL=https://example.org/feed.json"
	if f != want {
		t.Fatalf("got  %s\nwant %s", f, want)
	}
	lacks := strings.Join(b.Lacks(), "\n")
	if !strings.Contains(lacks, "go together") || strings.Contains(lacks, "MICROSOFT") {
		t.Fatalf("lacks: %s", lacks)
	}
}
