#!/usr/bin/env bash
# Writes the kernel a test VM boots fastest under software emulation: the Debian kernel's own
# ELF image (vmlinux), unpacked here, which QEMU starts directly through its PVH entry point.
# A bzImage would spend most of a TCG boot (about 6 s of CPU, far more in a VM nested inside
# another) decompressing itself. Falls back to a copy of the bzImage when the kernel has no
# PVH entry point or is not xz-compressed.
# Usage: unpacked-kernel.sh BZIMAGE OUT
set -euo pipefail
image=${1:?bzImage}; out=${2:?output file}
config=/boot/config-${image#*/vmlinuz-}
tmp=$out.tmp.$$
trap 'rm -f "$tmp"' EXIT
if grep -qs '^CONFIG_PVH=y' "$config"; then
  # The xz stream starts at its magic bytes FD 37 7A 58 5A 00; what follows it is not xz.
  offset=$(LC_ALL=C grep -obaP '\xFD7zXZ\x00' "$image" | head -1 | cut -d: -f1 || true)
  # xz stops at the stream's end, so tail may die of SIGPIPE: read it through a substitution.
  if [[ -n $offset ]] && xz -dc --single-stream < <(tail -c +$((offset + 1)) "$image") >"$tmp" 2>/dev/null \
    && [[ $(head -c 4 "$tmp" | od -An -tx1 | tr -d ' \n') == 7f454c46 ]]; then
    mv "$tmp" "$out"
    exit 0
  fi
fi
cp "$image" "$tmp" && mv "$tmp" "$out"
