package io.peerrelay.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The repository's vectors file is the source of truth. It started as a copy of the design folder's
 * file and has since gained our own vectors (the VNI-0 allocation request with its issued-at stamp,
 * PROTOCOL.md §5), so every vector of the design file must still be in it, unchanged, and the
 * repository may have more.
 */
class RelayVectorsCopyTest {

  @Test
  void repositoryCopyKeepsEveryDesignVectorUnchanged() {
    Optional<Path> design = RelayVectors.designCopy();
    Assumptions.assumeTrue(
        design.isPresent(),
        "shared/testdata/relay-vectors/vectors.txt is not beside this clone: nothing to compare");
    Map<String, byte[]> ours = RelayVectors.load(RelayVectors.repositoryCopy());
    RelayVectors.load(design.get())
        .forEach(
            (name, bytes) ->
                assertThat(ours.get(name))
                    .as("vector %s of %s in the repository copy", name, design.get())
                    .isEqualTo(bytes));
    assertThat(ours).containsKeys("A1_alloc_inner", "A1_alloc_packet");
  }
}
