#!/usr/bin/env bash
# Signs Windows executables in place with Authenticode (osslsigncode), when
# a certificate is supplied; otherwise says so and leaves them unsigned.
#
#   PRACTICEPOST_SIGN_CERT   the code-signing certificate: a .pfx/.p12 file,
#                            or a PEM certificate (chain) with
#   PRACTICEPOST_SIGN_KEY    its PEM private key
#   PRACTICEPOST_SIGN_PASS   the .pfx or key password (optional)
#   PRACTICEPOST_SIGN_TIMESTAMP  an RFC 3161 timestamp server (optional; a
#                            timestamped signature outlives the certificate)
#
# Usage: scripts/sign-windows.sh FILE.exe...
# makensis calls it on the uninstaller and installer it writes (SIGN_COMMAND
# in build/windows/installer/project.nsi).
set -euo pipefail

if [ -z "${PRACTICEPOST_SIGN_CERT:-}" ]; then
  echo "Not signing $*: PRACTICEPOST_SIGN_CERT is not set. Windows SmartScreen will warn about an unsigned PracticePost." >&2
  exit 0
fi
command -v osslsigncode >/dev/null || { echo "osslsigncode is missing: sudo apt-get install osslsigncode" >&2; exit 1; }

args=(sign -h sha256 -n PracticePost -i https://practicepost.app)
case "$PRACTICEPOST_SIGN_CERT" in
  *.pfx|*.p12) args+=(-pkcs12 "$PRACTICEPOST_SIGN_CERT") ;;
  *)
    [ -n "${PRACTICEPOST_SIGN_KEY:-}" ] || { echo "PRACTICEPOST_SIGN_KEY is needed with a PEM certificate" >&2; exit 1; }
    args+=(-certs "$PRACTICEPOST_SIGN_CERT" -key "$PRACTICEPOST_SIGN_KEY") ;;
esac
[ -z "${PRACTICEPOST_SIGN_PASS:-}" ] || args+=(-pass "$PRACTICEPOST_SIGN_PASS")
[ -z "${PRACTICEPOST_SIGN_TIMESTAMP:-}" ] || args+=(-ts "$PRACTICEPOST_SIGN_TIMESTAMP")

for f in "$@"; do
  tmp="$f.signing"
  rm -f "$tmp"
  osslsigncode "${args[@]}" -in "$f" -out "$tmp" >/dev/null
  mv "$tmp" "$f"
  echo "Signed $f" >&2
done
