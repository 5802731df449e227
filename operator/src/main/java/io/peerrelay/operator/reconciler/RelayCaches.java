package io.peerrelay.operator.reconciler;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.peerrelay.operator.api.ExposureType;
import io.peerrelay.operator.api.PeerRelay;
import io.peerrelay.operator.api.RelayGrant;
import io.peerrelay.operator.api.Tailnet;
import io.peerrelay.operator.dependent.Selectors;
import io.peerrelay.operator.desired.Names;
import io.peerrelay.operator.observe.Observed;
import io.peerrelay.operator.observe.ObservedGrantKeys;
import io.peerrelay.operator.observe.ObservedSelection;
import io.peerrelay.operator.observe.SecretLookup;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The PeerRelay controller's informers beyond its dependents' own: registers them ({@link
 * #register}, and the Node informer on first need) and reads one PeerRelay's slice of every cache
 * into an {@link Observed} ({@link #read}, no API calls).
 */
final class RelayCaches {

  static final String PODS = "relay-pods";
  static final String GRANTS = "relay-grants";
  static final String SECRETS = "relay-secrets";
  static final String NODES = "relay-nodes";

  private RelayCaches() {}

  /**
   * The pod, RelayGrant and Secret informers, each mapping its events to PeerRelays. The Secret
   * informer is the controller's only one: the key-Secret dependent uses it too.
   */
  static List<EventSource<?, PeerRelay>> register(EventSourceContext<PeerRelay> context) {
    // Pods: readiness and node per replica. Label-selected: only relay pods are cached.
    var pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, PeerRelay.class)
                .withName(PODS)
                .withNamespacesInheritedFromController()
                .withLabelSelector(Selectors.RELAY_PODS)
                .withSecondaryToPrimaryMapper(RelayCaches::relayOf)
                .build(),
            context);
    // RelayGrants: a grant event reaches every PeerRelay of its namespace, not only those its
    // selector selects now: JOSDK maps only the new object of an update, and a relay the old
    // selector matched must lose the keys too. A PeerRelay whose labels change is covered the
    // same way: the grant reconciler sees it, rewrites matchedRelays, and that update lands here.
    var grants =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(RelayGrant.class, PeerRelay.class)
                .withName(GRANTS)
                .withNamespacesInheritedFromController()
                .withSecondaryToPrimaryMapper(
                    g -> relaysIn(context, g.getMetadata().getNamespace(), r -> true))
                .build(),
            context);
    // The one Secret informer: the operator's own key and node-state Secrets and the users' Secrets
    // that grants and spec.tailnet.authKeySecretRef reference, all labelled peerrelay.io/watch=true
    // (users are told to label theirs), so an unrelated Secret (a Helm release, a TLS bundle) is
    // never cached.
    var secrets =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Secret.class, PeerRelay.class)
                .withName(SECRETS)
                .withNamespacesInheritedFromController()
                .withLabelSelector(Selectors.WATCHED_SECRETS)
                // Until the grant informer runs it has no store to list (an NPE in the informer
                // thread); a Secret seen that early needs no mapping: every PeerRelay is
                // reconciled once the controller starts.
                .withSecondaryToPrimaryMapper(
                    s -> {
                      Set<ResourceID> relays = new HashSet<>(ownerOf(s));
                      relays.addAll(authKeyUsers(context, s));
                      if (grants.isRunning()) {
                        relays.addAll(relaysGrantedBy(context, grants, s));
                      }
                      return relays;
                    })
                .build(),
            context);
    return List.of(pods, grants, secrets);
  }

  /** Everything the caches hold for {@code relay}, indexed by replica. */
  static Observed read(PeerRelay relay, Context<PeerRelay> context) {
    String ns = relay.getMetadata().getNamespace();
    var grantSource = informer(context, RelayGrant.class, GRANTS);
    var secretSource = informer(context, Secret.class, SECRETS);
    SecretLookup userSecret =
        SecretLookup.cached(
            n -> secretSource.get(new ResourceID(n, ns)).orElse(null),
            n -> context.getClient().secrets().inNamespace(ns).withName(n).get(),
            ns);
    List<RelayGrant> grants =
        grantSource
            .list(ns, g -> selects(g, relay))
            .sorted(Comparator.comparing(g -> g.getMetadata().getName()))
            .toList();
    SortedSet<String> keys = new TreeSet<>();
    for (RelayGrant g : grants) {
      keys.addAll(ObservedGrantKeys.resolve(g, userSecret).keys());
    }
    String name = relay.getMetadata().getName();
    List<Secret> ours =
        context
            .getSecondaryResourcesAsStream(Secret.class)
            .filter(s -> isChildOf(s.getMetadata().getLabels(), name))
            .toList();
    // Key and node-state Secrets carry the same replica labels; their names tell them apart.
    Map<Integer, Secret> keySecrets =
        Observed.byReplica(
            ours.stream().filter(s -> named(s, i -> Names.replica(name, i))).toList(),
            RelayCaches::replicaOf);
    Map<Integer, Secret> tailnetSecrets =
        Observed.byReplica(
            ours.stream().filter(s -> named(s, i -> Names.tailnetState(name, i))).toList(),
            RelayCaches::replicaOf);
    Map<Integer, Pod> pods =
        Observed.byReplica(context.getSecondaryResources(Pod.class), RelayCaches::replicaOf);
    return new Observed(
        Observed.byReplica(
            context.getSecondaryResources(StatefulSet.class), RelayCaches::replicaOf),
        Observed.byReplica(context.getSecondaryResources(Service.class), RelayCaches::replicaOf),
        Observed.byReplica(context.getSecondaryResources(ConfigMap.class), RelayCaches::replicaOf),
        keySecrets,
        pods,
        nodesOf(relay, pods, context),
        grants,
        keys,
        tailnetSecrets,
        authKeyProblem(relay, userSecret));
  }

  /**
   * Why the tailnet auth key cannot be read, naming the Secret and key; null when it can or when
   * tailnet mode is off.
   */
  static String authKeyProblem(PeerRelay relay, SecretLookup secrets) {
    Tailnet t = relay.getSpec() == null ? null : relay.getSpec().getTailnet();
    if (t == null || t.authKeySecretName() == null) {
      return null;
    }
    Secret s = secrets.get(t.authKeySecretName());
    if (s == null) {
      return secrets.absence(t.authKeySecretName());
    }
    String key = t.authKeyOrDefault();
    boolean present =
        (s.getData() != null && s.getData().get(key) != null)
            || (s.getStringData() != null && s.getStringData().get(key) != null);
    return present ? null : "Secret " + t.authKeySecretName() + " has no key " + key;
  }

  /** Whether {@code s} is named as {@code nameOf} names the replica its labels give. */
  private static boolean named(Secret s, IntFunction<String> nameOf) {
    Integer i = replicaOf(s);
    return i != null && nameOf.apply(i).equals(s.getMetadata().getName());
  }

  /** The PeerRelays of {@code s}'s namespace whose tailnet auth key is in {@code s}. */
  private static Set<ResourceID> authKeyUsers(EventSourceContext<PeerRelay> context, Secret s) {
    String name = s.getMetadata().getName();
    return relaysIn(
        context,
        s.getMetadata().getNamespace(),
        r ->
            r.getSpec() != null
                && r.getSpec().getTailnet() != null
                && name.equals(r.getSpec().getTailnet().authKeySecretName()));
  }

  /**
   * The nodes the pods run on, by name; only NodeAddress mode reads them (and starts the watch).
   */
  private static Map<String, Node> nodesOf(
      PeerRelay relay, Map<Integer, Pod> pods, Context<PeerRelay> context) {
    Map<String, Node> nodes = new HashMap<>();
    if (relay.getSpec() == null || relay.getSpec().exposureType() != ExposureType.NodeAddress) {
      return nodes;
    }
    var nodeSource = nodeInformer(context);
    for (Pod p : pods.values()) {
      String node = p.getSpec() == null ? null : p.getSpec().getNodeName();
      if (node != null) {
        nodeSource.get(new ResourceID(node)).ifPresent(n -> nodes.put(node, n));
      }
    }
    return nodes;
  }

  /**
   * The Node informer, registered the first time a NodeAddress PeerRelay is read: only that mode
   * needs node addresses, and caching every Node of a large cluster for nothing is not free.
   */
  @SuppressWarnings("unchecked")
  private static InformerEventSource<Node, PeerRelay> nodeInformer(Context<PeerRelay> context) {
    var retriever = context.eventSourceRetriever();
    if (!retriever.getEventSourcesFor(Node.class).isEmpty()) {
      return informer(context, Node.class, NODES);
    }
    var pods = informer(context, Pod.class, PODS);
    var nodes =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Node.class, PeerRelay.class)
                .withName(NODES)
                .withWatchAllNamespaces()
                // A node's address change reaches the relays with a pod on that node.
                .withSecondaryToPrimaryMapper(n -> relaysOn(pods, n.getMetadata().getName()))
                .build(),
            retriever.eventSourceContextForDynamicRegistration());
    return (InformerEventSource<Node, PeerRelay>) retriever.dynamicallyRegisterEventSource(nodes);
  }

  @SuppressWarnings("unchecked")
  private static <T extends HasMetadata> InformerEventSource<T, PeerRelay> informer(
      Context<PeerRelay> context, Class<T> type, String name) {
    return (InformerEventSource<T, PeerRelay>)
        context.eventSourceRetriever().getEventSourceFor(type, name);
  }

  /** Whether grant {@code g} selects {@code relay} (its dst selector matches the labels). */
  static boolean selects(RelayGrant g, PeerRelay relay) {
    return g.getSpec() != null
        && g.getSpec().getDst() != null
        && ObservedSelection.selects(
            g.getSpec().getDst().getSelector(), relay.getMetadata().getLabels());
  }

  private static Set<ResourceID> relaysGrantedBy(
      EventSourceContext<PeerRelay> context,
      InformerEventSource<RelayGrant, PeerRelay> grants,
      Secret s) {
    String ns = s.getMetadata().getNamespace();
    return grants
        .list(ns, g -> RelayGrantReconciler.references(g, s.getMetadata().getName()))
        .flatMap(g -> relaysIn(context, ns, r -> selects(g, r)).stream())
        .collect(Collectors.toSet());
  }

  private static Set<ResourceID> relaysIn(
      EventSourceContext<PeerRelay> context, String namespace, Predicate<PeerRelay> filter) {
    return context
        .getPrimaryCache()
        .list(namespace)
        .filter(filter)
        .map(ResourceID::fromResource)
        .collect(Collectors.toSet());
  }

  private static Set<ResourceID> relaysOn(InformerEventSource<Pod, PeerRelay> pods, String node) {
    return pods.list(p -> p.getSpec() != null && node.equals(p.getSpec().getNodeName()))
        .flatMap(p -> relayOf(p).stream())
        .collect(Collectors.toSet());
  }

  /** The PeerRelay an operator-made Secret belongs to (none for a user's Secret). */
  private static Set<ResourceID> ownerOf(Secret s) {
    return isChildOf(s.getMetadata().getLabels(), null) ? relayOf(s) : Set.of();
  }

  private static Set<ResourceID> relayOf(HasMetadata child) {
    var labels = child.getMetadata().getLabels();
    String relay = labels == null ? null : labels.get(Names.LABEL_RELAY);
    return relay == null
        ? Set.of()
        : Set.of(new ResourceID(relay, child.getMetadata().getNamespace()));
  }

  /** Whether {@code labels} mark a child of {@code relay} (of any relay when null). */
  private static boolean isChildOf(Map<String, String> labels, String relay) {
    return labels != null
        && labels.get(Names.LABEL_RELAY) != null
        && (relay == null || relay.equals(labels.get(Names.LABEL_RELAY)))
        && Names.MANAGER.equals(labels.get(Names.LABEL_MANAGED_BY));
  }

  static Integer replicaOf(HasMetadata child) {
    var i = Names.replicaIndex(child);
    return i.isPresent() ? i.getAsInt() : null;
  }
}
