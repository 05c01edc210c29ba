package app_test

import (
	"os/exec"
	"strings"
	"testing"
)

// The layering of docs/architecture.md, checked on the real import graph:
// go list -deps gives every package a package pulls in, directly or not.
//
// A rule package takes values and returns values: it reaches no storage, no
// network and no bound service. The store and the publishing code never
// reach the bound layer, and the publishing code does not reach the store
// (the queue works on app.PublishTx). A connector reaches no guard: what it needs to know
// about a platform (text counting, limits) comes from a leaf package.
func TestDependencyRules(t *testing.T) {
	deps := goListDeps(t, "practicepost/app/...")

	rulePkgs := []string{"practicepost/app/consent", "practicepost/app/guard", "practicepost/app/studio", "practicepost/app/gate"}
	forbidden := []string{"practicepost/app/store", "practicepost/app/service", "practicepost/app/mail", "practicepost/app/publish", "net/http", "database/sql"}
	for _, p := range rulePkgs {
		checkNone(t, deps, p, forbidden)
	}

	for p := range deps {
		if p == "practicepost/app/store" || under(p, "practicepost/app/publish") {
			checkNone(t, deps, p, []string{"practicepost/app/service"})
		}
		// The queue works on app.PublishTx; no publishing code reaches the
		// store, and the store reaches no mail, publishing or rule code.
		if under(p, "practicepost/app/publish") {
			checkNone(t, deps, p, []string{"practicepost/app/store"})
		}
		if p == "practicepost/app/store" {
			checkNone(t, deps, p, []string{"practicepost/app/mail", "practicepost/app/publish", "practicepost/app/gate", "practicepost/app/guard", "practicepost/app/consent", "practicepost/app/studio"})
		}
		if isConnector(p) {
			checkNone(t, deps, p, []string{"practicepost/app/guard"})
		}
	}
}

// isConnector reports whether p is a platform's client, app/publish/<platform>:
// the queue, the fakes' fault injection and the shared internals are not
// connectors.
func isConnector(p string) bool {
	rest, ok := strings.CutPrefix(p, "practicepost/app/publish/")
	return ok && !strings.Contains(rest, "/") && rest != "queue" && rest != "fault" && rest != "internal"
}

// under reports whether p is root or a package below it.
func under(p, root string) bool { return p == root || strings.HasPrefix(p, root+"/") }

func checkNone(t *testing.T, deps map[string][]string, pkg string, forbidden []string) {
	t.Helper()
	list, ok := deps[pkg]
	if !ok {
		t.Errorf("%s: not in the module's package list", pkg)
		return
	}
	for _, d := range list {
		for _, f := range forbidden {
			if under(d, f) {
				t.Errorf("%s depends on %s, which the layering forbids", pkg, d)
			}
		}
	}
}

// goListDeps maps each package matching pattern to its dependencies (tests
// excluded: a test may use whatever it needs).
func goListDeps(t *testing.T, pattern string) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, pattern).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	deps := map[string][]string{}
	for line := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		deps[f[0]] = f[1:]
	}
	if len(deps) < 10 {
		t.Fatalf("go list found only %d packages under %s", len(deps), pattern)
	}
	return deps
}
