package io.peerrelay.relay.tailnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.peerrelay.relay.tailnet.key.TailnetKey;
import io.peerrelay.relay.tailnet.key.TailnetPrivateKey;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeIdentityTest {
  @TempDir Path dir;

  @Test
  void missingKeysAreGeneratedOnceAndKeptAcrossRestarts() throws Exception {
    Path state = dir.resolve("state");
    NodeIdentity first = NodeIdentity.load(state);
    for (String name : new String[] {"machine.key", "node.key"}) {
      Path file = state.resolve(name);
      assertThat(Files.readString(file)).matches("privkey:[0-9a-f]{64}\n");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
    NodeIdentity again = NodeIdentity.load(state);
    assertThat(again.nodePublicKey()).isEqualTo(first.nodePublicKey());
    assertThat(again.machineKey().publicKey(TailnetKey.Kind.MACHINE))
        .isEqualTo(first.machineKey().publicKey(TailnetKey.Kind.MACHINE));
    assertThat(first.nodePublicKey())
        .isNotEqualTo(first.machineKey().publicKey(TailnetKey.Kind.NODE));
  }

  @Test
  void theOperatorsKeysAreUsedAsWritten() throws Exception {
    TailnetPrivateKey machine = TailnetPrivateKey.generate();
    TailnetPrivateKey node = TailnetPrivateKey.generate();
    Files.writeString(dir.resolve("machine.key"), machine.toText());
    Files.writeString(dir.resolve("node.key"), node.toText() + "\n");
    NodeIdentity id =
        NodeIdentity.load(
            dir,
            (f, k) -> {
              throw new AssertionError("nothing may be written");
            });
    assertThat(id.nodePublicKey()).isEqualTo(node.publicKey(TailnetKey.Kind.NODE));
  }

  @Test
  void aKeyMissingFromAReadOnlyFolderNamesTheFileAndTheFix() throws Exception {
    Files.writeString(dir.resolve("machine.key"), TailnetPrivateKey.generate().toText());
    assertThatThrownBy(
            () ->
                NodeIdentity.load(
                    dir,
                    (f, k) -> {
                      throw new AccessDeniedException(f.toString());
                    }))
        .hasMessageContaining(dir.resolve("node.key").toString())
        .hasMessageContaining("read-only")
        .hasMessageContaining("node-state Secret");
  }

  @Test
  void aDamagedKeyFileIsAnErrorNamingItWithoutPrintingIt() throws Exception {
    Files.writeString(dir.resolve("machine.key"), "privkey:secretbutshort");
    assertThatThrownBy(() -> NodeIdentity.load(dir))
        .hasMessageContaining(dir.resolve("machine.key").toString())
        .hasMessageContaining("privkey:<64 hex>")
        .hasMessageNotContaining("secretbutshort");
  }

  @Test
  void aRotatedNodeKeyIsSavedAndAReadOnlyFolderKeepsItInMemory() throws Exception {
    NodeIdentity id = NodeIdentity.load(dir);
    TailnetPrivateKey next = TailnetPrivateKey.generate();
    assertThat(id.rotateNodeKey(next)).isTrue();
    assertThat(NodeIdentity.load(dir).nodePublicKey())
        .isEqualTo(next.publicKey(TailnetKey.Kind.NODE));

    NodeIdentity readOnly =
        NodeIdentity.load(
            dir,
            (f, k) -> {
              throw new AccessDeniedException(f.toString());
            });
    TailnetPrivateKey third = TailnetPrivateKey.generate();
    assertThat(readOnly.rotateNodeKey(third)).isFalse();
    assertThat(readOnly.nodePublicKey()).isEqualTo(third.publicKey(TailnetKey.Kind.NODE));
  }
}
