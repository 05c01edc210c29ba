// Command seed writes a realistic sample practice into a PracticePost data
// folder: patients, signed consents with drawn signatures and photos,
// testimonials, withdrawals, drafts, scheduled and published posts. It goes
// through the app's own code (app/store, and app/consent for signing, the
// evidence hash and the signed PDF), so what it writes is what the app
// would have written. The same -seed gives the same practice.
//
//	go run ./cmd/seed -home DIR -patients N [-seed S] [-names-out FILE] [-secrets keyring|file|memory]
//
// -names-out lists the seeded patients' full names, one per line, for
// checks that search the files for them. -secrets chooses where the
// activity log's key goes: the OS keychain (what the release app uses),
// the development build's file keychain (dev-secrets.json in the data
// folder, PRACTICEPOST_SECRETS=file), or memory (the log can then not be
// verified by the app later).
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "seed:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	home := fs.String("home", "", "data folder to write the practice into (required; created if missing)")
	patients := fs.Int("patients", 50, "number of patients")
	seed := fs.Int64("seed", 1, "random seed: the same seed writes the same practice")
	namesOut := fs.String("names-out", "", "write the seeded patients' full names here, one per line")
	secrets := fs.String("secrets", "keyring", "where the activity log's key goes: keyring, file or memory")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *home == "" || *patients < 0 {
		fs.Usage()
		return fmt.Errorf("-home is required and -patients must be 0 or more")
	}
	start := time.Now()
	sum, err := Seed(ctx, Options{Home: *home, Patients: *patients, Seed: *seed, NamesOut: *namesOut, Secrets: *secrets})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "seeded %d patients, %d consents (%d withdrawn), %d testimonials, %d photos, %d drafts (%d scheduled, %d published) in %s\n",
		sum.Patients, sum.Consents, sum.Withdrawn, sum.Testimonials, sum.Photos, sum.Drafts, sum.Scheduled, sum.Published, time.Since(start).Round(time.Millisecond))
	return nil
}
