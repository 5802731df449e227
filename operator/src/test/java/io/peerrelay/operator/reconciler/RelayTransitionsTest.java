package io.peerrelay.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.peerrelay.operator.observe.Observed;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RelayTransitionsTest {

  private static ConfigMap configMap(int i) {
    return new ConfigMapBuilder().withNewMetadata().withName("office-" + i).endMetadata().build();
  }

  private static Service service(int i) {
    return new ServiceBuilder().withNewMetadata().withName("office-" + i).endMetadata().build();
  }

  private static StatefulSet statefulSet(int i) {
    return new StatefulSetBuilder().withNewMetadata().withName("office-" + i).endMetadata().build();
  }

  private static Observed observed(
      Map<Integer, StatefulSet> statefulSets,
      Map<Integer, Service> services,
      Map<Integer, ConfigMap> configMaps) {
    return new Observed(
        statefulSets,
        services,
        configMaps,
        Map.of(),
        Map.of(),
        Map.of(),
        List.of(),
        new TreeSet<>(),
        Map.of(),
        null);
  }

  @Test
  void everyNewChildKindIsAnnouncedOncePerReplica() {
    Observed before = observed(Map.of(0, statefulSet(0)), Map.of(0, service(0)), Map.of());
    Observed after =
        observed(
            Map.of(0, statefulSet(0), 1, statefulSet(1)),
            Map.of(0, service(0), 1, service(1)),
            Map.of(0, configMap(0), 1, configMap(1)));
    assertThat(RelayTransitions.createdChildren(before, after))
        .containsExactly(
            "replica 0: ConfigMap office-0",
            "replica 1: ConfigMap office-1, Service office-1, StatefulSet office-1");
  }

  @Test
  void nothingNewMeansNoEvent() {
    Observed same =
        observed(Map.of(0, statefulSet(0)), Map.of(0, service(0)), Map.of(0, configMap(0)));
    assertThat(RelayTransitions.createdChildren(same, same)).isEmpty();
  }
}
