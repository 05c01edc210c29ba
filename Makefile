# PracticePost developer commands. `make run` and `make test` install what
# they need on Debian/Ubuntu; on Windows and macOS they say what to install.

SHELL := /bin/bash
.DEFAULT_GOAL := help

WAILS_VERSION := v2.16.0
# Go 1.26.8 has reachable standard-library vulnerabilities (net/http,
# crypto/tls, crypto/x509, html/template; see make vulncheck) fixed in
# go1.27.3. The go command fetches that toolchain through the module proxy
# on first use; .ci/run and the README set the same.
export GOTOOLCHAIN := go1.27.3
# govulncheck, and the Go vulnerability database as the vulndb module (the
# module proxy serves it; vuln.go.dev may be unreachable). Bump both
# together now and then: the database is only as new as this version.
GOVULNCHECK_VERSION := v1.10.0
STATICCHECK_VERSION := v0.8.2
VULNDB_VERSION := v0.0.0-20261105234957-e22db6528018
VULNDB := .cache/vulndb/$(VULNDB_VERSION)
GOBIN := $(shell go env GOPATH 2>/dev/null)/bin
WAILS := $(GOBIN)/wails
export PATH := $(GOBIN):$(PATH)

UNAME := $(shell uname -s)
ifeq ($(UNAME),Linux)
  TAGS := webkit2_41
  # Each e2e run gets its own virtual display on a free number, stopped after.
  XVFB := xvfb-run -a -s "-screen 0 1280x900x24 -nolisten tcp"
endif
APT_PKGS := libgtk-3-dev libwebkit2gtk-4.1-dev pkg-config build-essential xvfb xauth chromium nsis dovecot-imapd dbus gnome-keyring osslsigncode p7zip-full poppler-utils
DEV_BIN := build/bin/practicepost-dev
FAKES_BIN := build/bin/fakeplatforms
STAMP := .cache/stamps

.PHONY: help deps deps-go deps-system deps-wails deps-npm bindings types check-types licences check-licences frontend run build test test-go test-frontend \
        test-e2e lint lint-frontend vulncheck windows release release-check bench coldstart clean

help:
	@echo "make run      install what is missing, build and start PracticePost"
	@echo "make test     install what is missing and run every check CI runs"
	@echo "make build    build PracticePost for this computer (build/bin)"
	@echo "make windows  cross-build PracticePost.exe and its installer"
	@echo "make release  the Windows installer to hand out: version from the git tag, release.env, signed if a certificate is set"
	@echo "make release-check  make release with a throwaway certificate, then verify the signatures and resources"
	@echo "make bench    run the benchmarks"
	@echo "make types    regenerate the frontend's types (frontend/wailsjs/go/models.ts) after changing a bound Go type"

# ---------------------------------------------------------------- dependencies

deps: deps-go deps-system deps-wails deps-npm

# Go is the one thing the Makefile cannot install (Debian's is too old).
deps-go:
	@command -v go >/dev/null || { echo "Go is missing: install Go 1.26 or newer from https://go.dev/dl/ and run make again."; exit 1; }
	@v=$$(go env GOVERSION | sed 's/^go//'); [ "$$(printf '%s\n1.26\n' "$$v" | sort -V | head -n1)" = 1.26 ] || \
	  { echo "Go $$v is too old: install Go 1.26 or newer from https://go.dev/dl/ and run make again."; exit 1; }

deps-system:
ifeq ($(UNAME),Linux)
	@if command -v apt-get >/dev/null; then \
	  missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then \
	    echo "Installing:$$missing"; \
	    SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	    $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	  fi; \
	else \
	  echo "Not Debian: install GTK 3 and WebKitGTK 4.1 development files, Xvfb, Chromium, NSIS, Dovecot and Poppler (pdftoppm, for the e2e report check) with your package manager."; \
	fi
else ifeq ($(UNAME),Darwin)
	@xcode-select -p >/dev/null 2>&1 || { echo "Install the Xcode command line tools: xcode-select --install"; exit 1; }
else
	@command -v go >/dev/null || { echo "Install Go 1.26 and Node.js 20.19+ (see README)"; exit 1; }
endif

deps-wails:
	@if [ "$$($(WAILS) version 2>/dev/null | head -n 1)" != "$(WAILS_VERSION)" ]; then \
	  echo "Installing the Wails CLI $(WAILS_VERSION)"; \
	  go install github.com/wailsapp/wails/v2/cmd/wails@$(WAILS_VERSION); \
	fi

deps-npm: frontend/node_modules/.package-lock.json

# Vite 8's native bundler installs cleanly only with npm 11 or newer.
frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	@command -v npm >/dev/null || { echo "Install Node.js 20.19 or newer (with npm)"; exit 1; }
	@[ "$$(npm --version 2>/dev/null | cut -d. -f1)" -ge 11 ] || npm install -g npm@11 --no-audit --no-fund --loglevel=error
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# ---------------------------------------------------------------- build

# The TypeScript bindings (frontend/wailsjs) are generated from the Go
# services, never edited. Their types, wailsjs/go/models.ts, are committed:
# a changed Go type shows in review as a changed TypeScript type.
# scripts/models.mjs maps what Wails writes as `any` (time.Time, CivilDate)
# to what the JSON holds.
bindings: deps-wails
	@out=$$(wails generate module 2>&1) || { echo "$$out"; exit 1; }
	@node frontend/scripts/models.mjs

types: bindings

# Fails when the committed types differ from what the Go code generates.
# The libraries PracticePost ships and their licences (Settings → Updates
# → About). Run after adding or upgrading a dependency, and commit.
licences: deps-go deps-npm
	go run ./cmd/licences

# Fails when a dependency changed without make licences.
check-licences: licences
	@if ! git diff --quiet -- assets/licences || [ -n "$$(git ls-files --others --exclude-standard assets/licences)" ]; then \
	  git --no-pager diff --stat -- assets/licences; \
	  echo "assets/licences/third-party.json is out of date with the dependencies: run make licences and commit it."; exit 1; \
	fi

check-types: bindings
	@if ! git diff --quiet -- frontend/wailsjs || [ -n "$$(git ls-files --others --exclude-standard frontend/wailsjs)" ]; then \
	  git --no-pager diff --stat -- frontend/wailsjs; git ls-files --others --exclude-standard frontend/wailsjs; \
	  echo "frontend/wailsjs/go/models.ts is out of date with the Go code: run make types and commit it."; exit 1; \
	fi

frontend: deps-npm bindings
	cd frontend && npm run build --silent

build: deps frontend
	wails build -m -s -skipbindings -tags "$(TAGS)" -trimpath

# On Linux the app needs a keychain (Secret Service): scripts/keyring.sh
# starts one for the run when no desktop session provides it.
run: build
	@if [ "$(UNAME)" = Darwin ]; then open -W build/bin/PracticePost.app; \
	elif [ "$(UNAME)" = Linux ] && [ -z "$$DISPLAY" ]; then \
	  echo "No display: starting PracticePost on a virtual display (Xvfb)."; \
	  scripts/keyring.sh $(XVFB) ./build/bin/PracticePost; \
	elif [ "$(UNAME)" = Linux ]; then scripts/keyring.sh ./build/bin/PracticePost; \
	else ./build/bin/PracticePost; fi

windows: deps frontend
	wails build -m -s -skipbindings -platform windows/amd64 -nsis -trimpath
	@ls -la build/bin/*.exe

# The installer a practice gets: version from the git tag and commit, the
# client ids and update feed from release.env or the environment (see
# release.env.example), signed when PRACTICEPOST_SIGN_CERT is set. Without
# a configuration it still builds, and says what it lacks.
release: deps frontend
	scripts/release-windows.sh

# What CI runs: make release signed with a throwaway certificate, then
# osslsigncode verify on the exe, the installer and the exe inside it, a
# one-byte-changed copy failing, and the exe's manifest, version and icon.
release-check: deps frontend
	scripts/verify-windows-signing.sh

# ---------------------------------------------------------------- checks

test: deps frontend lint check-types check-licences vulncheck test-go test-frontend test-e2e release-check
	@echo "All checks passed."

lint: lint-frontend
	@bad=$$(gofmt -l $$(git ls-files '*.go'; git ls-files --others --exclude-standard '*.go')); \
	  if [ -n "$$bad" ]; then echo "gofmt would change:"; echo "$$bad"; exit 1; fi
	go vet ./...
	go vet -tags "dev,$(TAGS)" .
	go vet -tags fakes ./cmd/fakeplatforms
	go vet -tags e2e ./frontend/e2e/mailserver
	GOOS=windows go vet ./app/autostart ./app/update ./app/release
	GOOS=darwin go vet ./app/autostart ./app/update ./app/release
	go run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) -tags "$(TAGS)" ./...
	go run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) -tags "dev,$(TAGS)" .
	go run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) -tags fakes ./cmd/fakeplatforms

# Casts that silence the compiler hide a frontend out of step with the Go
# contract: the generated types (make types) make them unnecessary.
lint-frontend:
	@bad=$$(grep -rnE 'as unknown as|as any\b|@ts-ignore|@ts-expect-error|no-explicit-any' frontend/src); \
	  if [ -n "$$bad" ]; then echo "$$bad"; echo "frontend/src: use the generated types (make types) instead of these casts."; exit 1; fi

# govulncheck wants a database laid out as index/{db,modules,vulns}.json and
# ID/<id>.json; the vulndb module holds the OSV entries in data/osv and its
# own indexdb command writes that layout (about 2 minutes the first time,
# mostly downloading indexdb's dependencies; cached in .cache after).
$(VULNDB)/index/db.json:
	go mod download golang.org/x/vulndb@$(VULNDB_VERSION)
	rm -rf $(VULNDB).tmp
	go run golang.org/x/vulndb/cmd/indexdb@$(VULNDB_VERSION) \
	  -vulns "$$(go env GOMODCACHE)/golang.org/x/vulndb@$(VULNDB_VERSION)/data/osv" -out $(VULNDB).tmp
	rm -rf $(VULNDB) && mv $(VULNDB).tmp $(VULNDB)

# Fails on any vulnerability the app's code can reach (govulncheck exits 3).
# Needs frontend/dist (embedded by main), hence the frontend dependency.
vulncheck: frontend $(VULNDB)/index/db.json
	go run golang.org/x/vuln/cmd/govulncheck@$(GOVULNCHECK_VERSION) -db file://$(CURDIR)/$(VULNDB) -tags "$(TAGS)" ./...

test-go: frontend
	go test -count=1 -timeout 20m ./...

test-frontend: deps-npm bindings
	cd frontend && npx tsc -b && npx vitest run

$(DEV_BIN): frontend $(shell git ls-files '*.go' 2>/dev/null)
	go build -tags "dev,$(TAGS)" -o $(DEV_BIN) .

# Test tooling only: fake platform servers on loopback; never linked into the app.
$(FAKES_BIN): $(shell git ls-files 'app/publish/*.go' 'cmd/*.go' 2>/dev/null)
	go build -tags fakes -o $(FAKES_BIN) ./cmd/fakeplatforms

test-e2e: frontend $(DEV_BIN) $(FAKES_BIN)
	cd frontend && $(XVFB) node --test --test-concurrency=1 --test-timeout=600000 --test-reporter=spec e2e/

bench: deps frontend
	go test -run='^$$' -bench=. -benchmem ./...
	@[ ! -x scripts/studio-compare.sh ] || scripts/studio-compare.sh

# Cold start of the real app window to its first render, median of 5.
coldstart: build
	scripts/coldstart.sh 5

clean:
	rm -rf build/bin frontend/dist/assets frontend/wailsjs/runtime frontend/wailsjs/go/service .cache
