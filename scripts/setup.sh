#!/usr/bin/env bash
# Prepares this host for building, running and testing vmbackup: Debian's packages, then a
# running libvirtd. Idempotent; needs root.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [[ $(id -u) -ne 0 ]]; then
  echo "setup: run as root (it installs Debian packages and starts libvirtd)" >&2
  exit 1
fi
"$here/testhost/install-deps.sh"
if [[ -d /run/systemd/system ]]; then
  systemctl start virtlogd.socket libvirtd.service 2>/dev/null || systemctl start libvirtd
else
  "$here/testhost/libvirtd-up.sh"
fi
