package org.agrifusion.pipelines.source;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Applies a descriptor's {@code personal_data} rules to a row as it is read: dropped columns are
 * emptied, hashed columns replaced by HMAC-SHA256 under a key that is configuration, not data, so a
 * phone number cannot be recovered by hashing all 11-digit numbers.
 */
public final class PersonalDataGuard implements Serializable {

  private final int[] drop;
  private final int[] hash;
  private final byte[] key;
  private transient Mac mac;

  public PersonalDataGuard(SourceDescriptor source, byte[] key) {
    List<String> columns = source.columns();
    this.drop = source.personalData().drop().stream().mapToInt(columns::indexOf).toArray();
    this.hash = source.personalData().hash().stream().mapToInt(columns::indexOf).toArray();
    this.key = key.clone();
    if (hash.length > 0 && key.length < 16) {
      throw new IllegalArgumentException("source " + source.id() + " hashes personal data but the hash key is shorter than 16 bytes");
    }
  }

  /** True when the feed declares personal data, so raw lines of rejected rows must not be kept verbatim. */
  public boolean active() {
    return drop.length > 0 || hash.length > 0;
  }

  void apply(Object[] values) {
    for (int i : drop) {
      values[i] = null;
    }
    for (int i : hash) {
      if (values[i] != null) {
        values[i] = hash((String) values[i]);
      }
    }
  }

  String hash(String value) {
    try {
      if (mac == null) {
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
      }
      return HexFormat.of().formatHex(mac.doFinal(value.strip().getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
