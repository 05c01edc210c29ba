package seal_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"practicepost/app"
	"practicepost/app/seal"
	"practicepost/assets"
)

func mustSealer(t *testing.T, key []byte) *seal.Sealer {
	t.Helper()
	s, err := seal.New(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSealOpensOnlyInItsCell(t *testing.T) {
	k1, _ := seal.NewKey()
	k2, _ := seal.NewKey()
	s, other := mustSealer(t, k1), mustSealer(t, k2)
	cell := seal.Cell{Table: "patients", Column: "full_name", Row: "7"}
	plain := []byte("Margaret Okafor")
	sealed := s.Seal(plain, cell)
	if bytes.Contains(sealed, plain) || !seal.IsSealed(sealed) || len(sealed) != len(plain)+seal.Overhead {
		t.Fatalf("sealed value %x", sealed)
	}
	if again := s.Seal(plain, cell); bytes.Equal(again, sealed) {
		t.Fatal("two seals of one value are identical: the nonce is not fresh")
	}
	got, err := s.Open(sealed, cell)
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("open: %q %v", got, err)
	}
	flipped := bytes.Clone(sealed)
	flipped[len(flipped)-1] ^= 1
	for name, tc := range map[string]struct {
		s     *seal.Sealer
		value []byte
		cell  seal.Cell
	}{
		"another row":      {s, sealed, seal.Cell{Table: "patients", Column: "full_name", Row: "8"}},
		"another column":   {s, sealed, seal.Cell{Table: "patients", Column: "email", Row: "7"}},
		"another table":    {s, sealed, seal.Cell{Table: "testimonials", Column: "full_name", Row: "7"}},
		"another key":      {other, sealed, cell},
		"altered byte":     {s, flipped, cell},
		"plain text":       {s, plain, cell},
		"cut short":        {s, sealed[:20], cell},
		"empty":            {s, nil, cell},
		"row joined early": {s, s.Seal(plain, seal.Cell{Table: "patients", Column: "full_name\x007", Row: ""}), cell},
	} {
		if _, err := tc.s.Open(tc.value, tc.cell); !errors.Is(err, seal.ErrOpen) {
			t.Errorf("%s: opened (%v)", name, err)
		}
	}
	if _, err := seal.New(k1[:16]); err == nil {
		t.Error("a 16-byte key was accepted")
	}
	empty := s.Seal(nil, cell)
	if got, err := s.Open(empty, cell); err != nil || len(got) != 0 {
		t.Errorf("empty value: %q %v", got, err)
	}
}

func TestWordListIsTypable(t *testing.T) {
	words := strings.Fields(string(assets.RecoveryWords))
	if len(words) != 1024 {
		t.Fatalf("%d words, want 1024", len(words))
	}
	seen := map[string]string{}
	for _, w := range words {
		if len(w) < 4 || len(w) > 8 || strings.Trim(w, "abcdefghijklmnopqrstuvwxyz") != "" {
			t.Errorf("%q: want 4 to 8 lower-case letters", w)
		}
		if prev, ok := seen[w[:4]]; ok {
			t.Errorf("%q and %q share their first four letters", prev, w)
		}
		seen[w[:4]] = w
	}
}

func TestRecoveryWordsRoundTrip(t *testing.T) {
	for range 200 {
		k, err := seal.NewRecoveryKey()
		if err != nil {
			t.Fatal(err)
		}
		w := k.Words()
		if len(w) != seal.WordCount {
			t.Fatalf("%d words", len(w))
		}
		got, err := seal.ParseRecoveryKey(strings.Join(w, " "))
		if err != nil || got != k {
			t.Fatalf("%v: %v", w, err)
		}
	}
}

// A fixed key keeps the checksum cases deterministic.
var fixed = seal.RecoveryKey{0x3c, 0x91, 0x07, 0xee, 0x42, 0x18, 0xa5, 0x5a, 0x00, 0xff, 0x10, 0x20, 0x7f, 0x80, 0x01, 0xfe}

func TestParseForgivesCopyingAndCatchesMistakes(t *testing.T) {
	w := fixed.Words()
	var numbered strings.Builder
	for i, x := range w {
		numbered.WriteString(strings.ToUpper(x[:1]) + x[1:])
		if i%2 == 0 {
			numbered.WriteString(",\n")
		} else {
			numbered.WriteString("  ")
		}
		_ = i
	}
	prefixes := make([]string, len(w))
	for i, x := range w {
		prefixes[i] = x[:min(4, len(x))]
	}
	var sheet strings.Builder
	for i, x := range w {
		sheet.WriteString(strings.Repeat(" ", i%3) + string(rune('0'+i%10)) + ". " + x + "\n")
	}
	for name, text := range map[string]string{
		"mixed case and commas": numbered.String(),
		"first four letters":    strings.Join(prefixes, " "),
		"numbered like a sheet": sheet.String(),
	} {
		got, err := seal.ParseRecoveryKey(text)
		if err != nil || got != fixed {
			t.Errorf("%s: %v", name, err)
		}
	}

	swapped := append([]string(nil), w...)
	swapped[3], swapped[9] = swapped[9], swapped[3]
	wrong := append([]string(nil), w...)
	wrong[5] = "zzzzzz"
	list := strings.Fields(string(assets.RecoveryWords))
	other := append([]string(nil), w...)
	for _, x := range list {
		if x != other[0] {
			other[0] = x
			break
		}
	}
	for name, tc := range map[string]struct {
		text, want string
	}{
		"two words swapped": {strings.Join(swapped, " "), "wrong or two are swapped"},
		"a different word":  {strings.Join(other, " "), "wrong or two are swapped"},
		"not a word":        {strings.Join(wrong, " "), `Word 6, "zzzzzz"`},
		"a word missing":    {strings.Join(w[1:], " "), "you typed 13"},
		"empty":             {"", "you typed 0"},
		"digits only":       {"1234 5678", "you typed 0"},
		"one word too many": {strings.Join(append(append([]string(nil), w...), w[0]), " "), "you typed 15"},
	} {
		_, err := seal.ParseRecoveryKey(tc.text)
		if app.ErrorCode(err) != app.EINVALID || !strings.Contains(app.ErrorMessage(err), tc.want) {
			t.Errorf("%s: %v, want a message with %q", name, err, tc.want)
		}
	}
}

func TestEnvelopeOpensOnlyWithItsRecoveryKey(t *testing.T) {
	data, _ := seal.NewKey()
	keys := seal.Keys{Data: data, Audit: []byte("an audit chain key of 32 bytes!!")}
	env, err := seal.Wrap(fixed, keys)
	if err != nil {
		t.Fatal(err)
	}
	got, err := seal.Unwrap(fixed, env)
	if err != nil || !bytes.Equal(got.Data, keys.Data) || !bytes.Equal(got.Audit, keys.Audit) {
		t.Fatalf("unwrap: %+v %v", got, err)
	}
	other, _ := seal.NewRecoveryKey()
	if _, err := seal.Unwrap(other, env); !errors.Is(err, seal.ErrWrongRecoveryKey) {
		t.Errorf("another recovery key: %v", err)
	}
	bad := env
	bad.Box = bytes.Clone(env.Box)
	bad.Box[len(bad.Box)-3] ^= 0x40
	if _, err := seal.Unwrap(fixed, bad); !errors.Is(err, seal.ErrWrongRecoveryKey) {
		t.Errorf("altered envelope: %v", err)
	}
	salted := env
	salted.Salt = bytes.Clone(env.Salt)
	salted.Salt[0] ^= 1
	if _, err := seal.Unwrap(fixed, salted); !errors.Is(err, seal.ErrWrongRecoveryKey) {
		t.Errorf("altered salt: %v", err)
	}
	if _, err := seal.Unwrap(fixed, seal.Envelope{Version: 2, Salt: env.Salt, Box: env.Box}); err == nil {
		t.Error("an unknown envelope version opened")
	}
	if _, err := seal.Wrap(fixed, seal.Keys{Data: data[:10]}); err == nil {
		t.Error("a short data key was wrapped")
	}
}

func TestDigestIsKeyedAndLabelled(t *testing.T) {
	k1, _ := seal.NewKey()
	k2, _ := seal.NewKey()
	a, _ := seal.New(k1)
	again, _ := seal.New(k1)
	b, _ := seal.New(k2)
	v := []byte("mid:zoe@bronte-family.example")
	d := a.Digest("mail_replies.key", v)
	if !strings.HasPrefix(d, seal.DigestPrefix) || len(d) != len(seal.DigestPrefix)+64 || strings.Contains(d, "bronte") {
		t.Fatalf("digest %q", d)
	}
	if again.Digest("mail_replies.key", v) != d {
		t.Error("the same key and value gave another digest")
	}
	if b.Digest("mail_replies.key", v) == d || a.Digest("other.label", v) == d || a.Digest("mail_replies.key", append(v, 'x')) == d {
		t.Error("another key, label or value gave the same digest")
	}
}
