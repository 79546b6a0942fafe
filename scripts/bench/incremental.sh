#!/usr/bin/env bash
# Measures an incremental backup against virtnbdbackup's (`-l inc`) on the same VM: a running
# guest with a 4 GiB qcow2 disk holding 1 GiB of data, after the guest overwrote 64 MiB of it.
# Each tool first makes its own full backup; then the guest changes 64 MiB; then the tool's
# incremental is timed (request to done) and its stored bytes counted. Prints both and the ratio.
# Usage: scripts/bench/incremental.sh [CHANGED_MIB] [DATA_MIB] [DISK_GIB]
set -euo pipefail
cd "$(dirname "$0")/../.."
changed_mib=${1:-64}
data_mib=${2:-1024}
disk_gib=${3:-4}
root=/var/tmp/vmbackup-bench-incremental
bin=$(swift build -c release --show-bin-path)
swift build -c release >&2 || { echo "release build failed" >&2; exit 1; }
if ! command -v virtnbdbackup >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q virtnbdbackup >&2
fi
vm=vmbt-bench-incremental
. scripts/bench/bench-vm.sh
virsh() { command virsh -q -c qemu:///system "$@"; }
cleanup() { bench_cleanup "$vm"; }
trap cleanup EXIT
cleanup
bench_vm_start
until virsh qemu-agent-command "$vm" '{"execute":"guest-ping"}' >/dev/null 2>&1; do sleep 0.5; done

# Overwrites CHANGED_MIB of the data file in place, at offset $1 MiB, from inside the guest.
change() {
  local pid status
  pid=$(virsh qemu-agent-command "$vm" "{\"execute\":\"guest-exec\",\"arguments\":{\"path\":\"/bin/sh\",\"arg\":[\"-c\",\"dd if=/dev/urandom of=/mnt/vda/data bs=1M count=$changed_mib seek=$1 conv=notrunc 2>/dev/null; sync\"]}}" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["return"]["pid"])')
  for _ in $(seq 1 600); do
    status=$(virsh qemu-agent-command "$vm" "{\"execute\":\"guest-exec-status\",\"arguments\":{\"pid\":$pid}}")
    [[ $status == *'"exited":true'* ]] && return 0
    sleep 0.2
  done
  echo "the guest did not finish writing" >&2
  return 1
}
now() { date +%s.%N; }

bench_daemon_start
cli() { "$bin/vmbackup" --socket "$socket" "$@"; }

# vmbackup: full, change, incremental.
cli backup "$vm" --level auto --wait --json >"$root/full.json"   # the first: a full, with a checkpoint
change 100
sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
t0=$(now)
cli backup "$vm" --level incremental --wait --json >"$root/incremental.json"
t1=$(now)

# virtnbdbackup: full, change (another 64 MiB), incremental. It refuses a domain with checkpoints
# it did not make: vmbackup's go first (newest first, each with its bitmaps).
for checkpoint in $(virsh checkpoint-list "$vm" --name | tac); do
  virsh checkpoint-delete "$vm" "$checkpoint" >/dev/null
done
mkdir -p "$root/virtnbdbackup"
virtnbdbackup -q -d "$vm" -l full -o "$root/virtnbdbackup" >"$root/virtnbdbackup-full.log" 2>&1 \
  || { cat "$root/virtnbdbackup-full.log" >&2; exit 1; }
change 300
sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true
t2=$(now)
virtnbdbackup -q -d "$vm" -l inc -o "$root/virtnbdbackup" >"$root/virtnbdbackup-inc.log" 2>&1 \
  || { cat "$root/virtnbdbackup-inc.log" >&2; exit 1; }
t3=$(now)
peer_bytes=$(find "$root/virtnbdbackup" -name '*.inc.virtnbdbackup.1.data' -printf '%s\n' | awk '{s+=$1} END {print s+0}')

python3 - "$root/incremental.json" "$t0" "$t1" "$t2" "$t3" "$peer_bytes" "$changed_mib" "$data_mib" "$disk_gib" <<'PY'
import json, sys
task = json.load(open(sys.argv[1]))
t0, t1, t2, t3 = (float(x) for x in sys.argv[2:6])
peer_bytes, changed, data, disk = int(sys.argv[6]), sys.argv[7], sys.argv[8], sys.argv[9]
result = task["result"]
ours = t1 - t0
peer = t3 - t2
stored = sum(d.get("storedBytes", 0) for d in result["disks"])
print(f"disk: {disk} GiB qcow2 with {data} MiB of data, guest running (TCG); {changed} MiB overwritten before each incremental")
print(f"vmbackup backup --level incremental: {ours:.2f} s, stored {stored / 2**20:.1f} MiB (level {result.get('level')}, parent {result.get('parent')})")
print(f"virtnbdbackup -l inc: {peer:.2f} s, stored {peer_bytes / 2**20:.1f} MiB")
print(f"ratio vmbackup / virtnbdbackup: {ours / peer:.2f} (goal: at most 0.50)")
PY
