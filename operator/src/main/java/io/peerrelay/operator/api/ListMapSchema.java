package io.peerrelay.operator.api;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Arrays;
import java.util.List;

/**
 * Build-time schema customizer that marks list properties as list-maps (or sets) in the CRD.
 *
 * <p>Server-side apply merges list-map entries by key instead of replacing the whole list, so two
 * writers (and repeated status patches) do not fight. fabric8 7.5 has no annotation for {@code
 * x-kubernetes-list-type} (fabric8io/kubernetes-client#6669) and its merge-patch customizer
 * replaces the {@code properties} map instead of merging it, hence this class. Input: {@code
 * property:key1,key2;property2:key} ; a property without keys becomes a set. Only the CRD generator
 * loads it (its library is a provided dependency).
 */
public class ListMapSchema implements SchemaCustomizer.Customizer {

  @Override
  public JSONSchemaProps apply(
      JSONSchemaProps props, String input, KubernetesSerialization serialization) {
    for (String entry : input.split(";")) {
      String[] nameAndKeys = entry.split(":", 2);
      JSONSchemaProps list = props.getProperties().get(nameAndKeys[0].trim());
      if (list == null || !"array".equals(list.getType())) {
        throw new IllegalArgumentException("no list property " + nameAndKeys[0] + " to mark");
      }
      List<String> keys =
          nameAndKeys.length < 2 || nameAndKeys[1].isBlank()
              ? List.of()
              : Arrays.stream(nameAndKeys[1].split(",")).map(String::trim).toList();
      list.setXKubernetesListType(keys.isEmpty() ? "set" : "map");
      list.setXKubernetesListMapKeys(keys.isEmpty() ? null : keys);
    }
    return props;
  }
}
