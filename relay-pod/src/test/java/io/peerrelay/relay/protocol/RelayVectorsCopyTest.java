package io.peerrelay.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The vectors the tests use are a byte-identical copy of the design folder's file. */
class RelayVectorsCopyTest {

  @Test
  void repositoryCopyEqualsDesignFolderFile() {
    Optional<Path> design = RelayVectors.designCopy();
    Assumptions.assumeTrue(
        design.isPresent(),
        "shared/testdata/relay-vectors/vectors.txt is not beside this clone: nothing to compare");
    assertThat(RelayVectors.repositoryCopy())
        .as(
            "relay-pod/src/test/resources/relay-vectors/vectors.txt must equal %s; refresh it"
                + " with cp",
            design.get())
        .hasSameBinaryContentAs(design.get());
  }
}
