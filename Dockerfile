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
RUN printf '#!/bin/sh\nexec java -XX:MaxRAMPercentage=75 -XX:TieredStopAtLevel=1 -jar /opt/peer-relay/quarkus-run.jar "$@"\n' \
      > /usr/local/bin/peer-relay && chmod 755 /usr/local/bin/peer-relay
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
# (mvn -pl relay-pod package -Dquarkus.native.enabled=true -Dquarkus.native.container-build=true);
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
