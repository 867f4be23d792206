package org.agrifusion.pipelines.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersonalDataKeyTest {

  @TempDir Path root;

  @Test
  void aLocalDataRootGetsARandomOwnerOnlyKeyOnFirstUseAndKeepsIt() throws IOException {
    PersonalDataKey key = new PersonalDataKey(null, null, "file:" + root);
    Path file = root.resolve("secrets/pii-hash.key");
    assertThat(file).doesNotExist();

    byte[] first = key.get();

    assertThat(file).exists();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    assertThat(Files.readString(file).strip()).matches("[0-9a-f]{64}");
    assertThat(first).isEqualTo(Files.readString(file).strip().getBytes(StandardCharsets.UTF_8));
    // another process (or a later night) reads the same key; another installation has another
    assertThat(new PersonalDataKey("", null, "file:" + root).get()).isEqualTo(first);
    assertThat(new PersonalDataKey(null, null, "file:" + root.resolve("other")).get()).isNotEqualTo(first);
  }

  @Test
  void processesStartingTogetherAgreeOnOneKey() {
    List<CompletableFuture<byte[]>> racing = IntStream.range(0, 8)
        .mapToObj(i -> CompletableFuture.supplyAsync(() -> new PersonalDataKey(null, null, "file:" + root).get())).toList();
    byte[] first = racing.get(0).join();
    assertThat(racing).allSatisfy(f -> assertThat(f.join()).isEqualTo(first));
  }

  @Test
  void theKeyFromTheEnvironmentWinsAndMustHave32Bytes() {
    String configured = "k".repeat(32);
    assertThat(new PersonalDataKey(configured, null, "hdfs://nn/agri").get()).isEqualTo(configured.getBytes(StandardCharsets.UTF_8));
    assertThat(root.resolve("secrets")).doesNotExist();
    assertThatThrownBy(() -> new PersonalDataKey("agri-fusion-development-key", null, "file:" + root).get())
        .hasMessage("the personal-data hash key in agri.privacy.hash-key (AGRI_PII_HASH_KEY) is 27 bytes; at least 32 are required");
  }

  @Test
  void aKeyFileOthersCanReadOrAShortOneIsRefused() throws IOException {
    Path file = root.resolve("pii.key");
    Files.writeString(file, "0123456789abcdef0123456789abcdef\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> new PersonalDataKey(null, file.toString(), "hdfs://nn/agri").get())
        .hasMessage("the personal-data hash key file " + file + " is open to others (mode rw-r--r--); run chmod 600 " + file);

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThat(new PersonalDataKey(null, file.toString(), "hdfs://nn/agri").get()).hasSize(32);

    Files.writeString(file, "too-short\n");
    assertThatThrownBy(() -> new PersonalDataKey(null, file.toString(), "hdfs://nn/agri").get())
        .hasMessage("the personal-data hash key in key file " + file + " is 9 bytes; at least 32 are required");
  }

  @Test
  void aRemoteDataRootWithoutAKeyIsRefusedWithWhatToSet() {
    assertThatThrownBy(() -> new PersonalDataKey(null, null, "s3a://bucket/agri").get())
        .hasMessageContaining("the data root s3a://bucket/agri is not local, so set AGRI_PII_HASH_KEY or agri.privacy.hash-key-file");
  }

  @Test
  void noKeyShipsInTheConfiguration() throws IOException {
    assertThat(Files.readString(Path.of("../conf/application.yml")))
        .contains("hash-key: ${AGRI_PII_HASH_KEY:}\n").doesNotContain("development-key");
  }
}
