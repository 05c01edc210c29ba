package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestClassify(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"Permission is hereby granted, free of charge, to any person obtaining a copy", "MIT"},
		{"Apache License\n   Version 2.0, January 2004", "Apache-2.0"},
		{"Redistribution and use in source and binary forms, with or without\nmodification ... Neither the name of Google Inc.", "BSD-3-Clause"},
		{"Redistribution and use in source and binary forms, with or without modification", "BSD-2-Clause"},
		{"Permission to use, copy, modify, and/or distribute this software for any purpose", "ISC"},
		{"Mozilla Public License Version 2.0", "MPL-2.0"},
		{"All rights reserved. Ask us.", "see licence text"},
	} {
		if got := classify(c.text); got != c.want {
			t.Errorf("classify(%q) = %q, want %q", c.text[:20], got, c.want)
		}
	}
}

// writePkg lays out one installed npm package.
func writePkg(t *testing.T, root, name, pkgJSON, licence string) {
	t.Helper()
	dir := filepath.Join(root, "node_modules", name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "package.json"), []byte(pkgJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	if licence != "" {
		if err := os.WriteFile(filepath.Join(dir, "LICENSE"), []byte(licence), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestNPMPackages(t *testing.T) {
	root := t.TempDir()
	lock := `{"lockfileVersion":3,"packages":{"":{"name":"app"},
	 "node_modules/shipped":{"version":"1.2.3"},
	 "node_modules/@scope/nofile":{"version":"2.0.0"},
	 "node_modules/devtool":{"version":"9.9.9","dev":true}}}`
	if err := os.WriteFile(filepath.Join(root, "package-lock.json"), []byte(lock), 0o644); err != nil {
		t.Fatal(err)
	}
	writePkg(t, root, "shipped", `{"license":{"type":"ISC"}}`, "ISC licence text\r\n")
	writePkg(t, root, "@scope/nofile", `{"license":"MIT","author":{"name":"Ada Lovelace"}}`, "")
	libs, err := npmPackages(root)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, l := range libs {
		got[l.Name+" "+l.Version+" "+l.Licence] = l.Text
	}
	if len(got) != 2 {
		t.Fatalf("want the two shipped packages, not the dev tool: %v", got)
	}
	if got["shipped 1.2.3 ISC"] != "ISC licence text" {
		t.Errorf("shipped: %q", got["shipped 1.2.3 ISC"])
	}
	nofile := got["@scope/nofile 2.0.0 MIT"]
	if !strings.Contains(nofile, "includes no licence file") || !strings.Contains(nofile, "Copyright (c) Ada Lovelace") || !strings.Contains(nofile, "Permission is hereby granted") {
		t.Errorf("a package without a licence file gets the MIT text, said as such: %q", nofile)
	}

	// A package that is declared but not installed is an error, not a gap.
	if err := os.RemoveAll(filepath.Join(root, "node_modules", "shipped")); err != nil {
		t.Fatal(err)
	}
	if _, err := npmPackages(root); err == nil || !strings.Contains(err.Error(), "shipped is not installed") {
		t.Errorf("missing package: %v", err)
	}
}

// A non-MIT package without its text cannot be listed honestly: collect
// refuses rather than ship a notice-less entry.
func TestCollectRefusesAMissingText(t *testing.T) {
	root := t.TempDir()
	lock := `{"packages":{"node_modules/closed":{"version":"1.0.0"}}}`
	if err := os.WriteFile(filepath.Join(root, "package-lock.json"), []byte(lock), 0o644); err != nil {
		t.Fatal(err)
	}
	writePkg(t, root, "closed", `{"license":"Apache-2.0"}`, "")
	libs, err := npmPackages(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(libs) != 1 || libs[0].Text != "" {
		t.Fatalf("libs = %+v", libs)
	}
	if _, err := collect(root); err == nil || !strings.Contains(err.Error(), "closed 1.0.0 ships no licence text") {
		t.Errorf("collect: %v", err)
	}
}
