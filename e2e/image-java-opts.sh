#!/usr/bin/env bash
# Prints the JVM flags the relay image runs with (Dockerfile, relay-jvm stage: ENV
# PEERRELAY_JAVA_OPTS) less its CDS archive, which only the image holds, so that the bench and the
# tailnet lab measure the relay as it ships. Fails, saying so, when the Dockerfile has no such line.
set -euo pipefail
dockerfile="$(cd "$(dirname "$0")/.." && pwd)/Dockerfile"
opts=$(sed -n 's/^ENV PEERRELAY_JAVA_OPTS="\(.*\)"$/\1/p' "$dockerfile" | sed 's/ -XX:SharedArchiveFile=[^ ]*//; s/ -Xshare:[a-z]*//')
[ -n "$opts" ] || { echo "no ENV PEERRELAY_JAVA_OPTS line in $dockerfile" >&2; exit 1; }
echo "$opts"
