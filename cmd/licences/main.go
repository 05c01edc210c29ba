// Command licences writes assets/licences/third-party.json: every library
// compiled into PracticePost (the Go modules of the Windows, macOS and
// Linux builds, the Go standard library, and the npm packages the frontend
// ships) with its version, its licence and the licence's full text, which
// most of these licences require to travel with the program. Settings →
// Updates → About shows it. `make check-licences` (part of `make test`)
// runs it again and fails when the committed file is out of date, so a new
// dependency cannot ship without its notice.
//
// Usage: go run ./cmd/licences [-out FILE] [-frontend DIR]
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"practicepost/assets"
)

func main() {
	out := flag.String("out", "assets/licences/third-party.json", "file to write")
	frontend := flag.String("frontend", "frontend", "the frontend folder, with node_modules installed")
	flag.Parse()
	libs, err := collect(*frontend)
	if err == nil {
		err = write(*out, libs)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "licences:", err)
		os.Exit(1)
	}
	fmt.Printf("licences: %d libraries written to %s\n", len(libs), *out)
}

func collect(frontend string) ([]assets.Library, error) {
	goLibs, err := goModules()
	if err != nil {
		return nil, err
	}
	npmLibs, err := npmPackages(frontend)
	if err != nil {
		return nil, err
	}
	libs := append(goLibs, npmLibs...)
	sort.Slice(libs, func(i, j int) bool {
		if libs[i].Ecosystem != libs[j].Ecosystem {
			return libs[i].Ecosystem < libs[j].Ecosystem
		}
		if libs[i].Name != libs[j].Name {
			return libs[i].Name < libs[j].Name
		}
		return libs[i].Version < libs[j].Version // two copies of one npm package
	})
	for _, l := range libs {
		if l.Text == "" {
			return nil, fmt.Errorf("%s %s %s ships no licence text: add it by hand to this command, or drop the dependency", l.Ecosystem, l.Name, l.Version)
		}
	}
	return libs, nil
}

func write(path string, libs []assets.Library) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", " ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(libs); err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, buf.Bytes(), 0o644)
}

// builds are the targets a practice may run: a module linked only on
// Windows still ships in the Windows installer.
var builds = []struct{ goos, goarch, tags string }{
	{"windows", "amd64", ""},
	{"darwin", "arm64", ""},
	{"linux", "amd64", "webkit2_41"},
}

const listFormat = `{{if not .Standard}}{{with .Module}}{{if not .Main}}{{.Path}}	{{.Version}}	{{.Dir}}{{with .Replace}}	{{.Path}}	{{.Version}}	{{.Dir}}{{end}}
{{end}}{{end}}{{end}}`

func goModules() ([]assets.Library, error) {
	seen := map[string]assets.Library{}
	for _, b := range builds {
		cmd := exec.Command("go", "list", "-deps", "-tags", b.tags, "-f", listFormat, ".")
		cmd.Env = append(os.Environ(), "GOOS="+b.goos, "GOARCH="+b.goarch, "CGO_ENABLED=1")
		cmd.Stderr = os.Stderr
		outb, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("go list for %s/%s: %w", b.goos, b.goarch, err)
		}
		for _, line := range strings.Split(string(outb), "\n") {
			f := strings.Split(line, "\t")
			if len(f) < 3 {
				continue
			}
			path, version, dir := f[0], f[1], f[2]
			if len(f) == 6 { // a replaced module ships the replacement's code
				version, dir = f[4], f[5]
			}
			if _, ok := seen[path]; ok {
				continue
			}
			if dir == "" {
				return nil, fmt.Errorf("module %s %s is not downloaded: run go mod download", path, version)
			}
			text, err := licenceText(dir)
			if err != nil {
				return nil, fmt.Errorf("module %s: %w", path, err)
			}
			seen[path] = assets.Library{Name: path, Version: version, Ecosystem: "Go", Licence: classify(mainLicence(text)), Text: text}
		}
	}
	root, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return nil, err
	}
	version, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		return nil, err
	}
	std, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(root)), "LICENSE"))
	if err != nil {
		return nil, fmt.Errorf("the Go standard library's licence: %w", err)
	}
	libs := []assets.Library{{Name: "Go standard library", Version: strings.TrimSpace(string(version)), Ecosystem: "Go", Licence: classify(string(std)), Text: normalise(string(std))}}
	for _, l := range seen {
		libs = append(libs, l)
	}
	return libs, nil
}

// npmPackages lists the packages the frontend bundle is built from: every
// package in the lock file that is not a development tool.
func npmPackages(frontend string) ([]assets.Library, error) {
	raw, err := os.ReadFile(filepath.Join(frontend, "package-lock.json"))
	if err != nil {
		return nil, err
	}
	var lock struct {
		Packages map[string]struct {
			Version string `json:"version"`
			Dev     bool   `json:"dev"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(raw, &lock); err != nil {
		return nil, fmt.Errorf("package-lock.json: %w", err)
	}
	var libs []assets.Library
	for key, p := range lock.Packages {
		if key == "" || p.Dev {
			continue
		}
		dir := filepath.Join(frontend, filepath.FromSlash(key))
		name := key[strings.LastIndex(key, "node_modules/")+len("node_modules/"):]
		var meta struct {
			Author   json.RawMessage `json:"author"`
			License  json.RawMessage `json:"license"`
			Licenses []struct {
				Type string `json:"type"`
			} `json:"licenses"`
		}
		pj, err := os.ReadFile(filepath.Join(dir, "package.json"))
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s is not installed: run npm ci in %s", name, frontend)
		} else if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(pj, &meta); err != nil {
			return nil, fmt.Errorf("%s/package.json: %w", name, err)
		}
		declared := stringOr(meta.License, "type")
		if declared == "" && len(meta.Licenses) > 0 {
			declared = meta.Licenses[0].Type
		}
		text, err := licenceText(dir)
		if err != nil {
			return nil, fmt.Errorf("npm package %s: %w", name, err)
		}
		if declared == "" {
			declared = classify(mainLicence(text))
		}
		if text == "" && declared == "MIT" {
			text = mitFor(stringOr(meta.Author, "name"))
		}
		libs = append(libs, assets.Library{Name: name, Version: p.Version, Ecosystem: "npm", Licence: declared, Text: text})
	}
	return libs, nil
}

// mitFor is the MIT licence's standard text for a package that declares it
// in package.json but ships no licence file, said as such.
func mitFor(holder string) string {
	if holder == "" {
		holder = "the package's authors"
	}
	return "This package declares the MIT licence in its package.json but includes no licence file. " +
		"The MIT licence's standard text follows, with the author it names.\n\n" +
		"Copyright (c) " + holder + "\n\n" + mitText
}

const mitText = `Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`

// stringOr reads a package.json field that is either a string or an
// object holding the string under key ("license": {"type": ...},
// "author": {"name": ...}); "" when it is neither.
func stringOr(raw json.RawMessage, key string) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var o map[string]any
	_ = json.Unmarshal(raw, &o)
	v, _ := o[key].(string)
	return v
}

var licenceFile = regexp.MustCompile(`(?i)^(licen[cs]e|copying|notice)([-._].*)?$`)

// licenceText joins the licence and notice files at the top of a module or
// package, in name order.
func licenceText(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var parts []string
	for _, e := range entries {
		if e.IsDir() || !licenceFile.MatchString(e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return "", err
		}
		parts = append(parts, normalise(string(b)))
	}
	return strings.Join(parts, partBreak), nil
}

// partBreak joins a module's licence files; the first (LICENSE sorts
// before LICENSE-THIRD-PARTY and NOTICE) is the module's own licence.
const partBreak = "\n\n-----\n\n"

func mainLicence(text string) string {
	first, _, _ := strings.Cut(text, partBreak)
	return first
}

func normalise(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// classify names a licence from its text, for the list; the text itself is
// what is shown and what counts.
func classify(text string) string {
	t := strings.Join(strings.Fields(text), " ")
	has := func(s string) bool { return strings.Contains(t, s) }
	switch {
	case has("Apache License") && has("Version 2.0"):
		return "Apache-2.0"
	case has("Mozilla Public License Version 2.0"):
		return "MPL-2.0"
	case has("Permission is hereby granted, free of charge"):
		return "MIT"
	case has("Permission to use, copy, modify, and/or distribute"), has("Permission to use, copy, modify, and distribute"):
		return "ISC"
	case has("Redistribution and use in source and binary forms") && (has("Neither the name") || has("names of its contributors")):
		return "BSD-3-Clause"
	case has("Redistribution and use in source and binary forms"):
		return "BSD-2-Clause"
	case has("SIL OPEN FONT LICENSE"):
		return "OFL-1.1"
	}
	return "see licence text"
}
