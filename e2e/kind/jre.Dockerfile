# A Java 17 runtime from Debian's package on the locally built Debian base (e2e/kind/images.sh):
# the JRE_IMAGE build argument of the project's Dockerfile where no registry can be reached.
ARG BASE
FROM ${BASE}
# The base is a `docker import`ed rootfs, which has no PATH of its own.
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless ca-certificates >/dev/null \
 && rm -rf /var/lib/apt/lists/* /var/cache/apt/archives/*.deb
