#!/usr/bin/env bash
# The demo: boots a small real VM with a guest agent, starts vmbackupd, backs the VM up through
# the CLI while the guest writes, checks the backup with QEMU's tools against its chunk indexes,
# then has vmbackup verify it and restore it to new image files.
# Leaves the backup in .vmbackup-demo/backups; removes the VM and stops the daemon at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD/.vmbackup-demo
bin=$(swift build --show-bin-path)
vm=vmbackup-demo
socket=$root/vmbackupd.sock
mkdir -p "$root/images"
say() { printf '\n== %s\n' "$*"; }

cleanup() {
  [[ -n ${daemon_pid:-} ]] && kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
  virsh -q -c qemu:///system destroy "$vm" >/dev/null 2>&1 || true
  virsh -q -c qemu:///system undefine --checkpoints-metadata "$vm" >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup

say "building the guest (Debian kernel, busybox, qemu-ga) and its disks"
scripts/testhost/build-guest.sh "$root/guest" >/dev/null
rm -f "$root"/images/*
truncate -s 1G "$root/images/system.raw" && mkfs.ext4 -q -F "$root/images/system.raw"
qemu-img convert -q -f raw -O qcow2 "$root/images/system.raw" "$root/images/system.qcow2" && rm "$root/images/system.raw"
truncate -s 512M "$root/images/data.raw" && mkfs.ext4 -q -F "$root/images/data.raw"

say "booting VM $vm (software emulation: ~10 s)"
scripts/testhost/define-vm.sh "$vm" "$root/guest" "$root/images/system.qcow2" "$root/images/data.raw:raw"

say "starting vmbackupd on $socket"
"$bin/vmbackupd" --socket "$socket" --state-dir "$root/state" --target-dir "$root/backups" 2>"$root/vmbackupd.log" &
daemon_pid=$!
for _ in $(seq 1 100); do "$bin/vmbackup" --socket "$socket" status >/dev/null 2>&1 && break; sleep 0.1; done
"$bin/vmbackup" --socket "$socket" status

say "the guest writes 64 MiB to each disk while the backup runs"
virsh -q -c qemu:///system qemu-agent-command "$vm" \
  '{"execute":"guest-exec","arguments":{"path":"/bin/sh","arg":["-c","for d in vda vdb; do i=0; while [ $i -lt 32 ]; do dd if=/dev/urandom of=/mnt/$d/f$i bs=1M count=2 2>/dev/null; sync; i=$((i+1)); done; done"]}}' >/dev/null
sleep 4

say "vmbackup backup $vm --level auto --wait   (the first: a full, and a checkpoint for the next)"
"$bin/vmbackup" --socket "$socket" backup "$vm" --level auto --wait

say "the guest writes 8 MiB more; vmbackup backup $vm --level incremental --wait reads only what changed"
virsh -q -c qemu:///system qemu-agent-command "$vm" \
  '{"execute":"guest-exec","arguments":{"path":"/bin/sh","arg":["-c","dd if=/dev/urandom of=/mnt/vda/more bs=1M count=8 2>/dev/null; sync"]}}' >/dev/null
sleep 2
"$bin/vmbackup" --socket "$socket" backup "$vm" --level incremental --wait
"$bin/vmbackup" --socket "$socket" list "$vm" --tree

say "checking every disk image of the incremental (read through its parent) against its chunk index, and each index against the manifest (docs/FORMAT.md)"
# The backup just made: the newest of this VM (its UUID is new each run).
uuid=$(virsh -q -c qemu:///system domuuid "$vm")
folder=$(ls -d "$root/backups/$uuid"/*/ | sort | tail -1)
python3 - "$folder" <<'PY'
import hashlib, json, subprocess, sys, os
folder = sys.argv[1]
manifest = json.load(open(os.path.join(folder, "manifest.json")))
ok = True
for disk in manifest["disks"]:
    if disk.get("excluded"):
        continue
    image = os.path.join(folder, disk["file"])
    subprocess.run(["qemu-img", "check", "-q", image], check=True)
    raw = image + ".verify.raw"
    subprocess.run(["qemu-img", "convert", "-q", "-O", "raw", image, raw], check=True)
    size = disk["chunkSize"]
    lines = []
    with open(raw, "rb") as f:
        for number, chunk in enumerate(iter(lambda: f.read(size), b"")):
            if chunk.count(0) != len(chunk):
                lines.append(f"{hashlib.sha256(chunk).hexdigest()}  chunk-{number:010d}\n")
    os.remove(raw)
    index = open(os.path.join(folder, disk["index"]), "rb").read()
    same = "".join(lines).encode() == index and hashlib.sha256(index).hexdigest() == disk["digest"]
    ok &= same
    print(f"  {disk['target']}: {disk['virtualSize']} bytes, {disk['storedBytes']} stored, {len(lines)} chunks with data, digest {disk['digest'][:16]}… {'verified' if same else 'MISMATCH'}")
print(f"  consistency: {manifest['consistency']}")
sys.exit(0 if ok else 1)
PY
say "backup folder: $folder"
ls -l "$folder"

say "vmbackup verify $vm latest --wait"
"$bin/vmbackup" --socket "$socket" verify "$vm" latest --wait

say "vmbackup restore $vm latest --to $root/restored --wait"
rm -rf "$root/restored" && mkdir -p "$root/restored"
"$bin/vmbackup" --socket "$socket" restore "$vm" latest --to "$root/restored" --wait
