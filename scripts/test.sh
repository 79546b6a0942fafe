#!/usr/bin/env bash
# Runs the whole suite: unit tests, then the integration tests against a real libvirtd, QEMU
# guests with a guest agent, and a real btrfs. Assumes `make setup` ran; builds what it tests.
# Prints how long each phase took, so a slow phase shows in CI's log.
set -euo pipefail
cd "$(dirname "$0")/.."
phase_start=$SECONDS
phase() { echo "test.sh: $1 took $((SECONDS - phase_start)) s"; phase_start=$SECONDS; }
# The checked-in .swift-format is the style: any finding fails the run (swift-format ships with
# the toolchain).
swift format lint --recursive --strict Package.swift Sources Tests
phase "the style check"
export VMBACKUP_BIN_DIR=$(swift build --show-bin-path)
swift build --build-tests
phase "building vmbackup and its tests"
# The LVM snapshot checks run in a kernel VM of their own with one emulated CPU (LVMTests reads
# its report): booted now, it runs on the core the unit tests leave idle.
lvm_check=$(mktemp -d /var/tmp/vmbt-lvm-check.XXXXXX)
export VMBACKUP_LVM_CHECK_DIR=$lvm_check
(
  truncate -s 1G "$lvm_check/vda.img" && truncate -s 64M "$lvm_check/vdb.img" &&
    scripts/testhost/kernel-vm-run.sh --disk "$lvm_check/vda.img" --disk "$lvm_check/vdb.img" \
      --share "$lvm_check" -- "$VMBACKUP_BIN_DIR/LVMSnapshotCheck" --scratch-disks "$lvm_check/report.json" \
      >"$lvm_check/console.txt" 2>&1
  echo $? >"$lvm_check/status.new" && mv "$lvm_check/status.new" "$lvm_check/status"
  rm -f "$lvm_check/vda.img" "$lvm_check/vdb.img"
) &
lvm_check_pid=$!
# The trap runs under `set -e` too: a kill of a check already gone must not fail the run.
trap 'pkill -P $lvm_check_pid 2>/dev/null || true; kill $lvm_check_pid 2>/dev/null || true; rm -rf "$lvm_check"' EXIT
# One test at a time: several suites block on real guests and VMs for tens of seconds, and on
# two cores parallel runs starve the socket servers other suites start.
swift test --skip-build --no-parallel --skip IntegrationTests
phase "the unit tests"
swift test --skip-build --no-parallel --filter IntegrationTests
phase "the integration tests"
