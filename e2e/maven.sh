#!/usr/bin/env bash
# Prints the bin directory of the Maven release the build runs with, fetching it once into the
# tools cache ($PEERRELAY_TOOLS_CACHE, default ~/.cache/peerrelay/tools/apache-maven-VERSION).
#
# Why not the machine's mvn: Debian bookworm ships Maven 3.8.7, and under it the Quarkus Maven
# plugin (3.31 and newer) warns on every multi-module build that its Maven extensions are not
# enabled although relay-pod/pom.xml enables them (3.8's session scope hands the plugin another
# instance of its session listener than the one that ran); Maven 3.9 builds without a warning.
# The distribution comes from Maven Central through the machine's own mvn (dependency:copy with
# strict checksums), so nothing but the Maven repository is reached.
#
#   PATH=$(e2e/maven.sh):$PATH
set -euo pipefail
version=3.9.16
cache=${PEERRELAY_TOOLS_CACHE:-$HOME/.cache/peerrelay/tools}
home=$cache/apache-maven-$version

log() { printf '[maven] %s\n' "$*" >&2; }

if [ ! -x "$home/bin/mvn" ]; then
  command -v mvn >/dev/null 2>&1 || { log "no mvn on PATH to fetch Maven $version with (e2e/install-deps.sh installs one)"; exit 1; }
  log "fetching Maven $version (the machine has $(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g'))"
  mkdir -p "$cache"
  tmp=$(mktemp -d "$cache/.apache-maven-$version.XXXXXX")
  trap 'rm -rf "$tmp"' EXIT
  # Run outside the project (no reactor to read), copied straight into the scratch directory.
  (cd "$tmp" && mvn -B -q -ntp -C dependency:copy \
    -Dartifact="org.apache.maven:apache-maven:$version:tar.gz:bin" -DoutputDirectory="$tmp") >&2
  tar -xzf "$tmp/apache-maven-$version-bin.tar.gz" -C "$tmp"
  "$tmp/apache-maven-$version/bin/mvn" -v >/dev/null 2>&1 || { log "the unpacked Maven $version does not run"; exit 1; }
  rm -rf "$home"
  mv "$tmp/apache-maven-$version" "$home"
  log "Maven $version ready in $home"
fi
echo "$home/bin"
