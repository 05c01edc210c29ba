package app_test

import (
	"go/ast"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// The one rule above all (docs/gate.md): every path that sends anything
// out of the app calls the consent gate, inside the transaction that starts
// the attempt. This test finds every use, outside the connectors and the
// mail package themselves, of a method that puts words or an image in front
// of the public or a patient (a post, an image upload, a reply, an image
// placed on a media host, an email), called or taken as a value, through any
// interface or type with the same method, in a function or a package-level
// variable, in the release and development builds (files for Windows and
// macOS alone may not name a send at all).
// It fails on any user that is not one of the doors the
// gate page lists, and on a door that does not run the gate inside a
// function that receives a transaction before it sends. A new way out of
// the app therefore fails here until it is built as a door and added below,
// with its row in docs/gate.md.
var doors = []string{
	// queue.attempt: judged in the transaction that marks the job attempting.
	"(*practicepost/app/publish/queue.Queue).attempt",
	// Channels → Send a test post: judged in the transaction that records it.
	"(*practicepost/app/service.ChannelService).TestPost",
	// Inbox → Reply: judged in the transaction that starts the inbox action.
	"(*practicepost/app/service.InboxService).Reply",
	// Consent, testimonial and quote-approval emails: judged in the
	// transaction that records the request.
	"(*practicepost/app/service.MailService).send",
	// A patient's copy of their signed form: judged in the transaction that
	// records the copy.
	"(*practicepost/app/service.MailService).EmailPatientCopy",
}

// sends are the methods that make something public or reach a patient: by
// interface in app/publish, and mail.Account's Send.
var sends = map[string][]string{
	"Publisher": {"UploadImage", "CreatePost"},
	"Inboxer":   {"Reply"},
	"MediaHost": {"Put"},
}

// builds are the builds checked with their types: the release and the
// development build. Files for another operating system are read by
// TestOtherSystemsSendNothing: type-checking the app for Windows and macOS
// would compile it twice more, for a handful of files.
var builds = []struct {
	goos, tags string
	patterns   []string
}{
	{"linux", "webkit2_41", []string{"practicepost/..."}},
	{"linux", "dev,webkit2_41", []string{"practicepost/..."}},
}

// TestOtherSystemsSendNothing reads the files built only for Windows or
// macOS (or for neither Linux build), which the doors test cannot type:
// none may so much as name a sending method.
func TestOtherSystemsSendNothing(t *testing.T) {
	names := []string{"Send"}
	for _, ms := range sends {
		names = append(names, ms...)
	}
	fset := token.NewFileSet()
	n := 0
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != ".." && (d.Name() == "node_modules" || d.Name() == "testdata" || d.Name() == "frontend" || strings.HasPrefix(d.Name(), ".") || testOnly(d.Name())) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		if builtOnLinux(path, f) {
			return nil
		}
		n++
		ast.Inspect(f, func(x ast.Node) bool {
			if sel, ok := x.(*ast.SelectorExpr); ok && slices.Contains(names, sel.Sel.Name) {
				t.Errorf("%s: %s is built only for another system and names %s: build the send on every system, as a door", fset.Position(sel.Pos()), path, sel.Sel.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 3 {
		t.Fatalf("found only %d files for other systems; the walk is not reading the tree", n)
	}
}

// builtOnLinux reports whether a file is in one of the Linux builds the
// doors test types: its name names no other system, and its build line,
// if any, holds for linux with or without the dev tag.
func builtOnLinux(path string, f *ast.File) bool {
	base := strings.TrimSuffix(filepath.Base(path), ".go")
	for _, sys := range []string{"_windows", "_darwin", "_freebsd", "_openbsd", "_netbsd", "_plan9", "_js", "_wasip1"} {
		if strings.HasSuffix(base, sys) {
			return false
		}
	}
	for _, g := range f.Comments {
		for _, c := range g.List {
			if !constraint.IsGoBuild(c.Text) {
				continue
			}
			expr, err := constraint.Parse(c.Text)
			if err != nil {
				return false
			}
			for _, tags := range [][]string{{"linux", "unix", "webkit2_41"}, {"linux", "unix", "webkit2_41", "dev"}} {
				if expr.Eval(func(tag string) bool { return slices.Contains(tags, tag) }) {
					return true
				}
			}
			return false
		}
	}
	return true
}

func TestEverySendIsADoor(t *testing.T) {
	for _, b := range builds {
		t.Run(b.goos+"/"+b.tags, func(t *testing.T) {
			pkgs := loadBuild(t, b.goos, b.tags, b.patterns...)
			found := sendUses(t, pkgs)
			for caller, u := range found {
				if !slices.Contains(doors, caller) {
					t.Errorf("%s sends (%s) but is not a door that runs the consent gate; build it as one and list it here and in docs/gate.md", caller, strings.Join(u.where, ", "))
				}
			}
			for _, d := range doors {
				u, ok := found[d]
				switch {
				case !ok:
					// A door that no longer sends is a stale entry: the list
					// must say where sending really happens.
					t.Errorf("%s is listed as a door but sends nothing now: remove it here and in docs/gate.md", d)
				case ok && !u.gated:
					t.Errorf("%s sends (%s) without first calling the gate inside a function that receives a transaction", d, strings.Join(u.where, ", "))
				}
			}
		})
	}
}

// TestDoorCheckFindsBypasses runs the check on a package written to slip
// past a weaker one (testdata/bypass): every way out it holds must be found,
// and its one proper door must pass.
func TestDoorCheckFindsBypasses(t *testing.T) {
	pkgs := loadBuild(t, "linux", "", "./testdata/bypass")
	found := sendUses(t, pkgs)
	const pkg = "practicepost/app/testdata/bypass."
	for _, name := range []string{"narrowInterface", "methodValue", "var sendLater", "email", "gateAfterSend", "gateOutsideTx", "concreteConnector"} {
		caller := pkg + name
		if name == "var sendLater" {
			caller = "var " + pkg + "sendLater"
		}
		u, ok := found[caller]
		if !ok {
			t.Errorf("%s sends but the check did not see it", caller)
			continue
		}
		if u.gated {
			t.Errorf("%s counts as gated inside a transaction, but is not", caller)
		}
	}
	if u, ok := found[pkg+"door"]; !ok || !u.gated {
		t.Errorf("the proper door: found %v, gated %v", ok, u.gated)
	}
}

func loadBuild(t *testing.T, goos, tags string, patterns ...string) []*packages.Package {
	t.Helper()
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo,
		Dir: "..", Env: append(os.Environ(), "GOOS="+goos)}
	if tags != "" {
		cfg.BuildFlags = []string{"-tags", tags}
	}
	if strings.HasPrefix(patterns[0], "./") {
		cfg.Dir = "."
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pkgs {
		if len(p.Errors) > 0 {
			t.Fatalf("%s (GOOS=%s, tags %q): %v", p.PkgPath, goos, tags, p.Errors)
		}
	}
	return pkgs
}

// sendUse is where one function uses a send, and whether it first calls
// the gate inside a function that receives a transaction.
type sendUse struct {
	where []string
	gated bool
}

func sendUses(t *testing.T, pkgs []*packages.Package) map[string]*sendUse {
	t.Helper()
	// The packages that declare the sends, as the loaded code imports them.
	var publish, mail *types.Package
	seen := map[*types.Package]bool{}
	var visit func(tp *types.Package)
	visit = func(tp *types.Package) {
		if seen[tp] {
			return
		}
		seen[tp] = true
		switch tp.Path() {
		case "practicepost/app/publish":
			publish = tp
		case "practicepost/app/mail":
			mail = tp
		}
		for _, i := range tp.Imports() {
			visit(i)
		}
	}
	for _, p := range pkgs {
		visit(p.Types)
	}
	if publish == nil || mail == nil {
		t.Fatal("practicepost/app/publish or practicepost/app/mail not loaded")
	}
	// The methods that send, with the signature any stand-in must share.
	want := map[string]*types.Signature{}
	for name, methods := range sends {
		obj := publish.Scope().Lookup(name)
		if obj == nil {
			t.Fatalf("publish.%s is gone: update this test with what replaced it", name)
		}
		iface := obj.Type().Underlying().(*types.Interface)
		for _, m := range methods {
			o, _, _ := types.LookupFieldOrMethod(iface, false, nil, m)
			fn, ok := o.(*types.Func)
			if !ok {
				t.Fatalf("publish.%s has no method %s", name, m)
			}
			want[m] = fn.Type().(*types.Signature)
		}
	}
	acct := mail.Scope().Lookup("Account")
	if acct == nil {
		t.Fatal("mail.Account is gone: update this test with what sends email now")
	}
	mailSend, _, _ := types.LookupFieldOrMethod(types.NewPointer(acct.Type()), true, mail, "Send")
	if mailSend == nil {
		t.Fatal("mail.Account has no Send")
	}
	isSend := func(fn *types.Func) bool {
		if fn == mailSend {
			return true
		}
		sig, ok := want[fn.Name()]
		if !ok {
			return false
		}
		got := fn.Type().(*types.Signature)
		return types.Identical(types.NewSignatureType(nil, nil, nil, got.Params(), got.Results(), got.Variadic()),
			types.NewSignatureType(nil, nil, nil, sig.Params(), sig.Results(), sig.Variadic()))
	}

	found := map[string]*sendUse{}
	for _, p := range pkgs {
		if isConnector(p.PkgPath) || p.PkgPath == "practicepost/app/mail" || testOnly(p.PkgPath) {
			continue // a connector's own calls are how it sends; test tooling is not in the app
		}
		for _, f := range p.Syntax {
			for _, d := range f.Decls {
				switch d := d.(type) {
				case *ast.FuncDecl:
					if d.Body != nil {
						scanBody(p, funcName(p.TypesInfo, d), d.Body, isSend, found)
					}
				case *ast.GenDecl:
					for _, spec := range d.Specs {
						vs, ok := spec.(*ast.ValueSpec)
						if !ok {
							continue
						}
						for i, v := range vs.Values {
							name := "var " + p.PkgPath + "." + vs.Names[min(i, len(vs.Names)-1)].Name
							scanBody(p, name, v, isSend, found)
						}
					}
				}
			}
		}
	}
	return found
}

// scanBody records every use of a send in body under caller, and whether a
// call to the gate inside a function literal that receives a transaction
// comes before the first of them.
func scanBody(p *packages.Package, caller string, body ast.Node, isSend func(*types.Func) bool, found map[string]*sendUse) {
	var sendsAt []token.Pos
	var where []string
	gateAt := token.NoPos
	var txLits []*ast.FuncLit
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			if receivesTx(p.TypesInfo, n) {
				txLits = append(txLits, n)
			}
		case *ast.SelectorExpr:
			fn, ok := p.TypesInfo.Uses[n.Sel].(*types.Func)
			if !ok {
				return true
			}
			if isSend(fn) {
				sendsAt = append(sendsAt, n.Pos())
				where = append(where, p.Fset.Position(n.Pos()).String())
			}
			if isGate(fn) && gateAt == token.NoPos && slices.ContainsFunc(txLits, func(l *ast.FuncLit) bool { return l.Pos() <= n.Pos() && n.End() <= l.End() }) {
				gateAt = n.Pos()
			}
		}
		return true
	})
	if len(sendsAt) == 0 {
		return
	}
	u := found[caller]
	if u == nil {
		u = &sendUse{gated: true}
		found[caller] = u
	}
	u.where = append(u.where, where...)
	u.gated = u.gated && gateAt != token.NoPos && gateAt < slices.Min(sendsAt)
}

// isGate reports whether fn is one of the gate's checks: a method of
// *gate.Gate, or of an interface standing for it (queue.Gate).
func isGate(fn *types.Func) bool {
	switch fn.Name() {
	case "Job", "Check", "Reply", "Mail":
	default:
		return false
	}
	recv := fn.Type().(*types.Signature).Recv()
	if recv == nil {
		return false
	}
	t := recv.Type()
	if ptr, ok := t.(*types.Pointer); ok {
		t = ptr.Elem()
	}
	named, ok := t.(*types.Named)
	return ok && named.Obj().Name() == "Gate" && named.Obj().Pkg() != nil && strings.HasPrefix(named.Obj().Pkg().Path(), "practicepost/app/")
}

// receivesTx reports whether a function literal takes a write transaction:
// the store's or the publishing queue's.
func receivesTx(info *types.Info, l *ast.FuncLit) bool {
	sig, ok := info.Types[l].Type.(*types.Signature)
	if !ok {
		return false
	}
	for i := 0; i < sig.Params().Len(); i++ {
		s := sig.Params().At(i).Type().String()
		if s == "*practicepost/app/store.Tx" || s == "practicepost/app.PublishTx" {
			return true
		}
	}
	return false
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
