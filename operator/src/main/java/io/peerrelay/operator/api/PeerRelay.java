package io.peerrelay.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A fleet of peer relays: one hostNetwork relay pod (and its exposure) per replica. */
@Group(PeerRelay.GROUP)
@Version(PeerRelay.VERSION)
@ShortNames("pr")
@Categories("relays")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Replicas",
    jsonPath = ".spec.replicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Ready Replicas",
    jsonPath = ".status.readyReplicas",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Endpoints",
    jsonPath = ".status.endpointSummary",
    type = AdditionalPrinterColumn.Type.STRING)
// Shown by `kubectl get pr -o wide` only (priority 1): the default listing stays narrow.
@AdditionalPrinterColumn(
    name = "Exposure",
    jsonPath = ".spec.exposure.type",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
// Children are named <name>-<index> and a StatefulSet name must leave room for the pod's
// controller-revision-hash label: longer names would create objects the API server rejects later.
@ValidationRule(
    value = "size(self.metadata.name) <= 49",
    message =
        "metadata.name of a PeerRelay must be at most 49 characters (its StatefulSets are named"
            + " <name>-<index>): choose a shorter name")
// Children include Services, whose names must be DNS-1035 labels: no dots, a letter first.
@ValidationRule(
    value = "self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
    message =
        "metadata.name of a PeerRelay must be a DNS label starting with a letter (lowercase"
            + " letters, digits and '-', no dots): its Services are named <name>-<index>")
public class PeerRelay extends CustomResource<PeerRelaySpec, PeerRelayStatus>
    implements Namespaced {

  /** The API group of every PeerRelay resource. */
  public static final String GROUP = "peerrelay.io";

  /** The served and stored API version. */
  public static final String VERSION = "v1alpha1";

  @Override
  protected PeerRelaySpec initSpec() {
    return new PeerRelaySpec();
  }

  @Override
  protected PeerRelayStatus initStatus() {
    return new PeerRelayStatus();
  }
}
