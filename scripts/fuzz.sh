#!/usr/bin/env bash
# Fuzzes the socket API against its own OpenAPI document (docs/openapi.yaml, served at
# GET /v1/openapi.json) with schemathesis, on a real vmbackupd:
#   - the daemon runs on a scratch state, target and socket folder, against libvirt's test driver
#     (test:///default: an in-process fake hypervisor; no real guest or libvirtd is touched), in
#     a mount namespace where every file system but the scratch folder is read-only, from an
#     empty working directory;
#   - socat bridges its Unix socket to a loopback TCP port for schemathesis;
#   - schemathesis sends valid and invalid requests to every operation for at most
#     VMBACKUP_FUZZ_SECONDS (120 by default) and checks each answer: its status and body as the
#     document says, no 5xx but the documented hypervisor_failed and target_failed (never
#     `internal`: scripts/fuzz/vmbackup_checks.py);
#   - afterwards the daemon must still answer /v1/status, must not have crashed, must have
#     written nothing in its working directory nor tried to write outside its folders, and must
#     stop cleanly on SIGTERM.
# Installs a pinned schemathesis into a virtualenv under ~/.cache/vmbackup when missing. Needs
# root (the mount namespace), socat, curl, python3, virsh and qemu-img (make setup installs them).
# Builds nothing: run after `swift build` (make fuzz does). The scratch folder (daemon log,
# schemathesis report) is kept when the run fails, or with VMBACKUP_FUZZ_KEEP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
schemathesis_version=4.32.5
venv=${VMBACKUP_FUZZ_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/vmbackup/fuzz-venv-$schemathesis_version}
seconds=${VMBACKUP_FUZZ_SECONDS:-120}
bin=${VMBACKUP_BIN_DIR:-$(swift build --show-bin-path)}
started=$SECONDS
say() { printf 'fuzz: %s\n' "$*"; }
fail() { printf 'fuzz: FAILED: %s\n' "$*" >&2; exit 1; }

[[ -x $bin/vmbackupd ]] || fail "no $bin/vmbackupd; build first (make fuzz does)"
for tool in socat curl unshare python3 virsh qemu-img; do
  command -v "$tool" >/dev/null || fail "$tool is missing; run make setup"
done

if ! "$venv/bin/st" --version 2>/dev/null | grep -q "$schemathesis_version"; then
  say "installing schemathesis $schemathesis_version into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version"
fi

# Not under /tmp: the daemon's /tmp is the scratch tmp/ (below).
scratch=$(mktemp -d /var/tmp/vmbackup-fuzz.XXXXXX)
socket=$scratch/vmbackupd.sock
log=$scratch/vmbackupd.log
mkdir -p "$scratch/cwd" "$scratch/tmp" "$scratch/state" "$scratch/backups"
daemon_pid='' bridge_pid=''
cleanup() {
  [[ -n $bridge_pid ]] && kill "$bridge_pid" 2>/dev/null && { wait "$bridge_pid" 2>/dev/null || true; }
  [[ -n $daemon_pid ]] && kill -TERM "$daemon_pid" 2>/dev/null && { wait "$daemon_pid" 2>/dev/null || true; }
  if [[ ${keep_scratch:-${VMBACKUP_FUZZ_KEEP:-0}} == 1 ]]; then say "kept $scratch"; else rm -rf "$scratch"; fi
}
trap cleanup EXIT
trap 'keep_scratch=1' ERR

# One published backup of the test driver's domain `test`, on the target before the daemon
# starts and indexes it, so that the requests naming it (latest, its id) reach reading, renaming,
# mounting, verifying, restoring and deleting a real backup: a small empty qcow2 image and its
# (empty) chunk index, as docs/FORMAT.md describes them.
seed_backup() {
  local uuid=6695eb01-f6a4-8304-79aa-97f2502e193f id=20261130T000000Z-f022
  local folder=$scratch/backups/$uuid/$id
  mkdir -p "$folder"
  virsh -q -c test:///default dumpxml test >"$folder/domain.xml"
  qemu-img create -q -f qcow2 "$folder/vda.qcow2" 16M
  : >"$folder/vda.index"
  python3 - "$folder" "$uuid" "$id" <<'PY'
import hashlib, json, sys
folder, uuid, backup_id = sys.argv[1:]
manifest = {
    "schemaVersion": 2, "vmName": "test", "vmUUID": uuid, "backupID": backup_id, "name": "seed",
    "created": "2026-11-30T00:00:00Z", "level": "full", "consistency": "crash", "protected": False,
    "files": [],
    "disks": [{
        "target": "vda", "method": "offline", "format": "qcow2", "file": "vda.qcow2",
        "index": "vda.index", "chunkSize": 1048576, "digest": hashlib.sha256(b"").hexdigest(),
        "virtualSize": 16 << 20, "storedBytes": 0,
    }],
}
with open(f"{folder}/manifest.json", "w") as f:
    json.dump(manifest, f, indent=2, sort_keys=True)
PY
}
seed_backup

# The daemon's own mount namespace: the scratch folder becomes a mount of its own, then every
# other file system (but /proc, /sys and /dev) is remounted read-only there. The rest of the host
# keeps its mounts as they are. (/dev/shm is read-only too; the devices stay as they are.) Its
# /tmp is the scratch tmp/, where libnbd makes (and removes) a folder for each qemu-nbd socket; it
# must be empty again at the end.
confine='
  set -e
  scratch=$1; shift
  mount --bind "$scratch" "$scratch"
  findmnt -rno TARGET | while read -r target; do
    target=$(printf "%b" "$target")
    case $target in
      /dev/shm) mount -o remount,bind,ro "$target" 2>/dev/null || true ;;
      "$scratch" | /proc | /proc/* | /sys | /sys/* | /dev | /dev/*) ;;
      *) mount -o remount,bind,ro "$target" 2>/dev/null || true ;;
    esac
  done
  mount --bind "$scratch/tmp" /tmp
  cd "$scratch/cwd"
  exec "$@"
'
say "starting vmbackupd on $socket (libvirt test:///default)"
unshare --mount --propagation private -- bash -c "$confine" confine "$scratch" \
  "$bin/vmbackupd" --socket "$socket" --state-dir "$scratch/state" --target-dir "$scratch/backups" \
  --libvirt-uri test:///default --log-level info </dev/null >"$log" 2>&1 &
daemon_pid=$!
status() { curl -sS --max-time 10 --unix-socket "$socket" -o /dev/null -w '%{http_code}' http://localhost/v1/status; }
for _ in $(seq 1 100); do
  [[ $(status 2>/dev/null) == 200 ]] && break
  kill -0 "$daemon_pid" 2>/dev/null || { cat "$log" >&2; fail "vmbackupd did not start"; }
  sleep 0.1
done
[[ $(status) == 200 ]] || { cat "$log" >&2; fail "vmbackupd does not answer /v1/status"; }

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
socat "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" "UNIX-CONNECT:$socket" &
bridge_pid=$!
for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$port/v1/status" && break; sleep 0.1; done

say "schemathesis $schemathesis_version against http://127.0.0.1:$port/v1/openapi.json for at most ${seconds} s"
# not_a_server_error fails on every 5xx; no_unexpected_server_error says which ones are defects.
# The authorization checks have nothing to check: the socket's file mode is the API's access control.
# use_after_free expects a DELETE to remove what it names, but DELETE /v1/tasks/{id} cancels the
# task, which stays listed (cancelled) as the document says.
# From the scratch folder, where schemathesis keeps its cache of failing cases (st replay).
st_status=0
cd "$scratch"
PYTHONPATH=$repo/scripts/fuzz SCHEMATHESIS_HOOKS=vmbackup_checks \
  timeout --kill-after=10 $((seconds + 60)) \
  "$venv/bin/st" --config-file "$repo/scripts/fuzz/schemathesis.toml" run "http://127.0.0.1:$port/v1/openapi.json" --url "http://127.0.0.1:$port" \
  --workers 1 --max-time "$seconds" --max-examples "${VMBACKUP_FUZZ_EXAMPLES:-40}" \
  --phases examples,coverage,fuzzing,stateful --request-timeout 20 --seed "${VMBACKUP_FUZZ_SEED:-20261130}" \
  --exclude-checks not_a_server_error,ignored_auth,object_level_authorization,use_after_free \
  --report junit --report-dir "$scratch/report" --no-color || st_status=$?

problems=()
((st_status == 0)) || problems+=("schemathesis found problems (exit status $st_status)")
kill -0 "$daemon_pid" 2>/dev/null || problems+=("vmbackupd is not running any more")
[[ $(status 2>/dev/null) == 200 ]] || problems+=("vmbackupd no longer answers GET /v1/status")
written=$(find "$scratch/cwd" -mindepth 1 | head -20)
[[ -z $written ]] || problems+=("vmbackupd wrote into its working directory: $written")
left=$(find "$scratch/tmp" -mindepth 1 | head -20)
[[ -z $left ]] || problems+=("temporary files left behind: $left")
# A write outside the scratch folder fails with EROFS; the daemon logs what failed.
if grep -q 'Read-only file system' "$log"; then
  grep -n 'Read-only file system' "$log" | head -5 >&2 || true
  problems+=("vmbackupd tried to write outside its state, target and socket folders (above)")
fi
if grep -q 'unexpected error' "$log"; then
  grep -n 'unexpected error' "$log" | head -5 >&2 || true
  problems+=("vmbackupd answered with an unexpected (internal) error (above)")
fi

kill -TERM "$daemon_pid"
exit_status=0
wait "$daemon_pid" || exit_status=$?
daemon_pid=''
((exit_status == 0)) || problems+=("vmbackupd exited with status $exit_status on SIGTERM")

if ((${#problems[@]})); then
  keep_scratch=1
  printf 'fuzz: FAILED: %s\n' "${problems[@]}" >&2
  say "the daemon's log: $log"
  exit 1
fi
say "passed in $((SECONDS - started)) s"
