#!/usr/bin/env bash
# Installs the Debian packages the build and tests need, only those that are missing.
# Java 17, Maven and Go >= 1.24 are expected from the machine image; this script says clearly
# when one of them is missing instead of failing later in the middle of a build.
set -euo pipefail

log() { printf '[deps] %s\n' "$*" >&2; }

need=()
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v pgrep >/dev/null 2>&1 || need+=(procps)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v iptables >/dev/null 2>&1 || need+=(iptables)
command -v git >/dev/null 2>&1 || need+=(git)

if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    log "missing packages: ${need[*]}; run as root (or: sudo apt-get install -y ${need[*]})"
    exit 1
  fi
  log "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

jv=$(java -version 2>&1 | awk -F'"' '/version/ {print $2}')
case "$jv" in 1.*|9*|1[0-6]*) log "Java $jv is too old: Java 17 or newer is needed"; exit 1 ;; esac
if ! command -v go >/dev/null 2>&1; then
  log "no Go toolchain: the control-plane tools are built from Go modules; install Go >= 1.24"
  exit 1
fi
log "java $jv, $(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g'), $(go version)"
