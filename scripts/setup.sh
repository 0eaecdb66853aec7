#!/usr/bin/env bash
# Prepares a fresh Debian 12 machine for Goldsmith: the Debian packages it
# runs (runc, mmdebstrap, ...), the npm dependencies, and the build.
set -euo pipefail
cd "$(dirname "$0")/.."

# runc: the sandbox; mmdebstrap: base images; skopeo, umoci: tests of the OCI
# output; buildah: the benchmark's peer; attr: overlay xattrs; iproute2:
# sandbox networking; iptables, iputils-ping: the sink network and its
# reachability check; dpkg-dev: test packages; xz-utils, zstd: archives;
# gcc, libc6-dev, make: the sandbox's static PID-1 agent (agent/); e2fsprogs,
# mount: the size-limited ext4 loop filesystem under each sandbox's upper dir.
# rpm, golang-go: real rpm databases and Go binaries for the scanner's tests.
# libreoffice-calc-nogui, python3-openpyxl: two independent readers (and a
# writer) of the product load form workbook, for its tests.
# qemu-utils, fdisk: raw and qcow2 disk images (qemu-img, sfdisk).
# awscli: the AWS CLI, pointed at the AWS-compatible build API in its tests.
# chromium: the headless browser the web console's tests drive (test/console/).
packages=(runc mmdebstrap skopeo umoci buildah attr iproute2 iptables iputils-ping dpkg-dev xz-utils zstd ca-certificates util-linux gcc libc6-dev make e2fsprogs mount rpm golang-go libreoffice-calc-nogui python3-openpyxl qemu-utils fdisk awscli chromium)
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: run as root (Goldsmith needs root for runc and overlay mounts)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund </dev/null
fi
echo "setup: build (server and web console)"
npm run -s build
echo "setup: sandbox agent"
make -s -C agent
