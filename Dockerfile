# syntax=docker/dockerfile:1.7
# Two images from one file:
#   docker build --target operator  -t peerrelay/operator:dev .
#   docker build --target relay     -t peerrelay/relay:dev .       (Quarkus native binary)
#   docker build --target relay-jvm -t peerrelay/relay:dev-jvm .   (JVM fallback, no native toolchain)
# The native build needs a GraalVM/Mandrel toolchain, which this project's test machines cannot
# fetch (see README, "Limits"); here it comes from the Mandrel builder image.

ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17
ARG MANDREL_IMAGE=quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-21
ARG JRE_IMAGE=eclipse-temurin:17-jre
ARG MICRO_IMAGE=quay.io/quarkus/ubi9-quarkus-micro-image:2.0

# ---- build the jars (operator, relay JVM build) ------------------------------------------------
FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
COPY pom.xml ./
COPY .mvn .mvn
COPY test-support/pom.xml test-support/
COPY operator/pom.xml operator/
COPY relay-pod/pom.xml relay-pod/
RUN --mount=type=cache,target=/root/.m2 mvn -B -q -ntp -DskipTests dependency:go-offline || true
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -DskipTests -Dspotless.check.skip=true package \
 && mvn -B -q -ntp -pl operator dependency:copy-dependencies -DincludeScope=runtime \
        -DoutputDirectory=/out/operator/lib \
 && cp operator/target/peerrelay-operator-*.jar /out/operator/operator.jar \
 && cp -r relay-pod/target/quarkus-app /out/relay-jvm

# ---- operator image ----------------------------------------------------------------------------
FROM ${JRE_IMAGE} AS operator
COPY --from=build /out/operator /opt/peerrelay-operator
USER 65532:65532
EXPOSE 8080 8081
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-cp", "/opt/peerrelay-operator/operator.jar:/opt/peerrelay-operator/lib/*", "io.peerrelay.operator.OperatorMain"]

# ---- relay: Quarkus native binary ----------------------------------------------------------------
FROM ${MANDREL_IMAGE} AS native
USER root
WORKDIR /src
COPY --from=build /src /src
# The Mandrel builder image has GraalVM's native-image but no Maven: take the build stage's.
COPY --from=build /usr/share/maven /opt/maven
RUN --mount=type=cache,target=/root/.m2 \
    /opt/maven/bin/mvn -B -ntp -pl relay-pod -DskipTests -Dspotless.check.skip=true -Dquarkus.native.enabled=true \
        -Dquarkus.package.jar.enabled=false package \
 && cp relay-pod/target/*-runner /peer-relay

FROM ${MICRO_IMAGE} AS relay
COPY --from=native /peer-relay /usr/local/bin/peer-relay
USER 65532:65532
EXPOSE 40000/udp 9090/tcp
ENTRYPOINT ["/usr/local/bin/peer-relay"]
CMD ["serve", "--config", "/etc/peerrelay/config/relay.yaml"]

# ---- relay: JVM fallback -----------------------------------------------------------------------
FROM ${JRE_IMAGE} AS relay-jvm
COPY --from=build /out/relay-jvm /opt/peer-relay
RUN printf '#!/bin/sh\nexec java -XX:MaxRAMPercentage=75 -jar /opt/peer-relay/quarkus-run.jar "$@"\n' \
      > /usr/local/bin/peer-relay && chmod 755 /usr/local/bin/peer-relay
USER 65532:65532
EXPOSE 40000/udp 9090/tcp
ENTRYPOINT ["/usr/local/bin/peer-relay"]
CMD ["serve", "--config", "/etc/peerrelay/config/relay.yaml"]
