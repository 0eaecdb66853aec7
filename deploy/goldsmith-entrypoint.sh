#!/bin/sh
# Entrypoint of the Goldsmith image: prepares what runc needs inside a privileged container,
# then runs `goldsmith "$@"`. Both steps do nothing where they do not apply (an API-only
# container without privileges, a host without cgroup v2).
set -eu

# Loop devices: every sandbox's upper directory is a size-limited ext4 file mounted with
# `mount -o loop`. A privileged container gets a copy of the host's /dev made at its start,
# so loop devices the kernel adds later never appear in it (moby/moby#27886): make the nodes
# ahead (block major 7). GOLDSMITH_LOOP_DEVICES bounds the sandboxes one host runs at once.
if [ -c /dev/loop-control ]; then
  i=0
  while [ "$i" -lt "${GOLDSMITH_LOOP_DEVICES:-64}" ]; do
    [ -e "/dev/loop$i" ] || mknod -m 0660 "/dev/loop$i" b 7 "$i" || true
    i=$((i + 1))
  done
fi

# cgroup v2 in a private cgroup namespace (/proc/self/cgroup reads `0::/`): runc makes each
# sandbox's cgroup below ours, and a cgroup v2 parent may enable controllers for children
# only when it holds no process itself. Move ours into a child first, as Docker-in-Docker
# does. Never with the host's cgroup namespace: there `/` is the host's root cgroup.
if [ -f /sys/fs/cgroup/cgroup.controllers ] && [ "$(cat /proc/self/cgroup)" = "0::/" ] &&
  [ -w /sys/fs/cgroup/cgroup.subtree_control ]; then
  mkdir -p /sys/fs/cgroup/goldsmith-init
  xargs -rn1 </sys/fs/cgroup/cgroup.procs >/sys/fs/cgroup/goldsmith-init/cgroup.procs 2>/dev/null || true
  sed -e 's/ / +/g' -e 's/^/+/' </sys/fs/cgroup/cgroup.controllers \
    >/sys/fs/cgroup/cgroup.subtree_control || true
fi

exec node /opt/goldsmith/bin/goldsmith.js "$@"
