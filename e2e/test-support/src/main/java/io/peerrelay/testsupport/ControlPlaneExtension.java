package io.peerrelay.testsupport;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests a real local control plane ({@link LocalControlPlane}).
 *
 * <p>One control plane per test JVM: it is started by the first test class that uses the extension,
 * kept in JUnit's root store and stopped when the whole test plan ends. Test methods and
 * constructors may declare {@link LocalControlPlane} or {@link KubernetesClient} parameters. Files
 * (logs, kubeconfig) go to {@code control-plane/} in the module's build folder ({@code target/}).
 */
public final class ControlPlaneExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NS =
      ExtensionContext.Namespace.create(ControlPlaneExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    controlPlane(context);
  }

  /** The JVM-wide control plane, started on first use. */
  public static LocalControlPlane controlPlane(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NS)
        .computeIfAbsent(
            LocalControlPlane.class,
            k -> LocalControlPlane.start(buildDir().resolve("control-plane")),
            LocalControlPlane.class);
  }

  /** The module's build folder (the build passes it; {@code target} when run from an IDE). */
  public static Path buildDir() {
    return Path.of(System.getProperty("peerrelay.buildDir", "target")).toAbsolutePath();
  }

  @Override
  public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
    Class<?> t = pc.getParameter().getType();
    return t == LocalControlPlane.class || t == KubernetesClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
    LocalControlPlane cp = controlPlane(ec);
    return pc.getParameter().getType() == LocalControlPlane.class ? cp : cp.client();
  }
}
