package io.peerrelay.relay.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The packaged application ({@code target/quarkus-app}, which the Dockerfile's relay-jvm stage
 * copies as it is): it carries Netty's native epoll library for both image architectures (without
 * the aarch_64 one an arm64 relay pod would fail at start: the relay needs epoll for its UDP
 * sockets), and no signed jar (the JVM checks a signed jar's digests at every start and CDS skips
 * its classes). An IT because it reads the package phase's output.
 */
class PackagingIT {
  private static final Pattern SIGNATURE = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)");

  /** Docker's architecture name to the .so file Netty loads on it. */
  private static final Map<String, String> LIBRARIES =
      Map.of(
          "amd64", "META-INF/native/libnetty_transport_native_epoll_x86_64.so",
          "arm64", "META-INF/native/libnetty_transport_native_epoll_aarch_64.so");

  private static Path lib() {
    Path lib =
        Path.of(System.getProperty("peerrelay.buildDir", "target"), "quarkus-app", "lib", "main");
    assertThat(lib)
        .as("%s missing: run mvn -pl relay-pod package first", lib.toAbsolutePath())
        .isDirectory();
    return lib;
  }

  private static List<Path> jars(Path lib) throws IOException {
    try (Stream<Path> jars = Files.list(lib)) {
      return jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
    }
  }

  @Test
  void packagedAppCarriesEpollForAmd64AndArm64() throws IOException {
    Path lib = lib();
    List<String> entries =
        jars(lib).stream()
            .filter(p -> p.getFileName().toString().contains("netty-transport-native-epoll"))
            .flatMap(PackagingIT::entries)
            .toList();
    LIBRARIES.forEach(
        (arch, so) ->
            assertThat(entries)
                .as(
                    "%s: no jar in %s holds %s; add netty-transport-native-epoll with its"
                        + " classifier to relay-pod/pom.xml",
                    arch, lib, so)
                .contains(so));
  }

  @Test
  void noPackagedJarIsSigned() throws IOException {
    Path lib = lib();
    for (Path jar : jars(lib)) {
      assertThat(entries(jar).filter(e -> SIGNATURE.matcher(e).matches()).toList())
          .as(
              "%s is a signed jar: the JVM checks its digests at every start and CDS archives"
                  + " none of its classes; list its signature files under"
                  + " quarkus.class-loading.removed-resources in"
                  + " relay-pod/src/main/resources/application.properties",
              jar.getFileName())
          .isEmpty();
    }
  }

  private static Stream<String> entries(Path jar) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return zip.stream().map(e -> e.getName()).toList().stream();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + jar, e);
    }
  }
}
