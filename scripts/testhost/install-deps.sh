#!/usr/bin/env bash
# Installs, from Debian's packages, everything a test host for vmbackup needs:
# the C libraries it links, libvirt + QEMU (software emulation), the guest agent,
# LVM and btrfs tools, a Debian kernel for the test guests, and the peer tools
# used by benchmarks. Idempotent; run as root.
set -euo pipefail
pkgs=(
  libvirt-dev liblvm2-dev libbtrfsutil-dev          # linked by vmbackup
  libvirt-daemon libvirt-daemon-driver-qemu libvirt-clients
  qemu-system-x86 qemu-utils qemu-guest-agent       # hypervisor + agent (agent binary goes into the test guest)
  lvm2 btrfs-progs busybox-static cpio              # storage tools, guest initramfs
  linux-image-amd64                                 # kernel for test guests (has device-mapper, 9p, virtio)
  libnbd-dev libnbd-bin xfsprogs                    # streaming through qemu-nbd; XFS for reflink tests
  curl                                              # talking to the socket by hand
  python3 python3-yaml python3-venv socat           # docs/openapi.yaml to JSON; make fuzz (schemathesis, TCP bridge)
  systemd procps kmod groff-base man-db             # checking the systemd unit and the man pages
  python3-prometheus-client                         # parsing /metrics with the reference parser
  swtpm swtpm-tools ovmf                            # guests with an emulated TPM and UEFI variables
)
missing=()
for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
if ((${#missing[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
