// Package storetest opens throwaway data files for the tests of any
// package: the store's own, the gate's, the mail benchmarks'. It is test
// support only; the app never imports it.
package storetest

import (
	"context"
	"path/filepath"
	"testing"

	"practicepost/app"
	"practicepost/app/consent"
	"practicepost/app/store"
)

// Open is a fresh data file in a temporary directory, read by clock (nil:
// the system clock), closed when the test ends.
func Open(tb testing.TB, clock app.Clock) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), store.FileName), clock)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Template stores the consent templates PracticePost ships in db and
// returns country's.
func Template(tb testing.TB, db *store.DB, country string) app.ConsentTemplate {
	tb.Helper()
	ts, err := consent.ShippedTemplates()
	if err != nil {
		tb.Fatal(err)
	}
	if err := db.EnsureTemplates(context.Background(), ts); err != nil {
		tb.Fatal(err)
	}
	for _, x := range ts {
		if x.Country == country {
			return x
		}
	}
	tb.Fatalf("no %s consent template is shipped", country)
	return app.ConsentTemplate{}
}
