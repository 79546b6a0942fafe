#!/usr/bin/env bash
# Measures one full backup through the daemon: a running guest with a 4 GiB qcow2 disk holding
# 1 GiB of data. Prints the backup's wall time, the guest's freeze window (freeze call to thaw
# return, as the daemon measured it), the daemon's peak RSS, and the stored size.
# Usage: scripts/bench/full-backup.sh [DATA_MIB] [DISK_GIB]
set -euo pipefail
cd "$(dirname "$0")/../.."
data_mib=${1:-1024}
disk_gib=${2:-4}
root=/var/tmp/vmbackup-bench
bin=$(swift build -c release --show-bin-path)
swift build -c release >&2 || { echo "release build failed" >&2; exit 1; }
vm=vmbt-bench
socket=$root/vmbackupd.sock
cleanup() {
  [[ -n ${daemon_pid:-} ]] && kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
  virsh -q -c qemu:///system destroy "$vm" >/dev/null 2>&1 || true
  virsh -q -c qemu:///system undefine "$vm" >/dev/null 2>&1 || true
  umount "$root/mnt" 2>/dev/null || true
  rm -rf "$root"
}
trap cleanup EXIT
cleanup
mkdir -p "$root/mnt"
scripts/testhost/build-guest.sh "$root/guest" >/dev/null
truncate -s "${disk_gib}G" "$root/disk.raw"
mkfs.ext4 -q -F "$root/disk.raw"
mount -o loop "$root/disk.raw" "$root/mnt"
dd if=/dev/urandom of="$root/mnt/data" bs=1M count="$data_mib" status=none
umount "$root/mnt"
qemu-img convert -q -f raw -O qcow2 "$root/disk.raw" "$root/disk.qcow2"
rm "$root/disk.raw"
scripts/testhost/define-vm.sh "$vm" "$root/guest" "$root/disk.qcow2" >/dev/null
"$bin/vmbackupd" --socket "$socket" --state-dir "$root/state" --target-dir "$root/backups" 2>"$root/daemon.log" &
daemon_pid=$!
for _ in $(seq 1 100); do "$bin/vmbackup" --socket "$socket" status >/dev/null 2>&1 && break; sleep 0.1; done
start=$(date +%s.%N)
"$bin/vmbackup" --socket "$socket" backup "$vm" --wait --json >"$root/task.json"
end=$(date +%s.%N)
rss_kib=$(awk '/VmHWM/ {print $2}' "/proc/$daemon_pid/status")
python3 - "$root/task.json" "$start" "$end" "$rss_kib" "$data_mib" "$disk_gib" <<'PY'
import json, sys
task = json.load(open(sys.argv[1]))
start, end, rss = float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
disk = task["result"]["disks"][0]
wall = end - start
print(f"disk: {sys.argv[6]} GiB qcow2 with {sys.argv[5]} MiB of data, guest running (TCG)")
print(f"full backup (CLI request to published): {wall:.2f} s, {int(sys.argv[5]) / wall:.0f} MiB/s of data")
print(f"freeze window (freeze call to thaw return): {task.get('freezeWindowSeconds', 0) * 1000:.1f} ms")
print(f"daemon peak RSS: {rss / 1024:.1f} MiB")
print(f"stored: {disk['storedBytes'] / 2**20:.1f} MiB of {disk['virtualSize'] / 2**30:.1f} GiB, consistency {task['result']['consistency']}")
PY
