# The commands the README names. Everything runs as root on a Debian 12 host.
SWIFT ?= swift
PREFIX ?= /usr/local

.PHONY: setup build demo test unit-test integration-test bench install clean

## Installs Debian's packages and starts libvirtd where it is not running.
setup:
	scripts/setup.sh

build: setup
	$(SWIFT) build

## Boots a small real VM, backs it up through the daemon while the guest writes, verifies it.
demo: build
	scripts/demo.sh

## The whole suite: unit tests and integration tests against real libvirt, QEMU and the agent.
test: build
	scripts/test.sh

unit-test: build
	$(SWIFT) test --skip IntegrationTests

integration-test: build
	VMBACKUP_BIN_DIR=$$($(SWIFT) build --show-bin-path) $(SWIFT) test --filter IntegrationTests

install: setup
	$(SWIFT) build -c release
	install -D -m 0755 $$($(SWIFT) build -c release --show-bin-path)/vmbackupd $(DESTDIR)$(PREFIX)/sbin/vmbackupd
	install -D -m 0755 $$($(SWIFT) build -c release --show-bin-path)/vmbackup $(DESTDIR)$(PREFIX)/bin/vmbackup
	install -D -m 0644 systemd/vmbackupd.service $(DESTDIR)/etc/systemd/system/vmbackupd.service
	test -e $(DESTDIR)/etc/vmbackup/vmbackupd.toml || install -D -m 0640 Config/vmbackupd.toml $(DESTDIR)/etc/vmbackup/vmbackupd.toml

clean:
	rm -rf .build

## Measures a full backup of a running guest (4 GiB qcow2, 1 GiB of data): time, freeze window, RSS.
bench: setup
	scripts/bench/full-backup.sh
