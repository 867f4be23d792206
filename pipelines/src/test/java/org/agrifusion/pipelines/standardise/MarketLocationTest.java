package org.agrifusion.pipelines.standardise;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.source.SourceDescriptors;
import org.agrifusion.pipelines.support.TestReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A price's market location levels and grade: Indian mandis (ISO 3166-2) and the Chinese feeds (GB/T 2260). */
class MarketLocationTest {

  static final SourceDescriptor AGMARKNET = SourceDescriptors.load(Path.of("src/test/resources/agmarknet/agmarknet-mandi-test.yml"));
  final RecordStandard standard = RecordStandard.of(RecordKind.PRICE, TestReference.SHIPPED);

  /** A verbatim line of the AGMARKNET week file (INR per quintal). */
  static Map<String, String> damnagar() {
    Map<String, String> row = new HashMap<>();
    String[] header = {"State", "District", "Market", "Commodity", "Variety", "Grade", "Arrival_Date", "Min Price", "Max Price", "Modal Price"};
    String[] values = "Gujarat,Amreli,Damnagar,Bhindi(Ladies Finger),Bhindi,FAQ,27-07-2023,4100,4500,4350".split(",");
    for (int i = 0; i < header.length; i++) {
      row.put(header[i], values[i]);
    }
    return row;
  }

  RecordStandard.Outcome mandi(Map<String, String> row) {
    return Rows.parse(standard, AGMARKNET, row, LocalDate.of(2023, 7, 27));
  }

  @Test
  void anIndianMandiKeepsCountryStateDistrictMarketAndGrade() {
    RecordStandard.Outcome o = mandi(damnagar());
    assertThat(o.value("market_country_code")).isEqualTo("IN");
    assertThat(o.value("market_subdivision_raw")).isEqualTo("Gujarat");
    assertThat(o.value("market_subdivision_code")).isEqualTo("IN-GJ");
    assertThat(o.value("market_district_raw")).isEqualTo("Amreli");
    assertThat(o.value("market_district_code")).isNull();
    assertThat(o.value("market_name")).isEqualTo("Damnagar");
    assertThat(o.value("market_key")).isEqualTo("IN/IN-GJ/Amreli/Damnagar");
    assertThat(o.value("market_region_code")).isNull();
    assertThat(o.value("grade")).isEqualTo("FAQ");
    assertThat(o.reasons()).doesNotContain(ReasonCode.UNKNOWN_REGION);
  }

  /** Every state spelling of the AGMARKNET week file (27 states and union territories), and the ISO names. */
  @ParameterizedTest
  @CsvSource({
      "Andaman and Nicobar, IN-AN", "Andhra Pradesh, IN-AP", "Bihar, IN-BR", "Chandigarh, IN-CH", "Chattisgarh, IN-CG",
      "Goa, IN-GA", "Gujarat, IN-GJ", "Haryana, IN-HR", "Himachal Pradesh, IN-HP", "Jammu and Kashmir, IN-JK",
      "Karnataka, IN-KA", "Kerala, IN-KL", "Madhya Pradesh, IN-MP", "Maharashtra, IN-MH", "Meghalaya, IN-ML",
      "NCT of Delhi, IN-DL", "Nagaland, IN-NL", "Odisha, IN-OD", "Pondicherry, IN-PY", "Punjab, IN-PB",
      "Rajasthan, IN-RJ", "Tamil Nadu, IN-TN", "Telangana, IN-TS", "Tripura, IN-TR", "Uttar Pradesh, IN-UP",
      "Uttrakhand, IN-UK", "West Bengal, IN-WB",
      "Chhattisgarh, IN-CG", "Uttarakhand, IN-UK", "Puducherry, IN-PY", "Ladakh, IN-LA",
      "Dadra and Nagar Haveli and Daman and Diu, IN-DH", "Daman and Diu, IN-DH", "uttar  pradesh, IN-UP", "IN-GJ, IN-GJ"})
  void everyAgmarknetStateSpellingGetsItsIso31662Code(String state, String code) {
    Map<String, String> row = damnagar();
    row.put("State", state);
    RecordStandard.Outcome o = mandi(row);
    assertThat(o.value("market_subdivision_code")).isEqualTo(code);
    assertThat(o.value("market_key")).isEqualTo("IN/" + code + "/Amreli/Damnagar");
  }

  @Test
  void aStateTheListDoesNotKnowQuarantinesTheRowAndSaysWhereToAddIt() {
    Map<String, String> row = damnagar();
    row.put("State", "Gujrat State");
    RecordStandard.Outcome o = mandi(row);
    assertThat(o.reasons()).contains(ReasonCode.UNKNOWN_REGION);
    assertThat(o.details()).contains("market_subdivision 'Gujrat State' is not a subdivision of IN in subdivisions.csv (add it or an alias there)");
    assertThat(o.value("market_subdivision_raw")).isEqualTo("Gujrat State");
    assertThat(o.value("market_subdivision_code")).isNull();
  }

  @Test
  void aMarketCountryThatIsNoCountryQuarantinesTheRow(@TempDir Path dir) throws IOException {
    Path yml = dir.resolve("agmarknet-mandi-test.yml");
    Files.writeString(yml, Files.readString(Path.of("src/test/resources/agmarknet/agmarknet-mandi-test.yml"))
        .replace("market_country: IN", "market_country: Atlantis"));
    RecordStandard.Outcome o = Rows.parse(standard, SourceDescriptors.load(yml), damnagar(), LocalDate.of(2023, 7, 27));
    assertThat(o.reasons()).contains(ReasonCode.UNKNOWN_REGION);
    assertThat(o.details()).contains("market_country 'Atlantis' is not a country of countries.csv");
  }

  @Test
  void theGradeIsTrimmedAndAnEmptyGradeIsNull() {
    Map<String, String> row = damnagar();
    row.put("Grade", "  Medium ");
    assertThat(mandi(row).value("grade")).isEqualTo("Medium");
    row.put("Grade", " ");
    assertThat(mandi(row).value("grade")).isNull();
  }

  @Test
  void xinfadiIsInChinaWithItsProvinceAndDistrictFromMarketRegion() {
    RecordStandard.Outcome o = Rows.parse(standard, TestReference.descriptor("xinfadi-daily-prices"), PriceStandardTest.fuji(),
        PriceStandardTest.DAY);
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("market_country_code")).isEqualTo("CN");
    assertThat(o.value("market_subdivision_code")).isEqualTo("110000");
    assertThat(o.value("market_district_code")).isEqualTo("110106");
    assertThat(o.value("market_subdivision_raw")).isNull();
    assertThat(o.value("market_key")).isEqualTo("BJ-XFD");
  }

  /** Every shipped Chinese price feed: a market_region that resolves gives CN and the province. */
  @ParameterizedTest
  @CsvSource({"山西省太原市, 140000, 140100", "140821, 140000, 140821", "郑州, 410000, 410100", "110000, 110000, "})
  void aChineseMarketRegionGivesCountryProvinceAndCityOrCounty(String region, String province, String district) {
    Map<String, String> row = new HashMap<>();
    row.put("市场编码", "TY-HX");
    row.put("市场名称", "太原河西农产品批发市场");
    row.put("市场所在地", region);
    row.put("品名", "富士");
    row.put("平均价", "4.4");
    row.put("单位", "公斤");
    row.put("发布日期", "2021-12-07");
    RecordStandard.Outcome o = Rows.parse(standard, TestReference.descriptor("market-bulletins"), row, PriceStandardTest.DAY);
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("market_country_code")).isEqualTo("CN");
    assertThat(o.value("market_subdivision_code")).isEqualTo(province);
    assertThat(o.value("market_district_code")).isEqualTo(district);
  }
}
