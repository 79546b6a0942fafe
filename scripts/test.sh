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
# The LVM tests run in kernel VMs (this host kernel has no device-mapper): first LVMSnapshotCheck
# with one emulated CPU (LVMTests reads its report), then the daemon scenario of LVMDaemonTests
# (scripts/testhost/lvm-daemon-scenario.sh, about two minutes). Booted now, one after the other,
# they run on the core the unit tests leave idle (those run one at a time) and the scenario is
# done, or nearly, when the integration tests ask for it. Each folder gets its results and, once
# its VM is done, `status`.
lvm=$(mktemp -d /var/tmp/vmbt-lvm.XXXXXX)
export VMBACKUP_LVM_CHECK_DIR=$lvm/check VMBACKUP_LVM_SCENARIO_DIR=$lvm/scenario
mkdir -p "$lvm/check" "$lvm/scenario/results"
(
  check=$lvm/check
  truncate -s 1G "$check/vda.img" && truncate -s 64M "$check/vdb.img" &&
    scripts/testhost/kernel-vm-run.sh --disk "$check/vda.img" --disk "$check/vdb.img" \
      --share "$check" -- "$VMBACKUP_BIN_DIR/LVMSnapshotCheck" --scratch-disks "$check/report.json" \
      >"$check/console.txt" 2>&1
  echo $? >"$check/status.new" && mv "$check/status.new" "$check/status"
  rm -f "$check/vda.img" "$check/vdb.img"
  scenario=$lvm/scenario
  truncate -s 1G "$scenario/big.img" && truncate -s 64M "$scenario/small.img" &&
    KVM_RUN_LOG=$scenario/console.txt KVM_RUN_TIMEOUT=600 KVM_RUN_CPUS=2 scripts/testhost/kernel-vm-run.sh \
      --mem 2048 --disk "$scenario/big.img" --disk "$scenario/small.img" --share "$scenario/results" -- \
      bash "$PWD/scripts/testhost/lvm-daemon-scenario.sh" "$scenario/results" "$VMBACKUP_BIN_DIR" \
      >"$scenario/output.txt" 2>&1
  echo $? >"$scenario/status.new" && mv "$scenario/status.new" "$scenario/status"
  rm -f "$scenario/big.img" "$scenario/small.img"
) &
lvm_pid=$!
# The trap runs under `set -e` too: a kill of a VM already gone must not fail the run.
trap 'pkill -P $lvm_pid 2>/dev/null || true; kill $lvm_pid 2>/dev/null || true; rm -rf "$lvm"' EXIT
# One test at a time: several suites block on real guests and VMs for tens of seconds, and on
# two cores parallel runs starve the socket servers other suites start.
swift test --skip-build --no-parallel --skip IntegrationTests
phase "the unit tests"
swift test --skip-build --no-parallel --filter IntegrationTests
phase "the integration tests"
