package io.peerrelay.relay.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The bearer token that lets callers off the host read {@code /sessions} ({@code serve
 * --sessions-token-file}). Compared in constant time over SHA-256 digests, so neither the bytes nor
 * the length of the token leak through timing.
 */
public final class BearerToken {
  private static final String SCHEME = "Bearer ";

  private final byte[] digest;

  private BearerToken(String token) {
    this.digest = sha256(token);
  }

  /**
   * Reads the token from {@code file}: its text with surrounding white space (a trailing newline)
   * removed.
   *
   * @throws IllegalArgumentException naming the file when it cannot be read or holds no token
   */
  public static BearerToken fromFile(Path file) {
    String token;
    try {
      token = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--sessions-token-file "
              + file
              + ": cannot read it ("
              + e.getClass().getSimpleName()
              + ")");
    }
    if (token.isEmpty() || token.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      // Never echo the text: it is a secret.
      throw new IllegalArgumentException(
          "--sessions-token-file "
              + file
              + ": want one line of printable ASCII without spaces (e.g. from openssl rand -hex 32)");
    }
    return new BearerToken(token);
  }

  /** A token given directly (tests). */
  static BearerToken of(String token) {
    return new BearerToken(token);
  }

  /** Whether an {@code Authorization} header value is {@code Bearer <this token>}. */
  boolean matches(String authorization) {
    if (authorization == null
        || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return false;
    }
    return MessageDigest.isEqual(digest, sha256(authorization.substring(SCHEME.length()).strip()));
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
