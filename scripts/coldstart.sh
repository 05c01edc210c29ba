#!/usr/bin/env bash
# Cold start of the real app (production build, real WebKit window) from
# process start to the Home screen drawn with its data (its checklist,
# backups and the activity log's check answered; or the lock, recovery or
# error screen when that is the first screen). Prints each run and
# the median. With a number of patients, the data folder is first seeded
# with that many (cmd/seed: consents, photos, testimonials, drafts; 2,500
# patients make over 10,000 records), keys in the same keychain the app uses.
# Usage: scripts/coldstart.sh [runs] [patients]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
patients=${2:-0}
bin=build/bin/PracticePost
[ -x "$bin" ] || { echo "build first: make build"; exit 1; }
if [ "$(uname -s)" = Linux ] && [ -z "${PRACTICEPOST_IN_KEYRING_SESSION:-}${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  # The app opens its data only with a keychain (scripts/keyring.sh).
  exec scripts/keyring.sh "$0" "$@"
fi
if [ "$(uname -s)" = Linux ] && [ -z "${DISPLAY:-}" ]; then
  # A private virtual display on a free number, gone when the script ends.
  exec xvfb-run -a -s "-screen 0 1280x900x24 -nolisten tcp" "$0" "$@"
fi
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
if [ "$patients" -gt 0 ]; then
  GOTOOLCHAIN=${GOTOOLCHAIN:-go1.27.3} go run ./cmd/seed -home "$home" -patients "$patients" -secrets keyring
  echo "records: $(python3 - "$home/practicepost.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
tables = [r[0] for r in db.execute("select name from sqlite_master where type='table' and name not like 'sqlite_%'")]
print(sum(db.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables))
PY
)"
fi
# The first start creates the data file; the measured runs open an existing one, as a user's would.
PRACTICEPOST_HOME=$home PRACTICEPOST_EXIT_AFTER_READY=1 timeout 60 "$bin" >/dev/null 2>&1 || true
times=()
for i in $(seq "$runs"); do
  start=$(date +%s%N)
  out=$(PRACTICEPOST_HOME=$home PRACTICEPOST_EXIT_AFTER_READY=1 timeout 60 "$bin" 2>/dev/null | grep first-render-ms || true)
  wall=$(( ($(date +%s%N) - start) / 1000000 ))
  ms=${out#first-render-ms }
  [ -n "$ms" ] || { echo "run $i: the app did not report its first render"; exit 1; }
  echo "run $i: first render after ${ms} ms (process exited after ${wall} ms)"
  times+=("$ms")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
echo "median first render: ${median} ms over ${runs} runs"
