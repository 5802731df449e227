package io.peerrelay.relay.cli;

import io.peerrelay.relay.protocol.DiscoPrivateKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Makes a new relay identity: a disco private key and its public key. */
public class KeygenCommand extends CliCommand {
  static final CliSpec SPEC =
      CliSpec.command(
              "keygen",
              "Generate a relay key pair.",
              "Without --out: prints the private key (discoprivkey:...) on the first line and the"
                  + " public key (discokey:...) on the second.",
              "With --out: writes the private key to FILE (mode 600) and prints only the public"
                  + " key.")
          .option(
              "--out",
              "FILE",
              null,
              "Write the private key to FILE (created with mode 600) instead of printing it.")
          .flag("--force", "Replace FILE if it already exists.");

  Path outFile;
  boolean force;

  @Override
  CliSpec spec() {
    return SPEC;
  }

  @Override
  void accept(CliArgs args) {
    outFile = args.path("--out");
    force = args.flag("--force");
  }

  @Override
  int call() throws IOException {
    DiscoPrivateKey key = DiscoPrivateKey.generate();
    if (outFile == null) {
      out.println(key.toText());
      out.println(key.publicKey());
      out.flush();
      return 0;
    }
    try {
      writePrivateKey(outFile, key, force);
    } catch (FileAlreadyExistsException e) {
      err.println(
          "keygen: " + outFile + " exists; pass --force to replace it (the old key is lost)");
      return 1;
    }
    out.println(key.publicKey());
    out.flush();
    return 0;
  }

  /**
   * Writes the key so that it is never readable by others, not even for a moment: the file is
   * created with mode 600, written, then moved into place.
   */
  static void writePrivateKey(Path file, DiscoPrivateKey key, boolean replace) throws IOException {
    if (!replace && Files.exists(file)) {
      throw new FileAlreadyExistsException(file.toString());
    }
    Path folder = file.toAbsolutePath().getParent();
    Path tmp =
        Files.createTempFile(
            folder,
            ".keygen-",
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.writeString(tmp, key.toText() + "\n", StandardCharsets.UTF_8);
      if (replace) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } else {
        // A hard link fails if the name exists, so a key made meanwhile is never overwritten.
        Files.createLink(file, tmp);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
