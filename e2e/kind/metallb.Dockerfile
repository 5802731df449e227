# One MetalLB image (controller or speaker) from the static binary e2e/tools/build.sh metallb
# built, on the locally built Debian base (e2e/kind/metallb.sh), where no registry can be reached.
ARG BASE
FROM ${BASE}
ARG BIN
ARG INPUT
# metallb.sh compares this label with the inputs of a rebuild: an unchanged image is reused.
LABEL io.peerrelay.input=${INPUT}
# The upstream images run /controller and /speaker; the manifests start them without a command.
COPY ${BIN} /entrypoint
ENTRYPOINT ["/entrypoint"]
