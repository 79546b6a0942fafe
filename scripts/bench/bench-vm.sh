# Sourced by the bench scripts: the VM they measure and the daemon that backs it up.
# Needs root, vm, bin, data_mib and disk_gib set by the script.

socket=$root/vmbackupd.sock

# Stops the daemon, removes the domains named (the VM's checkpoints with it) and the folder.
bench_cleanup() {
  [[ -n ${daemon_pid:-} ]] && kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null || true
  for domain in "$@"; do
    virsh -q -c qemu:///system destroy "$domain" >/dev/null 2>&1 || true
    virsh -q -c qemu:///system undefine --nvram --checkpoints-metadata "$domain" >/dev/null 2>&1 || true
  done
  umount "$root/mnt" 2>/dev/null || true
  rm -rf "$root"
}

# Boots the VM: the test guest on a qcow2 disk of disk_gib GiB whose ext4 holds data_mib MiB of
# random data in /data (/mnt/vda/data in the guest).
bench_vm_start() {
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
}

# Starts vmbackupd on a state folder and a target under root; waits for its socket.
bench_daemon_start() {
  "$bin/vmbackupd" --socket "$socket" --state-dir "$root/state" --target-dir "$root/backups" 2>"$root/daemon.log" &
  daemon_pid=$!
  for _ in $(seq 1 100); do "$bin/vmbackup" --socket "$socket" status >/dev/null 2>&1 && break; sleep 0.1; done
}
