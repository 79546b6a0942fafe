#!/usr/bin/env bash
# Measures one full backup through the daemon: a running guest with a 4 GiB qcow2 disk holding
# 1 GiB of data. Prints the backup's wall time, the guest's freeze window (freeze call to thaw
# return, as the daemon measured it), the daemon's peak RSS, and the stored size. Then reads the
# backup back: a restore to a new file against `qemu-img convert` of the same stored image (the
# ratio), a verify's throughput, and the time to the guest agent of an instant restore and of a
# drill.
# Usage: scripts/bench/full-backup.sh [DATA_MIB] [DISK_GIB]
set -euo pipefail
cd "$(dirname "$0")/../.."
data_mib=${1:-1024}
disk_gib=${2:-4}
root=/var/tmp/vmbackup-bench
bin=$(swift build -c release --show-bin-path)
swift build -c release >&2 || { echo "release build failed" >&2; exit 1; }
vm=vmbt-bench
. scripts/bench/bench-vm.sh
cleanup() { bench_cleanup "$vm" "$vm-instant"; }
trap cleanup EXIT
cleanup
bench_vm_start
bench_daemon_start
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

# Reading the backup back.
cli() { "$bin/vmbackup" --socket "$socket" "$@"; }
now() { date +%s.%N; }
stored=$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); print(t["result"]["location"] + "/vda.qcow2")' "$root/task.json")
mkdir -p "$root/restore"
sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
# qemu-img convert leaves its output in the page cache; a restore syncs its images before it
# reports success, so the peer is timed both ways.
t0=$(now); qemu-img convert -q -O qcow2 "$stored" "$root/convert.qcow2"; t1=$(now); sync "$root/convert.qcow2"; t1s=$(now)
sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
t2=$(now); cli restore "$vm" latest --to "$root/restore" --wait >/dev/null; t3=$(now)
verify_line="verify: not available in this build"
if cli verify --help >/dev/null 2>&1; then
  sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
  t4=$(now); cli verify "$vm" latest --wait >/dev/null; t5=$(now)
  verify_line=$(python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f'verify (CLI request to result): {s:.2f} s, {int(sys.argv[3]) / s:.0f} MiB/s of data, {int(sys.argv[4]) * 1024 / s:.0f} MiB/s of virtual size')" "$t4" "$t5" "$data_mib" "$disk_gib")
fi
# The instant copy boots at once; its task ends after the stored image is read back.
t6=$(now)
instant_task=$(cli restore "$vm" latest --as "$vm-instant" --to "$root/restore" --instant --start --json |
  python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])')
until virsh -q -c qemu:///system qemu-agent-command "$vm-instant" '{"execute":"guest-ping"}' >/dev/null 2>&1; do sleep 0.2; done
t7=$(now)
cli task "$instant_task" --wait >/dev/null
t8=$(now)
cli instant discard "$vm-instant" >/dev/null
cli drill "$vm" --wait --json >"$root/drill.json"
python3 - "$t0" "$t1" "$t2" "$t3" "$t6" "$t7" "$t8" "$t1s" "$root/drill.json" "$data_mib" <<'PY'
import json, sys
t = [float(x) for x in sys.argv[1:9]]
convert, restore, instant, checked = t[1] - t[0], t[3] - t[2], t[5] - t[4], t[6] - t[4]
synced = t[7] - t[0]
drill = json.load(open(sys.argv[9])).get("drill") or {}
print(f"qemu-img convert of the stored image: {convert:.2f} s, {synced:.2f} s with its output synced")
print(f"vmbackup restore --to (checked against the chunk index, synced): {restore:.2f} s, {restore / convert:.2f}x qemu-img convert, {restore / synced:.2f}x convert + sync")
print(f"restore --instant: guest agent answered {instant:.1f} s after the request; stored image read back after {checked:.1f} s")
print(f"drill: guest agent answered {drill.get('secondsToAgent', float('nan')):.1f} s after the request, ok={drill.get('ok')}")
PY
echo "$verify_line"
