package org.agrifusion.pipelines.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SourceDescriptorsTest {

  static final String VALID = """
      id: test-market
      kind: price
      landing: {pattern: "{date}/*.csv"}
      format: {type: csv, encoding: GBK, header: false}
      columns: [name, price, unit, day]
      fields: {product_name: name, price_avg: price, unit: unit, observed_date: day}
      constants: {market_name: 测试市场}
      natural_key: [observed_date, product_name]
      """;

  @TempDir Path dir;

  Path write(String name, String yaml) throws IOException {
    return Files.writeString(dir.resolve(name), yaml);
  }

  @Test
  void theShippedDescriptorsAreValid() {
    List<SourceDescriptor> shipped = SourceDescriptors.loadAll(Path.of("../conf/sources"));
    assertThat(shipped).extracting(SourceDescriptor::id).contains("xinfadi-daily-prices", "xinfadi-api-dump",
        "xinfadi-spec-origin-gbk", "xinfadi-history-xlsx", "shop-orders", "courier-waybills", "origin-registry", "market-bulletins");
    assertThat(shipped).extracting(SourceDescriptor::kind).contains(RecordKind.values());
  }

  @Test
  void aValidDescriptorGetsDefaults() throws IOException {
    SourceDescriptor d = SourceDescriptors.load(write("test.yml", VALID));
    assertThat(d.kind()).isEqualTo(RecordKind.PRICE);
    assertThat(d.format().delimiterChar()).isEqualTo(',');
    assertThat(d.dateFormats()).containsExactly("yyyy-MM-dd");
    assertThat(d.timezone()).isEqualTo("Asia/Shanghai");
    assertThat(d.valueOf("market_name", c -> "ignored")).isEqualTo("测试市场");
    assertThat(d.valueOf("product_name", c -> c.equals("name") ? "富士" : null)).isEqualTo("富士");
  }

  @Test
  void valueMapsAreKeyedByTheFeedsNormalisedValueWhateverItsCase() throws IOException {
    SourceDescriptor d = SourceDescriptors.load(write("test.yml", VALID + """
        value_maps:
          product_name: {"Lady Finger": 秋葵, "ＢＨＩＮＤＩ": 秋葵}
          unit: {Qtl: quintal}
        """));
    assertThat(d.mapValue("product_name", "lady finger")).isEqualTo("秋葵");
    assertThat(d.mapValue("product_name", "BHINDI")).isEqualTo("秋葵");
    assertThat(d.mapValue("product_name", "Okra")).isEqualTo("Okra");
    assertThat(d.mapValue("unit", "QTL")).isEqualTo("quintal");
    assertThat(d.mapValue("market_name", "Qtl")).isEqualTo("Qtl");
    assertThat(d.mapValue("unit", null)).isNull();
  }

  @Test
  void aValueMapOfAFieldTheKindDoesNotHaveIsNamed() throws IOException {
    Path file = write("bad.yml", VALID + "value_maps: {courier: {SF: 顺丰}}\n");
    assertThatThrownBy(() -> SourceDescriptors.load(file))
        .hasMessageStartingWith(file + ": value_maps.courier: is not a canonical field of kind price");
  }

  @Test
  void aValueMappedTwiceOrToNothingIsNamed() throws IOException {
    Path twice = write("twice.yml", VALID + "value_maps: {unit: {Qtl: quintal, QTL: 担}}\n");
    assertThatThrownBy(() -> SourceDescriptors.load(twice))
        .hasMessage(twice + ": value_maps.unit: 'QTL' is listed twice (values are compared normalised, in any case)");
    Path blank = write("blank.yml", VALID + "value_maps: {unit: {Qtl: \"\"}}\n");
    assertThatThrownBy(() -> SourceDescriptors.load(blank))
        .hasMessage(blank + ": value_maps.unit: 'Qtl' maps to nothing; give the standard value");
  }

  @Test
  void aFeedsQuarantineLimitIsAShare() throws IOException {
    assertThat(SourceDescriptors.load(write("test.yml", VALID)).maxQuarantineShare()).isNull();
    assertThat(SourceDescriptors.load(write("limit.yml", VALID + "max_quarantine_share: 0.05\n")).maxQuarantineShare())
        .isEqualTo(0.05);
    Path percent = write("percent.yml", VALID + "max_quarantine_share: 20\n");
    assertThatThrownBy(() -> SourceDescriptors.load(percent))
        .hasMessage(percent + ": max_quarantine_share: must be a share between 0 and 1 (0.2 = 20 % of the night's rows), got 20.0");
  }

  @Test
  void aMisspelledKeyNamesTheFileAndTheKey() throws IOException {
    Path file = write("typo.yml", VALID.replace("columns:", "colums:"));
    assertThatThrownBy(() -> SourceDescriptors.load(file))
        .isInstanceOf(SourceDescriptorException.class)
        .hasMessageStartingWith(file + ": ")
        .hasMessageContaining("unknown key 'colums'");
  }

  @Test
  void aFieldMappedToAMissingColumnIsNamed() throws IOException {
    Path file = write("bad.yml", VALID.replace("price_avg: price", "price_avg: prise"));
    assertThatThrownBy(() -> SourceDescriptors.load(file))
        .hasMessage(file + ": fields.price_avg: column 'prise' is not in columns [name, price, unit, day]");
  }

  @Test
  void aRequiredFieldThatIsNeitherMappedNorConstantIsNamed() throws IOException {
    Path file = write("bad.yml", VALID.replace("unit: unit, ", ""));
    assertThatThrownBy(() -> SourceDescriptors.load(file))
        .hasMessage(file + ": fields.unit: is required for kind price (map a column or give a constant)");
  }

  @Test
  void anUnknownCanonicalFieldIsNamed() throws IOException {
    Path file = write("bad.yml", VALID.replace("price_avg: price", "price_mean: price"));
    assertThatThrownBy(() -> SourceDescriptors.load(file))
        .hasMessageContaining("fields.price_mean: is not a canonical field of kind price");
  }

  @Test
  void anUnknownEncodingIsNamed() throws IOException {
    Path file = write("bad.yml", VALID.replace("GBK", "GBX"));
    assertThatThrownBy(() -> SourceDescriptors.load(file))
        .hasMessage(file + ": format.encoding: 'GBX' is not a known charset");
  }

  @Test
  void anUnknownKindListsTheKnownOnes() throws IOException {
    Path file = write("bad.yml", VALID.replace("kind: price", "kind: prices"));
    assertThatThrownBy(() -> SourceDescriptors.load(file))
        .hasMessageContaining(file + ": kind: ")
        .hasMessageContaining("unknown kind 'prices'");
  }

  @Test
  void aBadDatePatternIsNamed() throws IOException {
    Path file = write("bad.yml", VALID + "date_formats: [\"yyyy-MM-dd HH:mm:ss{\"]\n");
    assertThatThrownBy(() -> SourceDescriptors.load(file)).hasMessageContaining(file + ": date_formats: ");
  }

  @Test
  void aLandingPatternWithoutTheDateIsRejected() throws IOException {
    Path file = write("bad.yml", VALID.replace("{date}/*.csv", "*.csv"));
    assertThatThrownBy(() -> SourceDescriptors.load(file))
        .hasMessage(file + ": landing.pattern: is required and must contain {date}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{date}/../../../etc/*.csv", "../other-source/{date}/*.csv", "/etc/{date}/*",
      "{date}/{*.csv,..}/*", "file:/etc/{date}", "{date}/\\.\\./*.csv", "~/{date}/*.csv"})
  void aLandingPatternThatCouldLeaveTheLandingFolderIsRejected(String pattern) throws IOException {
    Path file = write("escape.yml", VALID.replace("\"{date}/*.csv\"", "'" + pattern + "'"));
    assertThatThrownBy(() -> SourceDescriptors.load(file))
        .isInstanceOf(SourceDescriptorException.class)
        .hasMessage(file + ": landing.pattern: must stay under landing/test-market/: no '..', absolute path, scheme or backslash; got '"
            + pattern + "'");
  }

  @Test
  void aLandingPatternWithAlternativesStaysAllowed() throws IOException {
    Path file = write("gz.yml", VALID.replace("{date}/*.csv", "{date}/*.{csv,csv.gz}"));
    assertThat(SourceDescriptors.load(file).landing().pattern()).isEqualTo("{date}/*.{csv,csv.gz}");
  }

  @Test
  void multilineRecordsAreForDelimitedFilesOnly() throws IOException {
    Path file = write("bad.yml", VALID.replace("{type: csv, encoding: GBK, header: false}",
        "{type: jsonl, encoding: UTF-8, multiline_records: true}"));
    assertThatThrownBy(() -> SourceDescriptors.load(file))
        .hasMessage(file + ": format.multiline_records: applies to csv and tsv only");
  }

  @Test
  void aCsvWithoutAHeaderSettingIsRejected() throws IOException {
    Path file = write("bad.yml", VALID.replace(", header: false", ""));
    assertThatThrownBy(() -> SourceDescriptors.load(file))
        .hasMessage(file + ": format.header: is required for csv (true when the first line is a header row)");
  }

  @Test
  void personalDataMustNameDeclaredColumnsAndMayNotBeMapped() throws IOException {
    Path unknown = write("a.yml", VALID + "personal_data: {drop: [phone]}\n");
    assertThatThrownBy(() -> SourceDescriptors.load(unknown))
        .hasMessage(unknown + ": personal_data.drop: column 'phone' is not in columns");
    Path mapped = write("b.yml", VALID + "personal_data: {drop: [name]}\n");
    assertThatThrownBy(() -> SourceDescriptors.load(mapped))
        .hasMessage(mapped + ": fields.product_name: maps column 'name', which personal_data drops");
  }

  @Test
  void aNegativeDateWindowIsRejected() throws IOException {
    Path file = write("bad.yml", VALID + "date_window: {days_before: -1, days_after: 0}\n");
    assertThatThrownBy(() -> SourceDescriptors.load(file))
        .hasMessage(file + ": date_window: days_before and days_after must not be negative");
  }

  @Test
  void twoDescriptorsWithOneIdAreRejected() throws IOException {
    write("a.yml", VALID);
    write("b.yaml", VALID);
    assertThatThrownBy(() -> SourceDescriptors.loadAll(dir))
        .hasMessageContaining("id: 'test-market' is used by more than one descriptor");
  }
}
