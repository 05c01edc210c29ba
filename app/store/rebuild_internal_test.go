package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// A rebuild runs with foreign keys off, so the store checks them itself
// before committing: a rebuild that leaves a reply pointing at nothing is
// refused and changes nothing, and the connection has its keys back on.
func TestRebuildThatBreaksAReferenceIsRefused(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), FileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	// One connection, so the last check reads the one the rebuild used.
	d.db.SetMaxOpenConns(1)
	exec := func(q string) {
		t.Helper()
		if _, err := d.db.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	exec("CREATE TABLE parents (id INTEGER PRIMARY KEY)")
	exec("CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parents (id))")
	exec("INSERT INTO parents (id) VALUES (1), (2)")
	exec("INSERT INTO children (id, parent_id) VALUES (10, 1), (20, 2)")

	rebuild := func(keep string) migration {
		return migration{version: 99, name: "0099_test", rebuild: true, sql: rebuildMarker + `
CREATE TABLE parents_new (id INTEGER PRIMARY KEY);
INSERT INTO parents_new SELECT id FROM parents WHERE ` + keep + `;
DROP TABLE parents;
ALTER TABLE parents_new RENAME TO parents;`}
	}
	err = d.apply(ctx, rebuild("id = 1"))
	if err == nil || !strings.Contains(err.Error(), "children") {
		t.Fatalf("a rebuild that loses a referenced row: %v", err)
	}
	var n int
	if err := d.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM parents").Scan(&n); err != nil || n != 2 {
		t.Fatalf("parents after the refused rebuild: %d %v", n, err)
	}
	if err := d.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = 99").Scan(&n); err != nil || n != 0 {
		t.Fatalf("the refused rebuild was recorded: %d %v", n, err)
	}

	if err := d.apply(ctx, rebuild("1")); err != nil {
		t.Fatalf("a rebuild that keeps every row: %v", err)
	}
	if _, err := d.db.ExecContext(ctx, "INSERT INTO children (id, parent_id) VALUES (30, 999)"); err == nil {
		t.Fatal("foreign keys are off after the rebuild")
	}
}
