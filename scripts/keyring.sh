#!/usr/bin/env bash
# Runs a command with an OS keychain (the freedesktop Secret Service) on a
# Linux machine that has no desktop session running one, such as a fresh
# Debian machine or a server with Xvfb. PracticePost keeps the key that seals
# its activity log, and the sign-ins of its channels, in the keychain, and
# will not open its data without one.
#
# A desktop session (GNOME, KDE) already has a keychain: then the command
# runs as it is. Otherwise a private D-Bus session is started for the run,
# with GNOME Keyring unlocked by the password in PRACTICEPOST_DEV_KEYRING
# (default "practicepost-dev"). That is a development convenience: a
# practice's real data belongs on a machine whose keychain the user unlocks.
set -euo pipefail

if [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] && busctl --user status org.freedesktop.secrets >/dev/null 2>&1; then
  exec "$@"
fi
if [ -z "${PRACTICEPOST_IN_KEYRING_SESSION:-}" ]; then
  command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null || {
    echo "No keychain is running and GNOME Keyring is not installed: run 'make deps' (or install gnome-keyring and dbus)." >&2
    exit 1
  }
  PRACTICEPOST_IN_KEYRING_SESSION=1 exec dbus-run-session -- "$0" "$@"
fi
printf '%s' "${PRACTICEPOST_DEV_KEYRING:-practicepost-dev}" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
exec "$@"
