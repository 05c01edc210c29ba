package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"practicepost/app"
	"practicepost/app/auth"
	"practicepost/app/service"
)

// boundWorld is the app as main wires it: the same NewServices and Bind.
func boundWorld(t *testing.T) (*service.Services, *app.FixedClock, *recorder) {
	t.Helper()
	rec := &recorder{}
	clock := &app.FixedClock{T: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)}
	c := startCore(t, t.TempDir(), rec, nil, clock)
	svc := service.NewServices(c, service.Deps{
		Secrets:     auth.NewMemoryStore(),
		OpenBrowser: func(string) error { return fmt.Errorf("no browser in tests") },
		QuitApp:     func() { t.Error("a bound method quit the app while locked") },
		Started:     time.Now(),
	})
	service.SetLockCost(svc.Lock, 4)
	return svc, clock, rec
}

// bridgeCallable says whether the webview can call m at all: Wails decodes
// each argument from JSON, and no JSON value decodes to a usable
// context.Context (null gives nil, anything else fails), so methods that
// take one are hooks for Go callers (the queue, other services), not doors.
func bridgeCallable(t *testing.T, m reflect.Method) bool {
	for i := 1; i < m.Type.NumIn(); i++ {
		in := m.Type.In(i)
		if in.Kind() != reflect.Interface {
			continue
		}
		if in != reflect.TypeFor[context.Context]() {
			t.Errorf("%s takes interface %s: decide whether the webview can reach it", m.Name, in)
			continue
		}
		for _, js := range []string{`null`, `{}`, `""`, `0`, `[]`} {
			v := reflect.New(in)
			if err := json.Unmarshal([]byte(js), v.Interface()); err == nil && !v.Elem().IsNil() {
				t.Fatalf("JSON %s decodes to a context.Context", js)
			}
		}
		return false
	}
	return true
}

// callZero calls a bound method the way the bridge would with zero-value
// arguments and returns its error result.
func callZero(t *testing.T, recv any, m reflect.Method) (err error, hasErr bool) {
	t.Helper()
	args := []reflect.Value{reflect.ValueOf(recv)}
	for i := 1; i < m.Type.NumIn(); i++ {
		args = append(args, reflect.Zero(m.Type.In(i)))
	}
	errType := reflect.TypeFor[error]()
	out := m.Func.Call(args)
	for i := len(out) - 1; i >= 0; i-- {
		if m.Type.Out(i) == errType {
			if out[i].IsNil() {
				return nil, true
			}
			return out[i].Interface().(error), true
		}
	}
	return nil, false
}

func TestBoundMethodsRefuseWhileLocked(t *testing.T) {
	svc, _, rec := boundWorld(t)
	ctx := context.Background()
	if _, err := svc.Lock.SetPIN("2580", "2580"); err != nil {
		t.Fatal(err)
	}
	if err := service.LockNow(svc.Lock, ctx, "test"); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(rec.events, app.EventLocked) {
		t.Fatalf("locking did not tell the frontend: %v", rec.events)
	}

	var answered, refused, total []string
	for _, s := range svc.Bind() {
		typ := reflect.TypeOf(s)
		for i := 0; i < typ.NumMethod(); i++ {
			m := typ.Method(i)
			name := typ.Elem().Name() + "." + m.Name
			if !bridgeCallable(t, m) {
				continue
			}
			total = append(total, name)
			err, hasErr := callZero(t, s, m)
			switch {
			case !hasErr:
				t.Errorf("%s has no error result, so it cannot refuse while locked", name)
			case app.ErrorCode(err) == app.ELOCKED:
				refused = append(refused, name)
			default:
				answered = append(answered, name)
			}
		}
	}
	want := slices.Clone(service.OpenWhileLocked)
	sort.Strings(want)
	sort.Strings(answered)
	if !slices.Equal(answered, want) {
		t.Errorf("while locked these answered:\n  %s\nonly the allow-list may:\n  %s", strings.Join(answered, "\n  "), strings.Join(want, "\n  "))
	}
	// The walk really covered the app: every service, and many methods.
	if len(svc.Bind()) != reflect.TypeOf(*svc).NumField() || len(total) < 100 || len(refused)+len(answered) > len(total) {
		t.Fatalf("walked %d services, %d methods (%d refused)", len(svc.Bind()), len(total), len(refused))
	}
	// The ones the issue named, by name.
	for _, n := range []string{"BackupService.Restore", "BackupService.BackupNow", "StudioService.FromTestimonial", "BrandService.Save",
		"BackupService.RestoreWithRecovery", "RecoveryService.Make", "RecoveryService.SaveSheet"} {
		if !slices.Contains(refused, n) {
			t.Errorf("%s did not refuse while locked", n)
		}
	}

	// Unlocking opens every door again.
	if _, err := svc.Lock.Unlock("2580"); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Brand.Get(); err != nil {
		t.Fatalf("after unlock: %v", err)
	}
}

// The hooks one service gives another (a withdrawal or an emailed hold
// blocking the waiting posts) are for Go wiring only: bound, the UI could
// block posts without any consent being withdrawn.
func TestPublishHooksNotBound(t *testing.T) {
	svc, _, _ := boundWorld(t)
	// Unbound, they are still wired: a withdrawal and an emailed hold reach
	// publishing (their effect is checked in the publish and mail tests).
	if svc.Consents.AfterRevoke == nil || svc.Mail.OnHold == nil {
		t.Fatal("NewServices no longer tells publishing about withdrawals and holds")
	}
	for _, s := range svc.Bind() {
		typ := reflect.TypeOf(s)
		for _, hook := range []string{"ConsentRevoked", "ConsentsHeld"} {
			if _, ok := typ.MethodByName(hook); ok {
				t.Errorf("%s.%s is bound to the frontend", typ.Elem().Name(), hook)
			}
		}
	}
}
