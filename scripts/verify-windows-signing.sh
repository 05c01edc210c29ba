#!/usr/bin/env bash
# `make release-check`: what CI runs. Makes a throwaway certificate
# authority and code-signing certificate, builds the release signed with it
# (scripts/release-windows.sh; RELEASE_CHECK_SKIP_BUILD=1 checks the files
# already in build/bin, signed with the certificate in RELEASE_CHECK_DIR),
# then checks with `osslsigncode verify -CAfile`: the exe, the installer, and
# the exe taken back out of the installer; that a copy with one byte changed
# fails; and that the exe carries its manifest (asInvoker, per-monitor DPI
# v2), version resource and icon.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v 7z >/dev/null || { echo "7z is missing: sudo apt-get install p7zip-full" >&2; exit 1; }

dir=${RELEASE_CHECK_DIR:-$(mktemp -d)}
if [ ! -f "$dir/ca.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/ca.key" -out "$dir/ca.pem" -days 2 \
    -subj "/CN=PracticePost throwaway test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$dir/sign.key" -out "$dir/sign.csr" -subj "/CN=PracticePost test signing" 2>/dev/null
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n' >"$dir/ext.cnf"
  openssl x509 -req -in "$dir/sign.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -days 2 \
    -extfile "$dir/ext.cnf" -out "$dir/sign.pem" 2>/dev/null
fi

if [ "${RELEASE_CHECK_SKIP_BUILD:-}" != 1 ]; then
  PRACTICEPOST_SIGN_CERT="$dir/sign.pem" PRACTICEPOST_SIGN_KEY="$dir/sign.key" scripts/release-windows.sh
fi

exe=build/bin/PracticePost.exe
installer=build/bin/PracticePost-amd64-installer.exe
fail=0
verify() { # verify FILE WHAT: the signature chains to the throwaway CA
  if osslsigncode verify -CAfile "$dir/ca.pem" -in "$1" >"$dir/verify.log" 2>&1; then
    echo "ok: $2 is signed and verifies"
  else
    echo "FAIL: $2 does not verify:"; sed 's/^/    /' "$dir/verify.log"; fail=1
  fi
}
verify "$exe" "the exe"
verify "$installer" "the installer"

rm -rf "$dir/unpacked" && mkdir "$dir/unpacked"
7z x -y -o"$dir/unpacked" "$installer" >/dev/null
inner=$(find "$dir/unpacked" -name PracticePost.exe | head -n1)
if [ -z "$inner" ]; then
  echo "FAIL: no PracticePost.exe inside the installer"; fail=1
else
  verify "$inner" "the exe taken out of the installer"
  cmp -s "$inner" "$exe" && echo "ok: the installer holds exactly the signed exe" || { echo "FAIL: the installer's exe differs from build/bin's"; fail=1; }
fi

# One byte changed in the middle of the program: the signature must fail.
cp "$exe" "$dir/tampered.exe"
size=$(stat -c %s "$dir/tampered.exe")
off=$((size / 2))
byte=$(od -An -tu1 -j "$off" -N1 "$dir/tampered.exe" | tr -d ' ')
printf "$(printf '\\%03o' $(((byte + 1) % 256)))" | dd of="$dir/tampered.exe" bs=1 seek="$off" conv=notrunc 2>/dev/null
if osslsigncode verify -CAfile "$dir/ca.pem" -in "$dir/tampered.exe" >/dev/null 2>&1; then
  echo "FAIL: a copy with one byte changed still verifies"; fail=1
else
  echo "ok: a copy with one byte changed fails verification"
fi

# The exe's resources, as Windows reads them.
rm -rf "$dir/rsrc" && mkdir "$dir/rsrc"
7z x -y -o"$dir/rsrc" "$exe" '.rsrc/*' >/dev/null
manifest=$(find "$dir/rsrc" -path '*MANIFEST*' -type f | head -n1)
if [ -n "$manifest" ] && grep -q 'level="asInvoker"' "$manifest" && grep -q 'permonitorv2' "$manifest"; then
  echo "ok: manifest asks for asInvoker and per-monitor DPI awareness v2"
else
  echo "FAIL: the exe's manifest lacks asInvoker or per-monitor v2"; fail=1
fi
# 7z shows the version resource as text (version.txt), in UTF-16.
version=$(find "$dir/rsrc" \( -name version.txt -o -path '*VERSION*' \) -type f | head -n1)
vtext=$([ -n "$version" ] && iconv -f UTF-16LE -t UTF-8 "$version" 2>/dev/null | tr -d '\0' | tr -s ' ' || true)
if grep -q 'ProductName.*PracticePost' <<<"$vtext" && grep -q 'ProductVersion' <<<"$vtext"; then
  echo "ok: version resource: $(grep -o 'ProductVersion", *"[^"]*"' <<<"$vtext" | head -n1)"
else
  echo "FAIL: no version resource naming PracticePost"; fail=1
fi
if find "$dir/rsrc" -path '*ICON*' -type f | grep -q .; then
  echo "ok: icon resource present"
else
  echo "FAIL: no icon resource"; fail=1
fi

[ "$fail" = 0 ] && echo "Signing and resources check out." || { echo "Release check failed."; exit 1; }
