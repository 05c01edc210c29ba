package store

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
)

func TestConstraintKindsByResultCode(t *testing.T) {
	ctx := context.Background()
	d, err := Open(ctx, filepath.Join(t.TempDir(), FileName), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	exec := func(q string, args ...any) error {
		_, err := d.db.ExecContext(ctx, q, args...)
		return err
	}
	for _, tc := range []struct {
		name, want string
		err        error
	}{
		{"foreign key", constraintForeignKey, exec("INSERT INTO testimonials (patient_id, created_at) VALUES (999, 'x')")},
		{"unique", constraintUnique, exec("INSERT INTO app_state (key, value) VALUES ('seal.check', 'x')")},
		{"check", constraintCheck, exec("INSERT INTO brand_kit (id, color_primary, color_secondary, color_accent, color_text, color_background, heading_font, body_font, updated_at) VALUES (2, '', '', '', '', '', '', '', '')")},
		{"not null is none of these", "", exec("INSERT INTO app_state (key, value) VALUES ('k', NULL)")},
		{"not a database error", "", errors.New("FOREIGN KEY constraint failed")},
	} {
		if tc.err == nil && tc.want != "" {
			t.Fatalf("%s: the statement did not fail", tc.name)
		}
		if got := constraint(tc.err); got != tc.want {
			t.Errorf("%s: %q (%v)", tc.name, got, tc.err)
		}
	}
}
