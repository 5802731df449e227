// cfwd: the kernel-side ceiling for the side-by-side benchmark (e2e/bench/run.sh). A minimal
// Geneve forwarder that does per packet what a peer relay's data path must do and nothing more:
// read a batch with recvmmsg, look the VNI up in a table, forward by source (leg A's packets to
// leg B and back), drop anything else, write the batch with sendmmsg. No handshake: the table is
// static, session i (VNI i+1) joins 127.0.0.1:BASE+2i and 127.0.0.1:BASE+2i+1, the ports the
// generator binds for it.
//
//   cfwd PORT BASE SESSIONS [BATCH]      binds 127.0.0.1:PORT only (loopback, never a wildcard)
//
// MSG_WAITFORONE: recvmmsg returns as soon as one datagram is there (then takes what else is
// queued), so a paced packet is never held back waiting for a full batch.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_BATCH 256
#define BUF_SIZE 65536
#define GENEVE_LEN 8

struct session {
  uint32_t addr;    // network order; both legs on 127.0.0.1
  uint16_t port[2]; // network order
};

static volatile sig_atomic_t stop;
static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

static long number(const char *text, const char *what, long lo, long hi) {
  char *end;
  long v = strtol(text, &end, 10);
  if (*text == 0 || *end != 0 || v < lo || v > hi) {
    fprintf(stderr, "cfwd: %s: %s is not a number in %ld..%ld\n", what, text, lo, hi);
    exit(2);
  }
  return v;
}

int main(int argc, char **argv) {
  if (argc < 4 || argc > 5) {
    fprintf(stderr, "usage: cfwd PORT BASE SESSIONS [BATCH]\n");
    return 2;
  }
  int port = (int)number(argv[1], "PORT", 1, 65535);
  long base = number(argv[2], "BASE", 1, 65535);
  long n = number(argv[3], "SESSIONS", 1, 30000);
  int batch = argc == 5 ? (int)number(argv[4], "BATCH", 1, MAX_BATCH) : 64;
  if (base + 2 * n - 1 > 65535) {
    fprintf(stderr, "cfwd: BASE %ld + 2*SESSIONS %ld runs past port 65535\n", base, n);
    return 2;
  }
  struct session *table = calloc((size_t)n + 1, sizeof *table); // indexed by VNI, 0 unused
  for (long i = 0; i < n; i++) {
    table[i + 1].addr = htonl(INADDR_LOOPBACK);
    table[i + 1].port[0] = htons((uint16_t)(base + 2 * i));
    table[i + 1].port[1] = htons((uint16_t)(base + 2 * i + 1));
  }
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  int size = 7 << 20; // the socket buffers both relays ask for
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  struct sockaddr_in self = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
  self.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(fd, (struct sockaddr *)&self, sizeof self) != 0) {
    fprintf(stderr, "cfwd: bind 127.0.0.1:%d: %s\n", port, strerror(errno));
    return 1;
  }
  struct sigaction sa = {.sa_handler = on_signal};
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  static char bufs[MAX_BATCH][BUF_SIZE];
  static struct mmsghdr in[MAX_BATCH], out[MAX_BATCH];
  static struct iovec iov_in[MAX_BATCH], iov_out[MAX_BATCH];
  static struct sockaddr_in from[MAX_BATCH], to[MAX_BATCH];
  for (int i = 0; i < MAX_BATCH; i++) {
    iov_in[i] = (struct iovec){bufs[i], BUF_SIZE};
    in[i].msg_hdr = (struct msghdr){.msg_name = &from[i], .msg_iov = &iov_in[i], .msg_iovlen = 1};
  }
  unsigned long long forwarded = 0, dropped = 0;
  fprintf(stderr, "cfwd: forwarding on 127.0.0.1:%d, %ld static sessions (ports %ld-%ld), batch %d\n",
          port, n, base, base + 2 * n - 1, batch);
  while (!stop) {
    for (int i = 0; i < batch; i++) {
      in[i].msg_hdr.msg_namelen = sizeof from[i];
    }
    int got = recvmmsg(fd, in, (unsigned)batch, MSG_WAITFORONE, NULL);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      perror("cfwd: recvmmsg");
      return 1;
    }
    int k = 0;
    for (int i = 0; i < got; i++) {
      const unsigned char *p = (const unsigned char *)bufs[i];
      unsigned len = in[i].msg_len;
      // Geneve version 0, no options, and a VNI in the table; anything else is dropped.
      if (len < GENEVE_LEN || (p[0] & 0xff) != 0) {
        dropped++;
        continue;
      }
      uint32_t vni = (uint32_t)p[4] << 16 | (uint32_t)p[5] << 8 | p[6];
      if (vni == 0 || vni > (uint32_t)n || from[i].sin_addr.s_addr != table[vni].addr) {
        dropped++;
        continue;
      }
      int leg = from[i].sin_port == table[vni].port[0] ? 0 : from[i].sin_port == table[vni].port[1] ? 1 : -1;
      if (leg < 0) {
        dropped++;
        continue;
      }
      to[k] = (struct sockaddr_in){.sin_family = AF_INET, .sin_addr.s_addr = table[vni].addr,
                                   .sin_port = table[vni].port[1 - leg]};
      iov_out[k] = (struct iovec){bufs[i], len};
      out[k].msg_hdr = (struct msghdr){.msg_name = &to[k], .msg_namelen = sizeof to[k],
                                       .msg_iov = &iov_out[k], .msg_iovlen = 1};
      k++;
    }
    for (int sent = 0; sent < k;) {
      int r = sendmmsg(fd, out + sent, (unsigned)(k - sent), 0);
      if (r < 0) {
        if (errno == EINTR) {
          continue;
        }
        dropped += (unsigned)(k - sent); // a full send buffer drops, as a relay would
        break;
      }
      sent += r;
    }
    forwarded += (unsigned)k;
  }
  fprintf(stderr, "cfwd: stopped: %llu forwarded, %llu dropped\n", forwarded, dropped);
  return 0;
}
