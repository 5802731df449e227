# One Kubernetes component image (kube-apiserver, etcd, CoreDNS, ...) from a binary built by
# e2e/tools/build.sh, on the locally built Debian base (e2e/kind/node-image.sh).
ARG BASE
FROM ${BASE}
# The base is a `docker import`ed rootfs, which has no PATH of its own.
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ARG BIN
ARG DEST=/usr/local/bin
COPY ${BIN} ${DEST}/${BIN}
