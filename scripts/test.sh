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
# One test at a time: several suites block on real guests and VMs for tens of seconds, and on
# two cores parallel runs starve the socket servers other suites start.
swift test --skip-build --no-parallel --skip IntegrationTests
phase "the unit tests"
swift test --skip-build --no-parallel --filter IntegrationTests
phase "the integration tests"
