package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// repo makes a git repository with one commit in a temporary folder and
// works in it.
func repo(t *testing.T) func(args ...string) string {
	t.Helper()
	dir := t.TempDir()
	t.Chdir(dir)
	g := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.org",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.org", "GIT_CONFIG_GLOBAL=/dev/null")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	g("init", "-q")
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	g("add", "a.txt")
	g("commit", "-q", "-m", "first")
	return g
}

func flags(t *testing.T, file string) (stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	if err := run(file, false, &out, &errb); err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String()
}

func numeric(t *testing.T) string {
	t.Helper()
	var out bytes.Buffer
	if err := run("none.env", true, &out, &out); err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(out.String())
}

func TestVersionFromGit(t *testing.T) {
	g := repo(t)
	commit := g("rev-parse", "--short=7", "HEAD")

	out, lacks := flags(t, "release.env")
	if want := "-X practicepost/app/release.Version=0.0.0-dev+" + commit + " "; !strings.HasPrefix(out, want) {
		t.Fatalf("untagged clone: got %q, want prefix %q", out, want)
	}
	if !strings.Contains(out, "release.Commit="+commit) {
		t.Fatalf("commit missing: %q", out)
	}
	// No configuration: it still builds, and says what it lacks.
	for _, env := range []string{"PRACTICEPOST_X_CLIENT_ID", "PRACTICEPOST_GOOGLE_CLIENT_ID", "PRACTICEPOST_LINKEDIN_CLIENT_ID", "PRACTICEPOST_MICROSOFT_CLIENT_ID", "PRACTICEPOST_UPDATE_FEED_URL"} {
		if !strings.Contains(lacks, env) {
			t.Errorf("lacks does not name %s:\n%s", env, lacks)
		}
	}
	if n := numeric(t); n != "0.0.0" {
		t.Fatalf("numeric untagged = %q", n)
	}

	g("tag", "v1.4.2")
	if out, _ := flags(t, "release.env"); !strings.Contains(out, "release.Version=1.4.2 ") {
		t.Fatalf("on the tag: %q", out)
	}
	if n := numeric(t); n != "1.4.2" {
		t.Fatalf("numeric on tag = %q", n)
	}

	g("commit", "-q", "--allow-empty", "-m", "second")
	c2 := g("rev-parse", "--short=7", "HEAD")
	if out, _ := flags(t, "release.env"); !strings.Contains(out, "release.Version=1.4.2+1."+c2+" ") {
		t.Fatalf("after the tag: %q", out)
	}

	// A changed tracked file marks the build dirty.
	if err := os.WriteFile("a.txt", []byte("b"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, _ := flags(t, "release.env"); !strings.Contains(out, "release.Version=1.4.2+1."+c2+".dirty ") {
		t.Fatalf("dirty: %q", out)
	}
}

func TestReleaseConfiguration(t *testing.T) {
	repo(t)
	if err := os.WriteFile("release.env", []byte("# PracticePost's registrations\nPRACTICEPOST_X_CLIENT_ID=x-123\nPRACTICEPOST_GOOGLE_CLIENT_ID=\"g-456.apps.googleusercontent.com\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PRACTICEPOST_X_CLIENT_ID", "x-from-env") // the environment wins
	out, lacks := flags(t, "release.env")
	for _, want := range []string{"release.XClientID=x-from-env", "release.GoogleClientID=g-456.apps.googleusercontent.com"} {
		if !strings.Contains(out, want) {
			t.Errorf("flags lack %s: %q", want, out)
		}
	}
	if strings.Contains(lacks, "PRACTICEPOST_X_CLIENT_ID") || strings.Contains(lacks, "PRACTICEPOST_GOOGLE_CLIENT_ID") {
		t.Errorf("lacks names a set value:\n%s", lacks)
	}
	if !strings.Contains(lacks, "PRACTICEPOST_MICROSOFT_CLIENT_ID") {
		t.Errorf("lacks misses Microsoft:\n%s", lacks)
	}

	// A misspelt name stops the build instead of leaving a sign-in out.
	if err := os.WriteFile("release.env", []byte("PRACTICEPOST_X_CLIENTID=x\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := run("release.env", false, &b, &b); err == nil || !strings.Contains(err.Error(), "PRACTICEPOST_X_CLIENTID") {
		t.Fatalf("misspelt name: %v", err)
	}
	// A value that would split -ldflags is refused.
	t.Setenv("PRACTICEPOST_X_CLIENT_ID", "x 1")
	if err := os.Remove("release.env"); err != nil {
		t.Fatal(err)
	}
	if err := run("release.env", false, &b, &b); err == nil || !strings.Contains(err.Error(), "PRACTICEPOST_X_CLIENT_ID") {
		t.Fatalf("space in value: %v", err)
	}
}
