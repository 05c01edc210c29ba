// Command releaseflags prints the -ldflags for a release build: the
// version and commit from git and the release configuration from the
// environment or release.env (the environment wins). What the build will
// lack goes to standard error; a build without any configuration still
// builds. `releaseflags -numeric` prints MAJOR.MINOR.PATCH for Windows'
// version resources and the installer.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"strings"
	"time"

	"practicepost/app/release"
)

func main() {
	file := flag.String("config", "release.env", "release configuration file (optional)")
	numeric := flag.Bool("numeric", false, "print MAJOR.MINOR.PATCH only")
	flag.Parse()
	if err := run(*file, *numeric, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "releaseflags:", err)
		os.Exit(1)
	}
}

func run(file string, numeric bool, stdout, stderr io.Writer) error {
	describe, _ := git("describe", "--tags", "--long", "--match", "v[0-9]*", "--dirty", "--abbrev=7")
	commit, err := git("rev-parse", "--short=7", "HEAD")
	if err != nil {
		return fmt.Errorf("git rev-parse: %w (build from a git clone)", err)
	}
	version, err := release.Derive(describe, commit)
	if err != nil {
		return err
	}
	if numeric {
		v, err := release.ParseSemver(version)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, v.Numeric())
		return nil
	}
	values := map[string]string{}
	text, err := os.ReadFile(file)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	default:
		if values, err = release.ParseEnvFile(string(text)); err != nil {
			return err
		}
	}
	for _, s := range release.Settings() {
		if v, ok := os.LookupEnv(s.Env); ok {
			values[s.Env] = v
		}
	}
	b := release.Build{Version: version, Commit: commit, Date: time.Now().UTC().Format(time.RFC3339), Values: values}
	flags, err := b.LDFlags()
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "Release %s (commit %s).\n", version, commit)
	for _, l := range b.Lacks() {
		fmt.Fprintln(stderr, "  This build lacks:", l)
	}
	fmt.Fprintln(stdout, flags)
	return nil
}

func git(args ...string) (string, error) {
	out, err := exec.Command("git", args...).Output()
	return strings.TrimSpace(string(out)), err
}
