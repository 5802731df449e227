package io.peerrelay.operator.observe;

import io.fabric8.kubernetes.api.model.Secret;
import io.peerrelay.operator.api.GrantSource;
import io.peerrelay.operator.api.KeySecretRef;
import io.peerrelay.operator.api.RelayGrant;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The client keys one RelayGrant grants, resolved from its inline lists and the Secrets it
 * references as the informer cache holds them, with every problem named by its spec path.
 *
 * @param keys valid {@code discokey:<hex>} keys, sorted (a config built from them does not churn)
 * @param missing references that could not be read (Secret or key absent)
 * @param malformed entries that are not {@code discokey:} followed by 64 lowercase hex digits
 */
public record ObservedGrantKeys(
    SortedSet<String> keys, List<String> missing, List<String> malformed) {

  /** Secret values list keys separated by any mix of whitespace, newlines and commas. */
  private static final Pattern SEPARATORS = Pattern.compile("[\\s,]+");

  /** Resolves {@code grant}; {@code secrets} maps a Secret name in its namespace to the cache. */
  public static ObservedGrantKeys resolve(RelayGrant grant, SecretLookup secrets) {
    SortedSet<String> keys = new TreeSet<>();
    List<String> missing = new ArrayList<>();
    List<String> malformed = new ArrayList<>();
    List<GrantSource> src = grant.getSpec() == null ? List.of() : grant.getSpec().getSrc();
    for (int i = 0; i < src.size(); i++) {
      GrantSource s = src.get(i);
      if (s.getClientKeys() != null) {
        List<String> inline = s.getClientKeys();
        for (int k = 0; k < inline.size(); k++) {
          accept(inline.get(k), "spec.src[" + i + "].clientKeys[" + k + "]", keys, malformed);
        }
      }
      KeySecretRef ref = s.getSecretRef();
      if (ref != null) {
        String where = "spec.src[" + i + "].secretRef";
        Secret secret = ref.getName() == null ? null : secrets.get(ref.getName());
        String value = secret == null ? null : value(secret, ref.getKey());
        if (secret == null) {
          missing.add(where + ": " + secrets.absence(ref.getName()));
        } else if (value == null) {
          missing.add(where + ": Secret " + ref.getName() + " has no key " + ref.getKey());
        } else {
          String[] entries = SEPARATORS.split(value.strip());
          for (int k = 0; k < entries.length; k++) {
            if (!entries[k].isEmpty()) {
              accept(
                  entries[k],
                  where + " (" + ref.getName() + "/" + ref.getKey() + " entry " + k + ")",
                  keys,
                  malformed);
            }
          }
        }
      }
    }
    return new ObservedGrantKeys(keys, List.copyOf(missing), List.copyOf(malformed));
  }

  private static void accept(
      String key, String where, SortedSet<String> keys, List<String> malformed) {
    if (DiscoKeys.isCanonicalPublicKey(key)) {
      keys.add(key);
    } else {
      // Never echo a whole secret value into status: a truncated prefix is enough to find it.
      String shown = key.length() > 16 ? key.substring(0, 16) + "…" : key;
      malformed.add(where + ": \"" + shown + "\" is not discokey:<64 lowercase hex digits>");
    }
  }

  private static String value(Secret secret, String key) {
    Map<String, String> data = secret.getData();
    if (data != null && data.get(key) != null) {
      return new String(Base64.getDecoder().decode(data.get(key)), StandardCharsets.UTF_8);
    }
    Map<String, String> stringData = secret.getStringData();
    return stringData == null ? null : stringData.get(key);
  }
}
