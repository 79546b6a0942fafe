#!/usr/bin/env bash
# Runs the whole suite: unit tests, then the integration tests against a real libvirtd, QEMU
# guests with a guest agent, and a real btrfs. Assumes `make setup` and `swift build` ran.
set -euo pipefail
cd "$(dirname "$0")/.."
export VMBACKUP_BIN_DIR=$(swift build --show-bin-path)
swift build --build-tests
swift test --skip-build --skip IntegrationTests
swift test --skip-build --no-parallel --filter IntegrationTests
