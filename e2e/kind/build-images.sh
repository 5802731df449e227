#!/usr/bin/env bash
# Builds the project's images from the Maven build's jars with the Dockerfile and loads them into
# the kind cluster:
#   peerrelay/operator:e2e   (--target operator)
#   peerrelay/relay:e2e      (--target $RELAY_TARGET: relay-jvm by default; relay = the Quarkus
#                             native binary, which needs a Mandrel builder image from a registry:
#                             GitHub Actions builds it, see .github/workflows/kind-e2e.yml)
# The jars come from an earlier `mvn verify`/`package` (e2e/test-all.sh runs verify first) and
# are built here only when missing. Where no registry can be reached the JRE base image is the
# one e2e/kind/images.sh built.
set -euo pipefail
klog_tag=images
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$kind_root"
target=${RELAY_TARGET:-relay-jvm}
mvn_q=(mvn -B -q -ntp -Dspotless.check.skip=true)

jar=$(ls operator/target/peerrelay-operator-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1 || true)
if [ -z "$jar" ] || [ ! -f relay-pod/target/quarkus-app/quarkus-run.jar ]; then
  ktimed "Maven package (jars missing)" "${mvn_q[@]}" -DskipTests package
  jar=$(ls operator/target/peerrelay-operator-*.jar | grep -v -e sources -e tests | head -1)
fi
stamp=operator/target/image-lib/.complete
if [ -f "$stamp" ] && [ -z "$(find "$jar" pom.xml operator/pom.xml -newer "$stamp")" ]; then
  klog "operator runtime dependencies: up to date"
else
  rm -rf operator/target/image-lib
  # compile (a no-op after verify) lets the reactor resolve test-support, a test dependency, to
  # its classes; copy-dependencies alone would look for its jar in the local repository.
  ktimed "operator runtime dependencies" "${mvn_q[@]}" -pl operator -am compile dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$kind_root/operator/target/image-lib"
  touch "$stamp"
fi
cp "$jar" operator/target/peerrelay-operator.jar
if [ "$target" = relay ]; then
  if ! ls relay-pod/target/*-runner >/dev/null 2>&1; then
    ktimed "Quarkus native build (Mandrel builder container)" "${mvn_q[@]}" -pl relay-pod -am -DskipTests package \
      -Dquarkus.native.enabled=true -Dquarkus.native.container-build=true -Dquarkus.package.jar.enabled=false
  fi
  cp "$(ls relay-pod/target/*-runner | head -1)" relay-pod/target/peer-relay-native
fi

args=()
if [ "$(kind_mode)" = local ]; then
  docker image inspect "$LOCAL_JRE_IMAGE" >/dev/null 2>&1 || "$kind_here/images.sh" base
  args+=(--build-arg "JRE_IMAGE=$LOCAL_JRE_IMAGE")
fi
ktimed "docker build --target operator" docker build -q "${args[@]}" --target operator -t peerrelay/operator:e2e .
ktimed "docker build --target $target" docker build -q "${args[@]}" --target "$target" -t peerrelay/relay:e2e .
if [ "${1:-}" != --no-load ]; then
  kind_tools
  ktimed "kind load docker-image" kind load docker-image --name "$KIND_CLUSTER" peerrelay/operator:e2e peerrelay/relay:e2e
fi
