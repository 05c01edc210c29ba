#!/usr/bin/env bash
# `make release`: the Windows installer, with the version from the git tag
# and commit and the release configuration (release.env or the environment,
# see release.env.example) embedded with -ldflags; signed when a certificate
# is supplied (scripts/sign-windows.sh). Without a configuration it still
# builds, and says what the build lacks.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# Both before wails.json is touched, so the tree is not "dirty" yet.
flags=$(go run ./cmd/releaseflags -config release.env)
numeric=$(go run ./cmd/releaseflags -numeric)
version=$(sed -n 's/.*release\.Version=\([^ ]*\).*/\1/p' <<<"$flags")

# Windows' version resources and the installer take MAJOR.MINOR.PATCH from
# wails.json's productVersion: set it for this build only.
mkdir -p .cache
cp wails.json .cache/wails.json.release-backup
trap 'mv .cache/wails.json.release-backup wails.json' EXIT
sed -i "s/\"productVersion\": \"[^\"]*\"/\"productVersion\": \"$numeric\"/" wails.json
grep -q "\"productVersion\": \"$numeric\"" wails.json || { echo "could not set productVersion in wails.json" >&2; exit 1; }

rm -f build/bin/PracticePost.exe build/bin/PracticePost-amd64-installer.exe
wails build -m -s -skipbindings -platform windows/amd64 -nsis -trimpath -ldflags "$flags"

exe=build/bin/PracticePost.exe
installer=build/bin/PracticePost-amd64-installer.exe
if [ -n "${PRACTICEPOST_SIGN_CERT:-}" ]; then
  # The installer Wails made holds the unsigned exe: sign the exe, then
  # package again, signing the uninstaller and the installer as makensis
  # writes them.
  scripts/sign-windows.sh "$exe"
  (cd build/windows/installer && makensis -V2 -DARG_WAILS_AMD64_BINARY="$root/$exe" -DSIGN_COMMAND="$root/scripts/sign-windows.sh" project.nsi)
  signed="signed"
else
  echo "Not signed: set PRACTICEPOST_SIGN_CERT (and PRACTICEPOST_SIGN_KEY for a PEM certificate) to sign. Unsigned, Windows SmartScreen warns every practice." >&2
  signed="NOT signed"
fi
ls -la "$exe" "$installer"
echo "PracticePost $version ($numeric in Windows' version resources), $signed."
