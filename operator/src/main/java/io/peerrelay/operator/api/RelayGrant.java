package io.peerrelay.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/** Which client disco keys may allocate sessions on which PeerRelays of the namespace. */
@Group(PeerRelay.GROUP)
@Version(PeerRelay.VERSION)
@Categories("relays")
@AdditionalPrinterColumn(
    name = "Relays",
    jsonPath = ".status.matchedRelays",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Keys",
    jsonPath = ".status.keys",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class RelayGrant extends CustomResource<RelayGrantSpec, RelayGrantStatus>
    implements Namespaced {

  @Override
  protected RelayGrantSpec initSpec() {
    return new RelayGrantSpec();
  }

  @Override
  protected RelayGrantStatus initStatus() {
    return new RelayGrantStatus();
  }
}
