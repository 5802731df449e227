import io.peerrelay.relay.core.*;
import io.peerrelay.relay.protocol.*;
import java.net.InetSocketAddress;
import java.util.*;

/** Retained heap and allocation time per relay session: run with a session count argument. */
public class SessionMemory {
  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    DiscoPrivateKey server = DiscoPrivateKey.generate();
    List<DiscoPublicKey> keys = new ArrayList<>();
    for (int i = 0; i < n + 1; i++) keys.add(DiscoPrivateKey.generate().publicKey());
    RelayServer relay = new RelayServer(server,
        RelaySettings.defaults().withAdvertisedEndpoints(List.of(new InetSocketAddress("127.0.0.1", 7777))).withLimits(n + 10, 20, 40),
        RelayEvents.NONE, System::nanoTime);
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) { System.gc(); Thread.sleep(200); }
    long before = rt.totalMemory() - rt.freeMemory();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) relay.allocate(keys.get(i), keys.get(i + 1));
    long t1 = System.nanoTime();
    for (int i = 0; i < 3; i++) { System.gc(); Thread.sleep(200); }
    long after = rt.totalMemory() - rt.freeMemory();
    System.out.printf("%d sessions: %.0f bytes/session retained (heap delta %.1f MiB), %.1f us/allocation%n",
        relay.sessionCount(), (after - before) / (double) n, (after - before) / 1048576.0, (t1 - t0) / 1e3 / n);
  }
}
