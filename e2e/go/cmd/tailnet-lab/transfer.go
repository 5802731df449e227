package main

// The bulk transfer through the tunnel: `send` dials through one client's SOCKS5 server to a
// `sink` on 127.0.0.1 of the other client's namespace (the other tailscaled's netstack forwards
// connections to its Tailscale IP there). The stream is framed, an 8-byte length then the bytes,
// and the sink answers the SHA-256 of what it read: the SOCKS5-to-netstack path does not carry a
// TCP half-close, so neither side may wait for EOF.

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"time"

	"golang.org/x/net/proxy"
)

const maxTransfer = 64 << 30 // a length above this is not a lab transfer: the sink hangs up

func runSink(args []string) error {
	fs := flag.NewFlagSet("sink", flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1:9000", "TCP address to accept framed transfers on")
	_ = fs.Parse(args)
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("sink: listen on %s: %w", *listen, err)
	}
	fmt.Printf("sink listening on %s\n", ln.Addr())
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		go func() {
			defer c.Close()
			if err := sinkOne(c); err != nil {
				fmt.Printf("sink: %v: %v\n", c.RemoteAddr(), err)
			}
		}()
	}
}

func sinkOne(c net.Conn) error {
	var hdr [8]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		return fmt.Errorf("reading the length: %w", err)
	}
	n := binary.BigEndian.Uint64(hdr[:])
	if n > maxTransfer {
		return fmt.Errorf("length %d over %d", n, maxTransfer)
	}
	h := sha256.New()
	start := time.Now()
	if _, err := io.CopyN(h, c, int64(n)); err != nil {
		return fmt.Errorf("reading %d bytes: %w", n, err)
	}
	sum := h.Sum(nil)
	fmt.Printf("sink: %d bytes in %.2f s, sha256 %s\n", n, time.Since(start).Seconds(), hex.EncodeToString(sum))
	_, err := c.Write(sum)
	return err
}

func runSend(args []string) error {
	fs := flag.NewFlagSet("send", flag.ExitOnError)
	socks := fs.String("socks5", "127.0.0.1:1080", "SOCKS5 server of the sending client's tailscaled")
	to := fs.String("to", "", "sink address as IP:port (the other client's Tailscale IP)")
	mib := fs.Int("mib", 200, "MiB to send")
	timeout := fs.Duration("timeout", 120*time.Second, "give up after")
	_ = fs.Parse(args)
	d, err := proxy.SOCKS5("tcp", *socks, nil, proxy.Direct)
	if err != nil {
		return err
	}
	c, err := d.Dial("tcp", *to)
	if err != nil {
		return fmt.Errorf("send: dialing %s through SOCKS5 %s: %w", *to, *socks, err)
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(*timeout))
	n := int64(*mib) << 20
	var hdr [8]byte
	binary.BigEndian.PutUint64(hdr[:], uint64(n))
	h := sha256.New()
	start := time.Now()
	if _, err := c.Write(hdr[:]); err != nil {
		return err
	}
	if _, err := io.CopyN(io.MultiWriter(c, h), &noise{r: rand.NewChaCha8([32]byte{7})}, n); err != nil {
		return fmt.Errorf("send: after %.1f s: %w", time.Since(start).Seconds(), err)
	}
	got := make([]byte, sha256.Size)
	if _, err := io.ReadFull(c, got); err != nil {
		return fmt.Errorf("send: reading the sink's digest: %w", err)
	}
	secs := time.Since(start).Seconds()
	if want := h.Sum(nil); !bytes.Equal(got, want) {
		return fmt.Errorf("send: sha256 mismatch: sent %x, sink read %x", want, got)
	}
	fmt.Printf("bytes=%d seconds=%.2f mbit_per_s=%.1f sha256=%x\n", n, secs, float64(n)*8/secs/1e6, got)
	return nil
}

// noise is incompressible, reproducible payload.
type noise struct{ r *rand.ChaCha8 }

func (z *noise) Read(p []byte) (int, error) {
	_, _ = z.r.Read(p)
	return len(p), nil
}
