#!/usr/bin/env bash
# Runs inside kernel-vm-run.sh: backs up, through vmbackupd and the vmbackup CLI, libvirt
# domains whose disks are LVM logical volumes, and leaves what it saw in RESULTS.
# Usage (on the host):
#   kernel-vm-run.sh --disk BIG --disk SMALL --share RESULTS --mem 2048 -- \
#     bash scripts/testhost/lvm-daemon-scenario.sh RESULTS BINDIR
# BINDIR holds vmbackupd and vmbackup (`swift build --show-bin-path`, computed on the host).
# BIG (about 1 GiB) becomes VG vmbt with a 32 MiB thick LV "data" of random bytes and a thin pool
# holding a 32 MiB thin LV "thin" (16 MiB of random bytes), small because everything in the VM is
# emulated;
# SMALL (about 64 MiB) becomes VG vmbt-tight whose LV "full" fills it, so no snapshot fits.
# One domain, vmbt-lvm, has all three volumes: vda on data, vdb on thin, vdc on full. It runs
# QEMU's firmware only (define-vm.sh --firmware-only): running, with its volumes open in QEMU, but
# without a guest kernel, whose boot emulated inside this emulated VM would take the CPU from the
# daemon for minutes; each domain start costs tens of seconds here, so there is one. Every backup
# reads the volumes from the host side anyway, and each picks its disk with --disk.
# Scenarios, each against the running domain without an agent:
#   vda (data), --method vda=lvm                -> task.json, backup.status, backup.stderr,
#                                                 pattern.sha256, lvs-after.json
#   shut off, data changed, restored in place and started -> restore.json, restore.status,
#                                                 restore.stderr, changed.sha256, restored.sha256,
#                                                 restored.state
#   vdb (thin), method chosen by itself         -> thin.json, thin.status, thin.stderr,
#                                                 thin.sha256, lvs-thin-after.json
#   vdc (full, in a VG without room)            -> tight.status, tight.stderr, tight.http (body and
#                                                 status of a direct POST), lvs-tight-after.json,
#                                                 vm.uuid
#   vda again, through a second daemon whose config makes snapshots 4 MiB, while a writer
#   keeps overwriting 8 MiB of the origin -> overflow.json (the task), overflow.status,
#   overflow-expected.sha256 and overflow-origin.sha256 (the origin after the failure),
#   lvs-overflow-after.json, overflow.partials (work folders left)
# and entries.txt (VMUUID/BACKUP under the target), daemon.log, daemon2.log, consoles in guest/.
set -uo pipefail
results=${1:?results dir}; bin=${2:?bin dir}
here=$(cd "$(dirname "$0")" && pwd)
log() { echo "scenario: $(date -u +%T) $*" | tee -a "$results/scenario.log"; }
fail() { echo "scenario: $*" >&2; echo "$*" >"$results/failure.txt"; finish 1; }
daemon_pid=""
finish() {
  [[ -n $daemon_pid ]] && kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  virsh -q -c qemu:///system destroy vmbt-lvm 2>/dev/null
  cp /var/log/libvirt/libvirtd.log "$results/libvirtd.log" 2>/dev/null
  cp /var/log/libvirt/qemu/*.log "$results/guest/" 2>/dev/null
  exit "${1:-0}"
}
mkdir -p "$results/guest" "$results/backups"

log "volume groups"
pvcreate -q /dev/vda /dev/vdb >/dev/null || fail "pvcreate failed"
vgcreate -q vmbt /dev/vda >/dev/null || fail "vgcreate vmbt failed"
vgcreate -q vmbt-tight /dev/vdb >/dev/null || fail "vgcreate vmbt-tight failed"
lvcreate -q -y -L 32M -n data vmbt >/dev/null || fail "lvcreate data failed"
lvcreate -q -y --type thin-pool -L 64M -n pool vmbt >/dev/null || fail "lvcreate pool failed"
lvcreate -q -y -V 32M --thin -n thin vmbt/pool >/dev/null || fail "lvcreate thin failed"
lvcreate -q -y -l 100%FREE -n full vmbt-tight >/dev/null || fail "lvcreate full failed"
[[ -b /dev/vmbt/data && -b /dev/vmbt/thin && -b /dev/vmbt-tight/full ]] || fail "no device nodes for the volumes"
dd if=/dev/urandom of=/dev/vmbt/data bs=1M count=32 oflag=direct status=none || fail "writing the pattern failed"
sha256sum /dev/vmbt/data | cut -c1-64 >"$results/pattern.sha256"
dd if=/dev/urandom of=/dev/vmbt/thin bs=1M count=16 oflag=direct status=none || fail "writing the thin pattern failed"
sha256sum /dev/vmbt/thin | cut -c1-64 >"$results/thin.sha256"

log "libvirtd"
bash "$here/libvirtd-up.sh" || fail "libvirtd did not start"
mkdir -p /tmp/guest
bash "$here/define-vm.sh" vmbt-lvm /tmp/guest --firmware-only /dev/vmbt/data:raw /dev/vmbt/thin:raw \
  /dev/vmbt-tight/full:raw || fail "vmbt-lvm did not start"
virsh -c qemu:///system list --all >"$results/domains.txt"
virsh -c qemu:///system domuuid vmbt-lvm >"$results/vm.uuid"

log "vmbackupd"
sock=/run/vmb.sock
"$bin/vmbackupd" --socket "$sock" --state-dir /tmp/vmb --target-dir "$results/backups" --log-level debug \
  >"$results/daemon.log" 2>&1 </dev/null &
daemon_pid=$!
for _ in $(seq 1 300); do
  curl -sf --unix-socket "$sock" http://localhost/v1/status >/dev/null 2>&1 && break
  kill -0 "$daemon_pid" 2>/dev/null || fail "vmbackupd exited"
  sleep 0.2
done

log "backup of vmbt-lvm's vda (data)"
"$bin/vmbackup" --socket "$sock" backup vmbt-lvm --disk vda --method vda=lvm --wait --json \
  >"$results/task.json" 2>"$results/backup.stderr"
echo $? >"$results/backup.status"
lvs --reportformat json -o lv_name,vg_name,lv_attr >"$results/lvs-after.json"

log "restore in place of vmbt-lvm, shut off, onto its thick LV"
virsh -q -c qemu:///system destroy vmbt-lvm >/dev/null 2>&1
dd if=/dev/urandom of=/dev/vmbt/data bs=1M count=4 seek=8 oflag=direct status=none || fail "changing data failed"
sha256sum /dev/vmbt/data | cut -c1-64 >"$results/changed.sha256"
"$bin/vmbackup" --socket "$sock" restore vmbt-lvm latest --in-place --start --wait --json \
  >"$results/restore.json" 2>"$results/restore.stderr"
echo $? >"$results/restore.status"
sha256sum /dev/vmbt/data | cut -c1-64 >"$results/restored.sha256"
virsh -c qemu:///system domstate vmbt-lvm >"$results/restored.state" 2>&1

log "backup of vmbt-lvm's vdb (thin)"
"$bin/vmbackup" --socket "$sock" backup vmbt-lvm --disk vdb --wait --json >"$results/thin.json" \
  2>"$results/thin.stderr"
echo $? >"$results/thin.status"
lvs --reportformat json -o lv_name,vg_name,lv_attr >"$results/lvs-thin-after.json"

log "backup of vmbt-lvm's vdc (full, no room for a snapshot)"
"$bin/vmbackup" --socket "$sock" backup vmbt-lvm --disk vdc --method vdc=lvm --wait --json \
  >"$results/tight.stdout" 2>"$results/tight.stderr"
echo $? >"$results/tight.status"
curl -sS --unix-socket "$sock" -X POST -H 'Content-Type: application/json' \
  --data-binary '{"disks":["vdc"],"methods":{"vdc":"lvm"}}' -w '\n%{http_code}\n' \
  http://localhost/v1/vms/vmbt-lvm/backups >"$results/tight.http" 2>&1
lvs --reportformat json -o lv_name,vg_name,lv_attr >"$results/lvs-tight-after.json"

log "overflow: a second daemon with 4 MiB snapshots"
kill -TERM "$daemon_pid" && wait "$daemon_pid"
daemon_pid=""
cat >/tmp/vmb-small.toml <<TOML
[daemon]
socket = "/run/vmb2.sock"
state_dir = "/tmp/vmb2"
[target]
directory = "$results/backups"
[backup]
lvm_snapshot_percent = 1
lvm_snapshot_min_mib = 4
TOML
sock=/run/vmb2.sock
"$bin/vmbackupd" --config /tmp/vmb-small.toml --log-level debug >"$results/daemon2.log" 2>&1 </dev/null &
daemon_pid=$!
for _ in $(seq 1 300); do
  curl -sf --unix-socket "$sock" http://localhost/v1/status >/dev/null 2>&1 && break
  kill -0 "$daemon_pid" 2>/dev/null || fail "the second vmbackupd exited"
  sleep 0.2
done
dd if=/dev/urandom of=/tmp/churn.bin bs=1M count=8 status=none || fail "no churn data"
{ cat /tmp/churn.bin; dd if=/dev/vmbt/data bs=1M skip=8 status=none; } | sha256sum | cut -c1-64 \
  >"$results/overflow-expected.sha256"
# The writer runs from before the snapshot until the backup ends, so the 4 MiB snapshot overflows
# whether the stream is fast or slow: while streaming, or at the check before publishing.
(while :; do dd if=/tmp/churn.bin of=/dev/vmbt/data bs=1M oflag=direct status=none; sleep 0.5; done) &
writer=$!
"$bin/vmbackup" --socket "$sock" backup vmbt-lvm --disk vda --method vda=lvm --wait --json \
  >"$results/overflow.json" 2>"$results/overflow.stderr"
echo $? >"$results/overflow.status"
kill "$writer"; wait "$writer" 2>/dev/null
lvs --reportformat json -o lv_name,vg_name,lv_attr >"$results/lvs-overflow-after.json"
sha256sum /dev/vmbt/data | cut -c1-64 >"$results/overflow-origin.sha256"
find "$results/backups" -name '.partial-*' >"$results/overflow.partials"
(cd "$results/backups" && find . -mindepth 2 -maxdepth 2 | sed 's|^\./||' | sort) >"$results/entries.txt"

log "done"
finish 0
