# The commands the README names. Everything runs as root on a Debian 12 host.
SWIFT ?= swift
PREFIX ?= /usr/local
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/vmbackup
SYSCONFDIR ?= /etc
# The unit goes where systemd looks for it: Debian's own directory for PREFIX=/usr, the local one
# for /usr/local, /etc/systemd/system for any other prefix.
ifeq ($(PREFIX),/usr)
UNITDIR ?= /lib/systemd/system
else ifeq ($(PREFIX),/usr/local)
UNITDIR ?= /usr/local/lib/systemd/system
else
UNITDIR ?= /etc/systemd/system
endif
# Shell completions, where each shell looks: bash-completion's directory, zsh's vendor directory
# (Debian's for /usr, site-functions for any other prefix) and fish's vendor directory.
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ifeq ($(PREFIX),/usr)
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/vendor-completions
else
ZSHCOMPDIR ?= $(PREFIX)/share/zsh/site-functions
endif
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

.PHONY: setup build demo test lint format unit-test integration-test fuzz openapi bench install install-files clean

## Installs Debian's packages and starts libvirtd where it is not running.
setup:
	scripts/setup.sh

build: setup
	$(SWIFT) build

## Boots a small real VM, backs it up through the daemon while the guest writes, verifies it.
demo: build
	scripts/demo.sh

## The whole suite: unit tests and integration tests against real libvirt, QEMU and the agent.
## scripts/test.sh builds the products and the tests in one go (one build keeps both cores busy).
test: setup
	scripts/test.sh

## The style check `make test` runs first; `make format` fixes what it can.
lint:
	$(SWIFT) format lint --recursive --strict Package.swift Sources Tests

format:
	$(SWIFT) format --in-place --recursive Package.swift Sources Tests

unit-test: build
	$(SWIFT) test --skip IntegrationTests

integration-test: build
	VMBACKUP_BIN_DIR=$$($(SWIFT) build --show-bin-path) $(SWIFT) test --filter IntegrationTests

## Fuzzes the socket API against docs/openapi.yaml with schemathesis (pinned, installed on first
## use) on a real vmbackupd confined to a scratch folder and libvirt's test driver; about 2 minutes.
fuzz: build
	scripts/fuzz.sh

## Regenerates Sources/ControlAPI/OpenAPIDocument.swift, the served JSON, from docs/openapi.yaml.
openapi:
	scripts/openapi-json.py

## Builds in release mode and installs: vmbackupd into $(PREFIX)/sbin, vmbackup into $(PREFIX)/bin,
## the systemd unit, the man pages, vmbackup's bash, zsh and fish completions, the README,
## /etc/vmbackup/vmbackupd.toml (an existing one is kept) and the group vmbackup. DESTDIR=DIR
## installs into a staging tree instead.
install: setup
	$(SWIFT) build -c release
	$(MAKE) --no-print-directory install-files BUILD_DIR="$$($(SWIFT) build -c release --show-bin-path)"

## The installation itself, from binaries already built in BUILD_DIR (the tests stage the debug
## build with it: make install-files DESTDIR=DIR BUILD_DIR=.build/debug).
install-files:
	@test -n "$(BUILD_DIR)" && test -x "$(BUILD_DIR)/vmbackupd" && test -x "$(BUILD_DIR)/vmbackup" || \
		{ echo "install-files: BUILD_DIR='$(BUILD_DIR)' has no vmbackupd and vmbackup; run make install" >&2; exit 1; }
	install -D -m 0755 "$(BUILD_DIR)/vmbackupd" "$(DESTDIR)$(SBINDIR)/vmbackupd"
	install -D -m 0755 "$(BUILD_DIR)/vmbackup" "$(DESTDIR)$(BINDIR)/vmbackup"
	install -d -m 0755 "$(DESTDIR)$(UNITDIR)"
	sed -e 's|/usr/local/sbin/vmbackupd|$(SBINDIR)/vmbackupd|g' \
	    -e 's|file:///usr/local/share/doc/vmbackup/|file://$(DOCDIR)/|g' \
	    -e 's|/etc/vmbackup/vmbackupd.toml|$(SYSCONFDIR)/vmbackup/vmbackupd.toml|g' \
	    systemd/vmbackupd.service > "$(DESTDIR)$(UNITDIR)/vmbackupd.service.tmp"
	chmod 0644 "$(DESTDIR)$(UNITDIR)/vmbackupd.service.tmp"
	mv -f "$(DESTDIR)$(UNITDIR)/vmbackupd.service.tmp" "$(DESTDIR)$(UNITDIR)/vmbackupd.service"
	@if [ "$(UNITDIR)" != /etc/systemd/system ] && [ -e "$(DESTDIR)/etc/systemd/system/vmbackupd.service" ]; then \
		echo "warning: $(DESTDIR)/etc/systemd/system/vmbackupd.service (an earlier install's copy?) overrides $(UNITDIR)/vmbackupd.service; remove it unless it is yours" >&2; \
	fi
	install -d -m 0755 "$(DESTDIR)$(BASHCOMPDIR)" "$(DESTDIR)$(ZSHCOMPDIR)" "$(DESTDIR)$(FISHCOMPDIR)"
	"$(BUILD_DIR)/vmbackup" --generate-completion-script bash > "$(DESTDIR)$(BASHCOMPDIR)/vmbackup"
	"$(BUILD_DIR)/vmbackup" --generate-completion-script zsh > "$(DESTDIR)$(ZSHCOMPDIR)/_vmbackup"
	"$(BUILD_DIR)/vmbackup" --generate-completion-script fish > "$(DESTDIR)$(FISHCOMPDIR)/vmbackup.fish"
	chmod 0644 "$(DESTDIR)$(BASHCOMPDIR)/vmbackup" "$(DESTDIR)$(ZSHCOMPDIR)/_vmbackup" "$(DESTDIR)$(FISHCOMPDIR)/vmbackup.fish"
	install -D -m 0644 docs/man/vmbackupd.8 "$(DESTDIR)$(MANDIR)/man8/vmbackupd.8"
	install -D -m 0644 docs/man/vmbackup.1 "$(DESTDIR)$(MANDIR)/man1/vmbackup.1"
	install -D -m 0644 README.md "$(DESTDIR)$(DOCDIR)/README.md"
	install -D -m 0644 docs/RELIABILITY.md "$(DESTDIR)$(DOCDIR)/RELIABILITY.md"
	install -D -m 0644 docs/METRICS.md "$(DESTDIR)$(DOCDIR)/METRICS.md"
	install -D -m 0644 Config/vmbackupd.toml "$(DESTDIR)$(DOCDIR)/vmbackupd.toml.example"
	install -d -m 0755 "$(DESTDIR)$(SYSCONFDIR)/vmbackup"
	@if [ -e "$(DESTDIR)$(SYSCONFDIR)/vmbackup/vmbackupd.toml" ]; then \
		echo "kept $(DESTDIR)$(SYSCONFDIR)/vmbackup/vmbackupd.toml; the new example is $(DESTDIR)$(DOCDIR)/vmbackupd.toml.example"; \
	else \
		echo "install -m 0640 Config/vmbackupd.toml $(DESTDIR)$(SYSCONFDIR)/vmbackup/vmbackupd.toml"; \
		install -m 0640 Config/vmbackupd.toml "$(DESTDIR)$(SYSCONFDIR)/vmbackup/vmbackupd.toml"; \
	fi
	@if [ -n "$(DESTDIR)" ]; then \
		echo "DESTDIR is set: the group vmbackup is not created; on the target host run: groupadd --system vmbackup"; \
	elif getent group vmbackup >/dev/null; then \
		echo "the group vmbackup exists: its members may use vmbackup without root"; \
	else \
		echo "groupadd --system vmbackup"; groupadd --system vmbackup; \
	fi
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
	@echo "installed; start it with: systemctl enable --now vmbackupd"

clean:
	rm -rf .build

## Measures a full backup of a running guest (4 GiB qcow2, 1 GiB of data): time, freeze window, RSS;
## then reads it back: restore against qemu-img convert, verify throughput, instant and drill time to agent;
## then an incremental after 64 MiB changed, against virtnbdbackup -l inc (time and stored bytes).
bench: setup
	scripts/bench/full-backup.sh
	scripts/bench/incremental.sh
