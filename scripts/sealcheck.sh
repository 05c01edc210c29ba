#!/usr/bin/env bash
# Seeds a practice (default 2,000 patients), edits and deletes some, backs
# up, then searches the data file, its WAL, every backup and the log for
# every patient's name, email, phone and date of birth (ISO, UK and US
# forms) and for JPEG, PNG, MP4 and PDF signatures: it fails on any hit,
# then checks the app lists the remaining patients correctly.
# Usage: scripts/sealcheck.sh [patients]
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3}
PRACTICEPOST_SEALCHECK_PATIENTS=${1:-2000} go test -count=1 -timeout 30m -v \
  -run '^(TestSeededFilesRevealNoPatient|TestTheSealCheckFindsPlainData)$' ./cmd/seed/ | grep -E '^(=== RUN|--- |\s+seal_test|ok|FAIL|PASS)'
