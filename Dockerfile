# Images from jars that the Maven build made (no Maven, no registry access inside docker build;
# works with the legacy builder and with BuildKit alike):
#   mvn -B -ntp -DskipTests package
#   mvn -B -ntp -pl operator dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/image-lib
#   docker build --target operator  -t peerrelay/operator:dev .
#   docker build --target relay-jvm -t peerrelay/relay:dev-jvm .   (JVM relay)
#   docker build --target relay     -t peerrelay/relay:dev .       (Quarkus native relay)
# e2e/kind/build-images.sh runs exactly these steps.
# The base images are build arguments: where no registry can be reached (the project's test
# machines) e2e/kind/images.sh builds a Debian JRE image and passes it as JRE_IMAGE.
# Stage order matters for the legacy builder, which builds every stage before the target: the
# native relay is last, so the other targets never need its base image.
ARG JRE_IMAGE=eclipse-temurin:17-jre
ARG MICRO_IMAGE=quay.io/quarkus/ubi9-quarkus-micro-image:2.0

# ---- operator ----------------------------------------------------------------------------------
FROM ${JRE_IMAGE} AS operator
COPY operator/target/image-lib/ /opt/peerrelay-operator/lib/
COPY operator/target/peerrelay-operator.jar /opt/peerrelay-operator/operator.jar
USER 65532:65532
EXPOSE 8080 8081
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/opt/peerrelay-operator/operator.jar:/opt/peerrelay-operator/lib/*", "io.peerrelay.operator.OperatorMain"]

# ---- relay: JVM --------------------------------------------------------------------------------
FROM ${JRE_IMAGE} AS relay-jvm
COPY relay-pod/target/quarkus-app/ /opt/peer-relay/
# Lean JVM (relay-pod/README.md, "JVM flags"): serial GC, a heap that starts small, small stacks and
# direct memory, and a class-data-sharing archive of the relay's classes written by one serve run
# here at build time (-XX:ArchiveClassesAtExit). PEERRELAY_JAVA_OPTS replaces the flags.
ENV PEERRELAY_JAVA_OPTS="-XX:+UseSerialGC -Xms16m -Xmn2m -Xmx256m -XX:MaxMetaspaceSize=96m -XX:MaxDirectMemorySize=64m -Xss512k -XX:TieredStopAtLevel=1 --add-opens=java.base/java.nio=ALL-UNNAMED -XX:SharedArchiveFile=/opt/peer-relay/relay.jsa -Xshare:auto"
RUN printf '#!/bin/sh\nexec java $PEERRELAY_JAVA_OPTS -jar /opt/peer-relay/quarkus-run.jar "$@"\n' \
      > /usr/local/bin/peer-relay && chmod 755 /usr/local/bin/peer-relay \
 && d=$(mktemp -d) && cd "$d" \
 && java -jar /opt/peer-relay/quarkus-run.jar keygen --out relay.key > /dev/null \
 && printf 'version: 1\nudpPort: 40000\nhttpPort: 9090\nkeyFile: relay.key\nadvertisedEndpoints: [127.0.0.1:40000]\nshutdown: {drain: 0s}\n' > relay.yaml \
 && (java ${PEERRELAY_JAVA_OPTS%%-XX:SharedArchiveFile*} -XX:ArchiveClassesAtExit=/opt/peer-relay/relay.jsa \
       -jar /opt/peer-relay/quarkus-run.jar serve --config relay.yaml --bind-v4 127.0.0.1 --no-ipv6 > cds.log 2>&1 & \
     pid=$!; i=0; until grep -q 'serving as' cds.log || [ $i -ge 300 ]; do sleep 0.2; i=$((i+1)); done; \
     sleep 1; kill -TERM $pid; wait $pid || true) \
 && test -s /opt/peer-relay/relay.jsa || { cat "$d/cds.log"; echo "no CDS archive written" >&2; exit 1; } \
 ; rm -rf "$d"
USER 65532:65532
EXPOSE 40000/udp 9090/tcp
# The relay needs Netty's native epoll for the image's architecture: fail the build, not the pod.
# BuildKit sets TARGETARCH (amd64, arm64; docker buildx --platform); the legacy builder does not
# and builds for the machine it runs on, so an empty one means this machine's architecture.
ARG TARGETARCH
RUN arch="${TARGETARCH:-$(uname -m)}"; \
    case "$arch" in amd64|x86_64) so=x86_64 ;; arm64|aarch64) so=aarch_64 ;; \
      *) echo "relay-jvm: no Netty native epoll for architecture $arch (amd64 and arm64 only)" >&2; exit 1 ;; esac; \
    ls /opt/peer-relay/lib/main/*netty-transport-native-epoll-*-linux-$so.jar >/dev/null || { \
      echo "relay-jvm: Netty epoll for linux-$so missing from relay-pod/target/quarkus-app:" \
           "add netty-transport-native-epoll:linux-$so to relay-pod/pom.xml" >&2; exit 1; }
ENTRYPOINT ["/usr/local/bin/peer-relay"]
CMD ["serve", "--config", "/etc/peerrelay/config/relay.yaml"]

# ---- relay: Quarkus native binary ----------------------------------------------------------------
# The binary comes from a Mandrel builder that Quarkus runs in a container
# (mvn -pl relay-pod -am package -Dquarkus.native.enabled=true -Dquarkus.native.container-build=true);
# that needs a registry for the builder image, so it is built on GitHub Actions only
# (.github/workflows/kind-e2e.yml, and .github/workflows/images.yml for both architectures), not on
# the project's offline test machines. The binary is for the architecture it was built on:
# images.yml builds each on a runner of that architecture (no emulation for the native compile).
FROM ${MICRO_IMAGE} AS relay
COPY relay-pod/target/peer-relay-native /usr/local/bin/peer-relay
USER 65532:65532
EXPOSE 40000/udp 9090/tcp
ENTRYPOINT ["/usr/local/bin/peer-relay"]
CMD ["serve", "--config", "/etc/peerrelay/config/relay.yaml"]
