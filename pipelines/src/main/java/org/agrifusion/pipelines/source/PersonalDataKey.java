package org.agrifusion.pipelines.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key of the HMAC that replaces phone numbers ({@code buyer_ref}). No key ships with the code:
 * a key known to others lets them reverse every reference by hashing all mobile numbers. The key is
 * {@code agri.privacy.hash-key} (AGRI_PII_HASH_KEY) when set, else the text in the key file
 * ({@code agri.privacy.hash-key-file}, by default {@code secrets/pii-hash.key} under a local data
 * root), generated from 32 random bytes on first use and readable by its owner only. Resolved on
 * first use, so commands that hash nothing need no key.
 */
public final class PersonalDataKey implements Supplier<byte[]> {

  public static final int MIN_BYTES = 32;
  static final String DEFAULT_FILE = "secrets/pii-hash.key";
  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
  private static final Logger LOG = LoggerFactory.getLogger(PersonalDataKey.class);

  private final String configured;
  private final Path file;
  private final String dataRoot;
  private byte[] key;

  /**
   * @param configured the key itself, or null / blank
   * @param file the key file, or null for the default under a local data root
   * @param dataRoot the lake root as {@link org.agrifusion.pipelines.lake.Lake#root()} gives it
   */
  public PersonalDataKey(String configured, String file, String dataRoot) {
    this.configured = configured == null || configured.isBlank() ? null : configured;
    this.dataRoot = dataRoot;
    if (file != null && !file.isBlank()) {
      this.file = Path.of(file);
    } else if (dataRoot.startsWith("file:")) {
      this.file = Path.of(dataRoot.substring("file:".length())).resolve(DEFAULT_FILE);
    } else {
      this.file = null;
    }
  }

  @Override
  public synchronized byte[] get() {
    if (key == null) {
      key = configured != null ? check(configured.getBytes(StandardCharsets.UTF_8), "agri.privacy.hash-key (AGRI_PII_HASH_KEY)")
          : fromFile();
    }
    return key.clone();
  }

  private byte[] fromFile() {
    if (file == null) {
      throw new IllegalStateException("no personal-data hash key: the data root " + dataRoot + " is not local, so set "
          + "AGRI_PII_HASH_KEY or agri.privacy.hash-key-file (a local file, mode 600)");
    }
    try {
      if (!Files.exists(file)) {
        generate();
      }
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(mode)) {
        throw new IllegalStateException("the personal-data hash key file " + file + " is open to others (mode "
            + PosixFilePermissions.toString(mode) + "); run chmod 600 " + file);
      }
      return check(Files.readString(file, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8), "key file " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the personal-data hash key file " + file + ": " + e.getMessage(), e);
    }
  }

  /** A new key, written to a private temporary file and moved into place, so no one sees it half-written or readable. */
  private void generate() throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent(),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    byte[] random = new byte[MIN_BYTES];
    new SecureRandom().nextBytes(random);
    Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), ".pii-hash", ".tmp",
        PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    try {
      Files.writeString(temporary, HexFormat.of().formatHex(random) + "\n", StandardCharsets.UTF_8);
      try {
        // a link, unlike a rename, never replaces a key another process created meanwhile
        Files.createLink(file, temporary);
        LOG.warn("generated the personal-data hash key {}: back it up; without it every buyer_ref changes", file);
      } catch (FileAlreadyExistsException e) {
        // another process generated it first: use theirs
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static byte[] check(byte[] candidate, String where) {
    if (candidate.length < MIN_BYTES) {
      throw new IllegalStateException("the personal-data hash key in " + where + " is " + candidate.length
          + " bytes; at least " + MIN_BYTES + " are required");
    }
    return candidate;
  }
}
