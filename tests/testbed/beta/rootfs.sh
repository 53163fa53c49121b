#!/usr/bin/env bash
# Root file system for cluster `beta`: Debian 13 (trixie) with Slurm 24.11, built with debootstrap and
# cached as a zstd tarball. Sourced by beta/up.sh; can also be run on its own to (re)build the cache:
#   sudo tests/testbed/beta/rootfs.sh [--force]
# The tarball name carries a hash of suite + mirror + package list, so changing the list below rebuilds it.

BETA_SUITE=${BETA_SUITE:-trixie}
BETA_PACKAGES=(munge slurmctld slurmd slurmdbd slurm-client mariadb-server openssh-server openssh-client)

beta_mirror() {
  # The Debian mirror apt on this host is configured with (deb822 or one-line format).
  if [[ -n ${BETA_MIRROR:-} ]]; then echo "$BETA_MIRROR"; return; fi
  local m
  m=$(grep -hsE '^URIs:.*/debian/?$' /etc/apt/sources.list.d/*.sources | head -1 | awk '{print $2}')
  [[ -n $m ]] || m=$(grep -hsE '^deb .*/debian/? ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
                     | head -1 | awk '{for(i=2;i<=NF;i++) if ($i ~ /^https?:/) {print $i; exit}}')
  echo "${m:-http://deb.debian.org/debian}"
}

beta_rootfs_tarball() {
  local h
  h=$(printf '%s\n' "$BETA_SUITE" "${BETA_PACKAGES[@]}" | sha256sum | cut -c1-12)
  echo "${CACHE:-${CLUSTEROPS_TESTBED_CACHE:-/var/cache/clusterops-testbed}}/beta-rootfs-$BETA_SUITE-$h.tar.zst"
}

beta_host_tools() {
  local missing=()
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  command -v zstd >/dev/null || missing+=(zstd)
  ((${#missing[@]})) || return 0
  if ((EUID != 0)); then
    echo "beta: missing ${missing[*]}; run: sudo apt-get install -y ${missing[*]}" >&2; return 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# beta_build_rootfs [--force]: build the cached tarball unless it exists.
beta_build_rootfs() {
  local tarball build mirror t0=$SECONDS
  tarball=$(beta_rootfs_tarball)
  if [[ -s $tarball && ${1:-} != --force ]]; then return 0; fi
  beta_host_tools || return 1
  mkdir -p "$(dirname "$tarball")"
  build=$(dirname "$tarball")/beta-build.$$
  mirror=$(beta_mirror)
  echo "beta: building rootfs ($BETA_SUITE from $mirror) in $build" >&2
  rm -rf "$build"
  (
    set -euo pipefail
    cleanup() { umount "$build/proc" 2>/dev/null || true; }
    trap cleanup EXIT
    debootstrap --variant=minbase "$BETA_SUITE" "$build" "$mirror" >"$build.debootstrap.log" 2>&1 \
      || { tail -20 "$build.debootstrap.log" >&2; exit 1; }
    printf '#!/bin/sh\nexit 101\n' >"$build/usr/sbin/policy-rc.d"; chmod 755 "$build/usr/sbin/policy-rc.d"
    mount -t proc proc "$build/proc"
    chroot "$build" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 \
      sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends ${BETA_PACKAGES[*]} && apt-get clean" \
      >"$build.apt.log" 2>&1 || { tail -20 "$build.apt.log" >&2; exit 1; }
    umount "$build/proc"
    # Host keys and machine ids are per instance; up.sh generates its own.
    rm -f "$build"/etc/ssh/ssh_host_* "$build/etc/munge/munge.key"
    rm -rf "$build"/var/lib/apt/lists/* "$build"/var/cache/apt/*.bin
    tar -C "$build" --numeric-owner -cpf - . | zstd -q -T0 -3 -o "$tarball.tmp"
    mv "$tarball.tmp" "$tarball"
  ) || { rm -rf "$build" "$tarball.tmp"; return 1; }
  rm -rf "$build" "$build".*.log
  echo "beta: rootfs cached as $tarball ($(du -h "$tarball" | cut -f1), $((SECONDS - t0)) s)" >&2
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  ((EUID == 0)) || { echo "run as root (sudo $0)" >&2; exit 1; }
  beta_build_rootfs "$@"
fi
