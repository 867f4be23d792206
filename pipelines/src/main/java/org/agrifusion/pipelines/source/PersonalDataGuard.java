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
 * phone number cannot be recovered by hashing all 11-digit numbers. Every other value that looks
 * like personal data ({@link PersonalDataDetector}) is replaced by its mask, which the standardise
 * step quarantines as PERSONAL_DATA_IN_FIELD: columns can shift, and remarks hold phone numbers.
 */
public final class PersonalDataGuard implements Serializable {

  private final int[] drop;
  private final int[] hash;
  /** Columns not declared personal, checked by the shape of their values. */
  private final int[] kept;
  private final byte[] key;
  private transient Mac mac;

  public PersonalDataGuard(SourceDescriptor source, byte[] key) {
    List<String> columns = source.columns();
    this.drop = source.personalData().drop().stream().mapToInt(columns::indexOf).toArray();
    this.hash = source.personalData().hash().stream().mapToInt(columns::indexOf).toArray();
    this.kept = java.util.stream.IntStream.range(0, columns.size())
        .filter(i -> !source.personalData().drop().contains(columns.get(i)) && !source.personalData().hash().contains(columns.get(i)))
        .toArray();
    this.key = key.clone();
    if (hash.length > 0 && key.length < 16) {
      throw new IllegalArgumentException("source " + source.id() + " hashes personal data but the hash key is shorter than 16 bytes");
    }
  }

  /** True when the feed declares personal data, so raw lines of rejected rows must not be kept verbatim. */
  public boolean active() {
    return drop.length > 0 || hash.length > 0;
  }

  /** Drops, hashes and masks the row's values in place; true when a kept value was masked. */
  boolean apply(Object[] values) {
    for (int i : drop) {
      values[i] = null;
    }
    for (int i : hash) {
      if (values[i] != null) {
        values[i] = hash((String) values[i]);
      }
    }
    boolean masked = false;
    for (int i : kept) {
      PersonalDataDetector.Kind kind = PersonalDataDetector.detect((String) values[i]);
      if (kind != null) {
        values[i] = kind.mask();
        masked = true;
      }
    }
    return masked;
  }

  /**
   * The landed text of a rejected record as it may be kept: none for a feed that declares personal
   * data or a line that holds some, since only the guarded columns may carry it.
   */
  String keptRawLine(String rawText) {
    return active() || PersonalDataDetector.detect(rawText) != null ? null : rawText;
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
