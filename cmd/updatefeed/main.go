// Command updatefeed makes the update signing key and signs the release
// feed PracticePost checks (app/update).
//
//	updatefeed keygen -out feed.key            prints the public key for
//	                                           PRACTICEPOST_UPDATE_PUBLIC_KEY
//	updatefeed sign -key feed.key -version 1.3.0 -installer URL -file PracticePost-amd64-installer.exe \
//	    -page URL -notes "What's new" > feed.json
//
// Keep feed.key offline: whoever holds it can offer any installer to every
// practice.
package main

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"practicepost/app/release"
	"practicepost/app/update"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "updatefeed:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: updatefeed keygen|sign [flags]")
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	switch args[0] {
	case "keygen":
		out := fs.String("out", "feed.key", "where to write the private key (base64)")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		pub, priv, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return err
		}
		f, err := os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return err
		}
		if _, err := f.WriteString(base64.StdEncoding.EncodeToString(priv) + "\n"); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintln(stdout, "PRACTICEPOST_UPDATE_PUBLIC_KEY="+base64.StdEncoding.EncodeToString(pub))
		return nil
	case "sign":
		keyFile := fs.String("key", "feed.key", "private key from keygen")
		var r update.Release
		fs.StringVar(&r.Version, "version", "", "the release's version, e.g. 1.3.0")
		fs.StringVar(&r.Installer, "installer", "", "where the installer is downloaded from")
		file := fs.String("file", "", "the installer, to hash")
		fs.StringVar(&r.Page, "page", "", "the release's web page")
		fs.StringVar(&r.Notes, "notes", "", "what's new, a few plain sentences")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if _, err := release.ParseSemver(r.Version); err != nil {
			return err
		}
		if r.Installer == "" || *file == "" {
			return errors.New("-installer and -file are needed")
		}
		b, err := os.ReadFile(*file)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		r.SHA256 = hex.EncodeToString(sum[:])
		k, err := os.ReadFile(*keyFile)
		if err != nil {
			return err
		}
		priv, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(k)))
		if err != nil || len(priv) != ed25519.PrivateKeySize {
			return errors.New(*keyFile + " is not a key from updatefeed keygen")
		}
		feed, err := update.Sign(r, ed25519.PrivateKey(priv))
		if err != nil {
			return err
		}
		_, err = fmt.Fprintln(stdout, string(feed))
		return err
	}
	return fmt.Errorf("unknown command %q: keygen or sign", args[0])
}
