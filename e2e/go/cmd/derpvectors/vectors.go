package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/netip"
	"time"

	"go4.org/mem"
	"golang.org/x/crypto/nacl/box"
	"tailscale.com/derp"
	"tailscale.com/disco"
	"tailscale.com/tailcfg"
	"tailscale.com/types/key"
)

func fill(b byte, n int) []byte { return bytes.Repeat([]byte{b}, n) }

func line(name string, b []byte) { fmt.Printf("%s %s\n", name, hex.EncodeToString(b)) }

// recordingConn is the net.Conn-like sink a real derp.Client writes its frames into.
type recordingConn struct{ net.Conn }

func (recordingConn) Close() error                     { return nil }
func (recordingConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (recordingConn) SetDeadline(time.Time) error      { return nil }
func (recordingConn) SetReadDeadline(time.Time) error  { return nil }
func (recordingConn) SetWriteDeadline(time.Time) error { return nil }
func (recordingConn) Write(b []byte) (int, error)      { return len(b), nil }

func frame(t derp.FrameType, b []byte) []byte {
	var out bytes.Buffer
	bw := bufio.NewWriter(&out)
	if err := derp.WriteFrame(bw, t, b); err != nil {
		fail("WriteFrame: %v", err)
	}
	return out.Bytes()
}

func vectors() {
	fmt.Println("# DERP and disco-over-DERP vectors made with tailscale.com v1.102.3 (e2e/go/regen-vectors.sh).")
	fmt.Println("# One 'name hex' per line; fixed keys and nonces, so every line is reproducible except")
	fmt.Println("# real_client_info_frame: Tailscale's client draws its nonce, so that box changes on each regen.")
	clientPriv := key.NodePrivateFromRaw32(mem.B(fill(0x11, 32)))
	serverPriv := key.NodePrivateFromRaw32(mem.B(fill(0x22, 32)))
	clientPub, serverPub := clientPriv.Public(), serverPriv.Public()
	var nonce [24]byte
	copy(nonce[:], fill(0x33, 24))
	line("client_private", fill(0x11, 32))
	line("client_public", clientPub.AppendTo(nil))
	line("server_private", fill(0x22, 32))
	line("server_public", serverPub.AppendTo(nil))
	line("nonce", nonce[:])
	line("server_key_frame", frame(derp.FrameServerKey, append([]byte(derp.Magic), serverPub.AppendTo(nil)...)))

	// The client info exactly as derp.Client.sendClientKey builds it (magicsock sets CanAckPings).
	info, _ := json.Marshal(derp.ClientInfo{Version: derp.ProtocolVersion, CanAckPings: true})
	line("client_info_json", info)
	cPriv, sPub := clientPriv.Raw32(), serverPub.Raw32()
	sealed := box.Seal(append([]byte{}, nonce[:]...), info, &nonce, &sPub, &cPriv)
	line("client_info_frame", frame(derp.FrameClientInfo, append(clientPub.AppendTo(nil), sealed...)))

	sInfo, _ := json.Marshal(derp.ServerInfo{Version: derp.ProtocolVersion})
	line("server_info_json", sInfo)
	sPriv, cPub := serverPriv.Raw32(), clientPub.Raw32()
	line("server_info_frame", frame(derp.FrameServerInfo, box.Seal(append([]byte{}, nonce[:]...), sInfo, &nonce, &cPub, &sPriv)))

	recordRealClient(clientPriv, serverPub)

	peer := key.NodePrivateFromRaw32(mem.B(fill(0x99, 32))).Public()
	line("peer_public", peer.AppendTo(nil))
	line("recv_packet_frame", frame(derp.FrameRecvPacket, append(peer.AppendTo(nil), []byte("hello from peer")...)))
	line("peer_gone_frame", frame(derp.FramePeerGone, append(peer.AppendTo(nil), byte(derp.PeerGoneReasonNotHere))))
	line("ping_frame", frame(derp.FramePing, []byte{9, 8, 7, 6, 5, 4, 3, 2}))
	line("keep_alive_frame", frame(derp.FrameKeepAlive, nil))
	line("health_frame", frame(derp.FrameHealth, []byte("overloaded")))
	line("restarting_frame", frame(derp.FrameRestarting, []byte{0, 0, 0x03, 0xe8, 0, 0, 0x27, 0x10}))

	discoVectors()
}

// recordRealClient records what Tailscale's derp.Client writes after login: the client info (random
// nonce: the test opens it), a packet, note-preferred and a pong.
func recordRealClient(clientPriv key.NodePrivate, serverPub key.NodePublic) {
	var out bytes.Buffer
	brw := bufio.NewReadWriter(bufio.NewReader(&bytes.Buffer{}), bufio.NewWriter(&out))
	c, err := derp.NewClient(clientPriv, recordingConn{}, brw, func(string, ...any) {},
		derp.ServerPublicKey(serverPub), derp.CanAckPings(true))
	if err != nil {
		fail("derp.NewClient: %v", err)
	}
	line("real_client_info_frame", take(&out))
	dst := key.NodePrivateFromRaw32(mem.B(fill(0x99, 32))).Public()
	if err := c.Send(dst, []byte("hello from client")); err != nil {
		fail("Send: %v", err)
	}
	line("send_packet_frame", take(&out))
	if err := c.NotePreferred(true); err != nil {
		fail("NotePreferred: %v", err)
	}
	line("note_preferred_frame", take(&out))
	if err := c.SendPong([8]byte{9, 8, 7, 6, 5, 4, 3, 2}); err != nil {
		fail("SendPong: %v", err)
	}
	line("pong_frame", take(&out))
}

func take(b *bytes.Buffer) []byte {
	out := append([]byte{}, b.Bytes()...)
	b.Reset()
	return out
}

// sealDisco frames a disco message as magicsock does over DERP (no Geneve), with a fixed nonce.
func sealDisco(from key.DiscoPrivate, fromRaw []byte, to key.DiscoPublic, msg disco.Message, nonceByte byte) []byte {
	var nonce [24]byte
	copy(nonce[:], fill(nonceByte, 24))
	var priv [32]byte
	copy(priv[:], fromRaw)
	pub := to.Raw32()
	var shared [32]byte
	box.Precompute(&shared, &pub, &priv)
	out := append([]byte(disco.Magic), from.Public().AppendTo(nil)...)
	out = append(out, nonce[:]...)
	return box.SealAfterPrecomputation(out, msg.AppendMarshal(nil), &nonce, &shared)
}

func discoVectors() {
	relayRaw, aRaw, bRaw := fill(0x44, 32), fill(0x55, 32), fill(0x66, 32)
	relay := key.DiscoPrivateFromRaw32(mem.B(relayRaw))
	a := key.DiscoPrivateFromRaw32(mem.B(aRaw))
	b := key.DiscoPrivateFromRaw32(mem.B(bRaw))
	line("relay_disco_private", relayRaw)
	line("relay_disco_public", relay.Public().AppendTo(nil))
	line("a_disco_private", aRaw)
	line("a_disco_public", a.Public().AppendTo(nil))
	line("b_disco_public", b.Public().AppendTo(nil))
	pair := key.NewSortedPairOfDiscoPublic(a.Public(), b.Public()).Get()
	req := &disco.AllocateUDPRelayEndpointRequest{ClientDisco: pair, Generation: 7}
	line("alloc_request_packet", sealDisco(a, aRaw, relay.Public(), req, 0x77))
	resp := &disco.AllocateUDPRelayEndpointResponse{
		Generation: 7,
		UDPRelayEndpoint: disco.UDPRelayEndpoint{
			ServerDisco:         relay.Public(),
			ClientDisco:         pair,
			LamportID:           1,
			VNI:                 1,
			BindLifetime:        30 * time.Second,
			SteadyStateLifetime: 5 * time.Minute,
			AddrPorts:           []netip.AddrPort{netip.MustParseAddrPort("127.0.0.1:40000"), netip.MustParseAddrPort("[::1]:40000")},
		},
	}
	line("alloc_response_message", resp.AppendMarshal(nil))
	line("alloc_response_packet", sealDisco(relay, relayRaw, a.Public(), resp, 0x88))
	ping := &disco.Ping{TxID: [12]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, NodeKey: key.NodePrivateFromRaw32(mem.B(fill(0x99, 32))).Public()}
	line("ping_packet", sealDisco(a, aRaw, relay.Public(), ping, 0x78))
	// Over DERP magicsock answers with Src = the DERP magic address, port = the DERP region id.
	pong := &disco.Pong{TxID: ping.TxID, Src: netip.AddrPortFrom(tailcfg.DerpMagicIPAddr, 900)}
	line("pong_derp_packet", sealDisco(relay, relayRaw, a.Public(), pong, 0x89))
}
