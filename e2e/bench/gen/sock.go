package main

// Raw non-blocking UDP sockets driven by one goroutine: the generator's data path is recvmmsg and
// sendmmsg on plain file descriptors (no Go netpoller, no goroutine per socket), so its own cost
// per packet stays small and its ceiling, measured on the direct path, well above a relay's.

import (
	"fmt"
	"net/netip"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// mmsghdr is struct mmsghdr of <sys/socket.h> on 64-bit Linux.
type mmsghdr struct {
	hdr unix.Msghdr
	n   uint32
	_   [4]byte
}

const burstMax = 64

// leg is one client socket: a magicsock's UDP socket in miniature.
type leg struct {
	fd   int
	addr netip.AddrPort // where it is bound
	dst  netip.AddrPort // where its data goes: the relay, or the peer leg on the direct path
	tx   []mmsghdr      // a prepared burst of identical datagrams to dst
	iov  []unix.Iovec
	name unix.RawSockaddrInet4
	buf  []byte
	// GSO mode: one message whose payload is burstMax copies back to back, cut by the kernel
	// into datagrams of len(datagram) (UDP_SEGMENT in a control message).
	gso    bool
	gsoBuf []byte
	gsoIov unix.Iovec
	gsoHdr unix.Msghdr
	oob    []byte
}

// openLeg binds a non-blocking UDP socket on 127.0.0.1:port (0: any free port).
func openLeg(port int) (*leg, error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("socket: %v", err)
	}
	unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, 4<<20)
	unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUF, 4<<20)
	if err := unix.Bind(fd, &unix.SockaddrInet4{Port: port, Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("bind 127.0.0.1:%d: %v", port, err)
	}
	sa, err := unix.Getsockname(fd)
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	return &leg{fd: fd, addr: netip.AddrPortFrom(netip.AddrFrom4([4]byte{127, 0, 0, 1}), uint16(sa.(*unix.SockaddrInet4).Port))}, nil
}

func (l *leg) close() { unix.Close(l.fd) }

func sockaddr(ap netip.AddrPort) *unix.SockaddrInet4 {
	return &unix.SockaddrInet4{Port: int(ap.Port()), Addr: ap.Addr().As4()}
}

func (l *leg) sendTo(b []byte, to netip.AddrPort) error {
	return unix.Sendto(l.fd, b, 0, sockaddr(to))
}

// recv waits up to d for one datagram.
func (l *leg) recv(buf []byte, d time.Duration) ([]byte, netip.AddrPort, bool) {
	end := time.Now().Add(d)
	for {
		n, from, err := unix.Recvfrom(l.fd, buf, unix.MSG_DONTWAIT)
		if err == nil {
			sa, _ := from.(*unix.SockaddrInet4)
			if sa == nil {
				continue
			}
			return buf[:n], netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port)), true
		}
		left := time.Until(end)
		if left <= 0 {
			return nil, netip.AddrPort{}, false
		}
		fds := []unix.PollFd{{Fd: int32(l.fd), Events: unix.POLLIN}}
		unix.Poll(fds, int(min(left, 50*time.Millisecond)/time.Millisecond)+1)
	}
}

// spinRecv busy-polls for one datagram (latency rounds: no wake-up from sleep in the figure).
func (l *leg) spinRecv(buf []byte, d time.Duration) (int, bool) {
	end := time.Now().Add(d)
	for i := 0; ; i++ {
		n, _, err := unix.Recvfrom(l.fd, buf, unix.MSG_DONTWAIT)
		if err == nil {
			return n, true
		}
		if i&1023 == 0 && time.Now().After(end) {
			return 0, false
		}
	}
}

// drainQueue throws away whatever waits in the socket (refresh datagrams of earlier runs).
func (l *leg) drainQueue(buf []byte) {
	for {
		if _, _, err := unix.Recvfrom(l.fd, buf, unix.MSG_DONTWAIT); err != nil {
			return
		}
	}
}

// prepare builds the burst this leg sends: burstMax copies of datagram to l.dst, as separate
// datagrams of one sendmmsg or (gso) as one UDP GSO send.
func (l *leg) prepare(datagram []byte, gso bool) {
	l.buf = append(l.buf[:0], datagram...)
	a := l.dst.Addr().As4()
	l.name = unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: a}
	p := (*[2]byte)(unsafe.Pointer(&l.name.Port))
	p[0], p[1] = byte(l.dst.Port()>>8), byte(l.dst.Port())
	l.tx = make([]mmsghdr, burstMax)
	l.iov = make([]unix.Iovec, burstMax)
	for i := range l.tx {
		l.iov[i].Base = &l.buf[0]
		l.iov[i].SetLen(len(l.buf))
		l.tx[i].hdr.Name = (*byte)(unsafe.Pointer(&l.name))
		l.tx[i].hdr.Namelen = unix.SizeofSockaddrInet4
		l.tx[i].hdr.Iov = &l.iov[i]
		l.tx[i].hdr.Iovlen = 1
	}
	l.gso = gso
	if gso {
		l.gsoBuf = make([]byte, 0, burstMax*len(datagram))
		for i := 0; i < burstMax; i++ {
			l.gsoBuf = append(l.gsoBuf, datagram...)
		}
		l.oob = make([]byte, unix.CmsgSpace(2))
		h := (*unix.Cmsghdr)(unsafe.Pointer(&l.oob[0]))
		h.Level, h.Type = unix.SOL_UDP, unix.UDP_SEGMENT
		h.SetLen(unix.CmsgLen(2))
		*(*uint16)(unsafe.Pointer(&l.oob[unix.CmsgLen(0)])) = uint16(len(datagram))
		l.gsoIov.Base = &l.gsoBuf[0]
		l.gsoHdr.Name = (*byte)(unsafe.Pointer(&l.name))
		l.gsoHdr.Namelen = unix.SizeofSockaddrInet4
		l.gsoHdr.Iov = &l.gsoIov
		l.gsoHdr.Iovlen = 1
		l.gsoHdr.Control = &l.oob[0]
		l.gsoHdr.SetControllen(len(l.oob))
	}
}

// sendBurst sends k of the prepared datagrams with one sendmmsg; returns how many left.
func (l *leg) sendBurst(k int) int {
	if l.gso {
		if k == 1 {
			return l.sendBurstPlain(1) // one segment: a plain datagram
		}
		l.gsoIov.SetLen(k * len(l.buf))
		_, _, errno := unix.Syscall(unix.SYS_SENDMSG, uintptr(l.fd), uintptr(unsafe.Pointer(&l.gsoHdr)), 0)
		if errno != 0 {
			return 0
		}
		return k
	}
	return l.sendBurstPlain(k)
}

func (l *leg) sendBurstPlain(k int) int {
	r, _, errno := unix.Syscall6(unix.SYS_SENDMMSG, uintptr(l.fd), uintptr(unsafe.Pointer(&l.tx[0])), uintptr(k), 0, 0, 0)
	if errno != 0 {
		return 0
	}
	return int(r)
}

// receiver drains many legs with epoll and recvmmsg from the sending goroutine itself.
type receiver struct {
	ep     int
	events []unix.EpollEvent
	msgs   []mmsghdr
	iov    []unix.Iovec
	bufs   []byte
	pkts   uint64
}

func newReceiver(legs []*leg) (*receiver, error) {
	ep, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	for _, l := range legs {
		ev := unix.EpollEvent{Events: unix.EPOLLIN, Fd: int32(l.fd)}
		if err := unix.EpollCtl(ep, unix.EPOLL_CTL_ADD, l.fd, &ev); err != nil {
			unix.Close(ep)
			return nil, err
		}
	}
	r := &receiver{ep: ep, events: make([]unix.EpollEvent, 256), msgs: make([]mmsghdr, burstMax),
		iov: make([]unix.Iovec, burstMax), bufs: make([]byte, burstMax*2048)}
	for i := range r.msgs {
		r.iov[i].Base = &r.bufs[i*2048]
		r.iov[i].SetLen(2048)
		r.msgs[i].hdr.Iov = &r.iov[i]
		r.msgs[i].hdr.Iovlen = 1
	}
	return r, nil
}

// poll drains every ready socket once, waiting up to waitMs for the first (0: do not wait).
func (r *receiver) poll(waitMs int) {
	n, err := unix.EpollWait(r.ep, r.events, waitMs)
	if err != nil {
		return
	}
	for _, ev := range r.events[:n] {
		for {
			got, _, errno := unix.Syscall6(unix.SYS_RECVMMSG, uintptr(ev.Fd), uintptr(unsafe.Pointer(&r.msgs[0])), burstMax, unix.MSG_DONTWAIT, 0, 0)
			if errno != 0 || got == 0 {
				break
			}
			r.pkts += uint64(got)
			if got < burstMax {
				break
			}
		}
	}
}

func (r *receiver) close() { unix.Close(r.ep) }
