package io.peerrelay.relay.tailnet;

import io.peerrelay.relay.tailnet.key.TailnetKey;
import io.peerrelay.relay.tailnet.key.TailnetPrivateKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The node's lasting identity: the machine key (names this machine to control over Noise) and the
 * node key (names the node to peers and DERP), each in its own file of the state folder as one line
 * {@code privkey:<64 hex>}: {@code machine.key} and {@code node.key}.
 *
 * <p>A missing file is generated and written (mode 0600, via a temporary file and an atomic rename,
 * so a crash never leaves half a key) when the folder is writable. In Kubernetes the folder is the
 * operator's node-state Secret, mounted read-only and already holding both keys; a key missing
 * there cannot be fixed by the relay, so it is an error that names the file.
 *
 * <p>The disco key is not kept here: the relay's disco key is its server key from keyFile, the same
 * in standalone and tailnet mode, kept across restarts because standalone clients pin it and the
 * operator manages it as a Secret. Tailscale rotates a client's disco key on every start only
 * because nothing else holds it; a restarted relay loses its sessions anyway, and clients learn the
 * current disco key from the netmap either way.
 */
public final class NodeIdentity {
  /** The machine key file's name in the state folder. */
  public static final String MACHINE_KEY_FILE = "machine.key";

  /** The node key file's name in the state folder. */
  public static final String NODE_KEY_FILE = "node.key";

  /** Writes one key file; a seam so tests can play a read-only Secret mount even as root. */
  interface KeyWriter {
    void write(Path file, TailnetPrivateKey key) throws IOException;
  }

  private final Path stateDir;
  private final KeyWriter writer;
  private final TailnetPrivateKey machineKey;
  private volatile TailnetPrivateKey nodeKey;

  private NodeIdentity(
      Path stateDir, KeyWriter writer, TailnetPrivateKey machineKey, TailnetPrivateKey nodeKey) {
    this.stateDir = stateDir;
    this.writer = writer;
    this.machineKey = machineKey;
    this.nodeKey = nodeKey;
  }

  /**
   * Loads both keys from {@code stateDir}, generating missing ones where the folder is writable.
   *
   * @throws IOException naming the file and the fix
   */
  public static NodeIdentity load(Path stateDir) throws IOException {
    return load(stateDir, NodeIdentity::write);
  }

  static NodeIdentity load(Path stateDir, KeyWriter writer) throws IOException {
    if (!Files.isDirectory(stateDir)) {
      try {
        Files.createDirectories(stateDir);
      } catch (IOException e) {
        throw new IOException(
            "tailnet state folder "
                + stateDir
                + " does not exist and cannot be created ("
                + e.getMessage()
                + "): create it, or mount the node-state Secret there",
            e);
      }
    }
    return new NodeIdentity(
        stateDir,
        writer,
        loadOrCreate(stateDir, MACHINE_KEY_FILE, writer),
        loadOrCreate(stateDir, NODE_KEY_FILE, writer));
  }

  private static TailnetPrivateKey loadOrCreate(Path dir, String name, KeyWriter writer)
      throws IOException {
    Path file = dir.resolve(name);
    try {
      String text = Files.readString(file, StandardCharsets.US_ASCII);
      return TailnetPrivateKey.parse(text);
    } catch (NoSuchFileException e) {
      TailnetPrivateKey key = TailnetPrivateKey.generate();
      try {
        writer.write(file, key);
      } catch (AccessDeniedException | java.nio.file.ReadOnlyFileSystemException denied) {
        throw missingInReadOnly(file);
      } catch (FileSystemException fs) {
        if (!Files.isWritable(dir)) {
          throw missingInReadOnly(file);
        }
        throw fs;
      }
      return key;
    } catch (IllegalArgumentException e) {
      throw new IOException(
          file
              + ": "
              + e.getMessage()
              + " (restore the file from the node-state Secret, or delete it to start as a new"
              + " node)",
          e);
    }
  }

  private static IOException missingInReadOnly(Path file) {
    return new IOException(
        file
            + " is missing and its folder is read-only, so the relay cannot create it: put both"
            + " machine.key and node.key (one line privkey:<64 hex> each) into the node-state"
            + " Secret mounted there, or make the folder writable");
  }

  /** Writes {@code key} to {@code file} atomically with mode 0600. */
  static void write(Path file, TailnetPrivateKey key) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, key.toText() + "\n", StandardCharsets.US_ASCII);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * Replaces the node key (rotation after expiry) and saves it; returns false when the folder is
   * read-only, in which case the new key lives in memory until restart (and the operator's Secret
   * must be updated for it to last).
   */
  public boolean rotateNodeKey(TailnetPrivateKey next) {
    nodeKey = next;
    try {
      writer.write(stateDir.resolve(NODE_KEY_FILE), next);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** The folder the keys live in. */
  public Path stateDir() {
    return stateDir;
  }

  /** The machine private key. */
  public TailnetPrivateKey machineKey() {
    return machineKey;
  }

  /** The current node private key. */
  public TailnetPrivateKey nodeKey() {
    return nodeKey;
  }

  /** The current node public key. */
  public TailnetKey nodePublicKey() {
    return nodeKey.publicKey(TailnetKey.Kind.NODE);
  }
}
