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
ENTRYPOINT ["/usr/local/bin/peer-relay"]
CMD ["serve", "--config", "/etc/peerrelay/config/relay.yaml"]

# ---- relay: Quarkus native binary ----------------------------------------------------------------
# The binary comes from a Mandrel builder that Quarkus runs in a container
# (mvn -pl relay-pod package -Dquarkus.native.enabled=true -Dquarkus.native.container-build=true);
# that needs a registry for the builder image, so it is built on GitHub Actions
# (.github/workflows/kind-e2e.yml), not on the project's offline test machines.
FROM ${MICRO_IMAGE} AS relay
COPY relay-pod/target/peer-relay-native /usr/local/bin/peer-relay
USER 65532:65532
EXPOSE 40000/udp 9090/tcp
ENTRYPOINT ["/usr/local/bin/peer-relay"]
CMD ["serve", "--config", "/etc/peerrelay/config/relay.yaml"]
