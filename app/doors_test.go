package app_test

import (
	"go/ast"
	"go/types"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// The one rule above all (docs/gate.md): every path that sends anything to
// a platform calls the consent gate, inside the transaction that starts the
// attempt. This test finds every call, outside the connectors themselves, of
// a method that puts words or an image in front of the public (a post, an
// image upload, a reply, an image placed on a media host) and fails on any
// caller that is not one of the doors the gate page lists. A new way out of
// the app therefore fails here until it is built as a door and added below,
// with its row in docs/gate.md.
var doors = []string{
	// queue.attempt: judged in the transaction that marks the job attempting.
	"(*practicepost/app/publish/queue.Queue).attempt",
	// Channels → Send a test post: judged in the transaction that records it.
	"(*practicepost/app/service.ChannelService).TestPost",
	// Inbox → Reply: judged in the transaction that starts the inbox action.
	"(*practicepost/app/service.InboxService).Reply",
}

// sends are the methods, by interface, that make something public.
var sends = map[string][]string{
	"Publisher": {"UploadImage", "CreatePost"},
	"Inboxer":   {"Reply"},
	"MediaHost": {"Put"},
}

func TestEverySendIsADoor(t *testing.T) {
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo, Dir: ".."}
	pkgs, err := packages.Load(cfg, "practicepost/...")
	if err != nil {
		t.Fatal(err)
	}
	var publish *types.Package
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			t.Fatalf("%s: %v", p.PkgPath, p.Errors)
		}
		if p.PkgPath == "practicepost/app/publish" {
			publish = p.Types
		}
	}
	if publish == nil {
		t.Fatal("practicepost/app/publish not loaded")
	}
	ifaces := map[string]*types.Interface{}
	for name := range sends {
		obj := publish.Scope().Lookup(name)
		if obj == nil {
			t.Fatalf("publish.%s is gone: update this test with what replaced it", name)
		}
		ifaces[name] = obj.Type().Underlying().(*types.Interface)
	}

	found := map[string][]string{} // caller → where
	for _, p := range pkgs {
		if isConnector(p.PkgPath) || testOnly(p.PkgPath) {
			continue // a connector's own calls are how it sends; test tooling is not in the app
		}
		for _, f := range p.Syntax {
			for _, d := range f.Decls {
				fn, ok := d.(*ast.FuncDecl)
				if !ok || fn.Body == nil {
					continue
				}
				ast.Inspect(fn.Body, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					sel, ok := call.Fun.(*ast.SelectorExpr)
					if !ok {
						return true
					}
					s := p.TypesInfo.Selections[sel]
					if s == nil || s.Kind() != types.MethodVal {
						return true
					}
					for name, methods := range sends {
						if !slices.Contains(methods, sel.Sel.Name) {
							continue
						}
						recv := s.Recv()
						if types.Implements(recv, ifaces[name]) || types.Implements(types.NewPointer(recv), ifaces[name]) {
							caller := funcName(p.TypesInfo, fn)
							found[caller] = append(found[caller], p.Fset.Position(call.Pos()).String())
						}
					}
					return true
				})
			}
		}
	}
	for caller, where := range found {
		if !slices.Contains(doors, caller) {
			t.Errorf("%s sends to a platform (%s) but is not a door that runs the consent gate; build it as one and list it here and in docs/gate.md", caller, strings.Join(where, ", "))
		}
	}
	// A door that no longer sends is a stale entry: the list must say where
	// sending really happens.
	for _, d := range doors {
		if _, ok := found[d]; !ok {
			t.Errorf("%s is listed as a door but sends nothing now: remove it here and in docs/gate.md", d)
		}
	}
}

// testOnly reports whether p is test tooling (a fake, a test helper):
// TestTestToolingStaysOutOfTheApp checks that no such package is built into
// the app, so what it calls is not a way out of the app.
func testOnly(p string) bool {
	last := p[strings.LastIndex(p, "/")+1:]
	return strings.HasSuffix(last, "test") || strings.HasSuffix(last, "fake") || last == "fakeplatform" || last == "fakeplatforms"
}

// The doors test passes over test tooling; this is why it may: none of it
// is in the app a practice runs (release tags), nor in the development build.
func TestTestToolingStaysOutOfTheApp(t *testing.T) {
	for _, tags := range []string{"webkit2_41", "dev,webkit2_41"} {
		out, err := exec.Command("go", "list", "-tags", tags, "-deps", "practicepost").Output()
		if err != nil {
			t.Fatalf("go list -tags %s: %v", tags, err)
		}
		n := 0
		for p := range strings.SplitSeq(strings.TrimSpace(string(out)), "\n") {
			if !strings.HasPrefix(p, "practicepost") {
				continue
			}
			n++
			if testOnly(p) {
				t.Errorf("the app built with -tags %s includes test tooling: %s", tags, p)
			}
		}
		if n < 10 {
			t.Fatalf("go list -tags %s found only %d of the app's packages", tags, n)
		}
	}
}

// funcName is the function's full name as go/types writes it, e.g.
// "(*practicepost/app/service.ChannelService).TestPost".
func funcName(info *types.Info, fn *ast.FuncDecl) string {
	obj, ok := info.Defs[fn.Name].(*types.Func)
	if !ok {
		return fn.Name.Name
	}
	return obj.FullName()
}
