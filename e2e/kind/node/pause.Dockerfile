# The pod sandbox image: Kubernetes' own pause.c (build/pause/linux in the k8s.io/kubernetes
# module), linked statically by e2e/kind/node-image.sh.
FROM scratch
COPY pause /pause
USER 65535:65535
ENTRYPOINT ["/pause"]
