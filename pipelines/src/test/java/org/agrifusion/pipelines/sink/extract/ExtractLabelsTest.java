package org.agrifusion.pipelines.sink.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.agrifusion.pipelines.lake.Snapshots;
import org.agrifusion.pipelines.support.SparkExtension;
import org.agrifusion.pipelines.support.TestReference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Money as written is in the record's own currency (INR for Agmarknet): no extract may head it 元. */
@ExtendWith(SparkExtension.class)
class ExtractLabelsTest {

  static final ExtractSpec DETAIL = ExtractSpecs.load(Path.of("../conf/extracts/wholesale-price-observations.yml"));

  static ExtractSpec withColumns(List<ExtractSpec.OutputColumn> columns) {
    return new ExtractSpec(DETAIL.id(), DETAIL.title(), DETAIL.description(), DETAIL.dataset(), DETAIL.cadence(), DETAIL.filter(),
        DETAIL.groupBy(), columns, List.of(), DETAIL.formats(), DETAIL.destination());
  }

  @Test
  void theShippedDetailGivesTheCurrencyBesideThePricesAsQuoted() {
    ExtractSpecs.loadAll(Path.of("../conf/extracts"));
    List<String> headers = DETAIL.columns().stream().map(ExtractSpec.OutputColumn::header).toList();
    assertThat(headers).contains("币种", "平均价(原币种/计价单位)", "平均价(元/公斤)");
    DETAIL.columns().stream().filter(c -> c.expression().endsWith("_orig"))
        .forEach(c -> assertThat(c.header()).as(c.name()).doesNotContain("元"));
  }

  @Test
  void anExtractThatHeadsMoneyAsWrittenWithYuanIsRefused() {
    List<ExtractSpec.OutputColumn> columns = new ArrayList<>(List.of(
        new ExtractSpec.OutputColumn("currency", "币种", null),
        new ExtractSpec.OutputColumn("price_avg_orig", "平均价(元/计价单位)", null)));
    assertThatThrownBy(() -> ExtractSpecs.validate("x.yml", withColumns(columns)))
        .hasMessageContaining("columns.price_avg_orig.header")
        .hasMessageContaining("'平均价(元/计价单位)' says CNY, but the column is money as written, in the record's own currency");

    // an expression over it counts too
    columns.set(1, new ExtractSpec.OutputColumn("avg", "Average (CNY per unit)", "round(price_avg_orig, 2)"));
    assertThatThrownBy(() -> ExtractSpecs.validate("x.yml", withColumns(columns))).hasMessageContaining("says CNY");
  }

  @Test
  void anExtractOfMoneyAsWrittenMustGiveItsCurrency() {
    List<ExtractSpec.OutputColumn> columns = List.of(new ExtractSpec.OutputColumn("amount_orig", "实付金额(原币种)", null));
    assertThatThrownBy(() -> ExtractSpecs.validate("x.yml", withColumns(columns)))
        .hasMessageContaining("'amount_orig' is money as written: also output the column currency");
    ExtractSpecs.validate("x.yml", withColumns(List.of(columns.get(0), new ExtractSpec.OutputColumn("currency", "币种", null))));
  }

  /**
   * The Palampur apple quote of the Agmarknet week (INR 20,000 / 20,500 / 21,000 per quintal on
   * 2023-07-27) as the price standard curates it, and a Xinfadi quote in CNY per 斤.
   */
  @Test
  void aRupeeQuoteIsWrittenWithItsCurrencyAndOnlyItsYuanFiguresSayYuan(SparkSession spark, @TempDir Path dir) throws IOException {
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("business_date", DataTypes.DateType, false),
        DataTypes.createStructField("record_id", DataTypes.StringType, false),
        DataTypes.createStructField("market_code", DataTypes.StringType, true),
        DataTypes.createStructField("market_name", DataTypes.StringType, true),
        DataTypes.createStructField("category", DataTypes.StringType, true),
        DataTypes.createStructField("sub_category", DataTypes.StringType, true),
        DataTypes.createStructField("product_name", DataTypes.StringType, true),
        DataTypes.createStructField("product_code", DataTypes.StringType, true),
        DataTypes.createStructField("variety_code", DataTypes.StringType, true),
        DataTypes.createStructField("spec", DataTypes.StringType, true),
        DataTypes.createStructField("origin_raw", DataTypes.StringType, true),
        DataTypes.createStructField("origin_codes", DataTypes.createArrayType(DataTypes.StringType), false),
        DataTypes.createStructField("unit_raw", DataTypes.StringType, true),
        DataTypes.createStructField("currency", DataTypes.StringType, true),
        DataTypes.createStructField("fx_rate", DataTypes.DoubleType, true),
        DataTypes.createStructField("fx_rate_date", DataTypes.DateType, true),
        DataTypes.createStructField("price_low_orig", DataTypes.DoubleType, true),
        DataTypes.createStructField("price_avg_orig", DataTypes.DoubleType, true),
        DataTypes.createStructField("price_high_orig", DataTypes.DoubleType, true),
        DataTypes.createStructField("price_low", DataTypes.DoubleType, true),
        DataTypes.createStructField("price_avg", DataTypes.DoubleType, true),
        DataTypes.createStructField("price_high", DataTypes.DoubleType, true),
        DataTypes.createStructField("market_country_code", DataTypes.StringType, true),
        DataTypes.createStructField("market_subdivision_raw", DataTypes.StringType, true),
        DataTypes.createStructField("market_subdivision_code", DataTypes.StringType, true),
        DataTypes.createStructField("market_district_raw", DataTypes.StringType, true),
        DataTypes.createStructField("market_district_code", DataTypes.StringType, true),
        DataTypes.createStructField("grade", DataTypes.StringType, true)));
    Date day = Date.valueOf("2023-07-27");
    Dataset<Row> quotes = spark.createDataFrame(List.of(
        RowFactory.create(day, "a", null, "Palampur", null, null, "Apple", "0201", null, null, null, new String[0], "quintal",
            "INR", 0.0872408, day, 20000.0, 20500.0, 21000.0, 17.4482, 17.8844, 18.3206,
            "IN", "Himachal Pradesh", "IN-HP", "Kangra", null, "Medium"),
        RowFactory.create(day, "b", "BJ-XFD", "北京新发地农产品批发市场", "水果", "苹果类", "富士", "0201", "020101", null, "晋",
            new String[] {"140000"}, "斤", "CNY", 1.0, null, 1.8, 2.2, 2.6, 3.6, 4.4, 5.2,
            "CN", null, "110000", null, "110106", null)), schema);

    Dataset<Row> rows = ExtractQuery.rows(DETAIL, quotes, TestReference.SHIPPED);
    ExtractWriter.write(DETAIL, rows.toLocalIterator(), LocalDate.of(2023, 7, 27), Snapshots.of(Map.of()),
        "file:" + dir.resolve(DETAIL.id()), "1", spark.sparkContext().hadoopConfiguration());

    Path csv = dir.resolve(DETAIL.id()).resolve("2023-07-27").resolve(DETAIL.id() + "_2023-07-27.csv");
    List<String> lines = Files.readString(csv, StandardCharsets.UTF_8).substring(1).lines().toList();
    assertThat(lines.get(0)).isEqualTo("日期,市场代码,批发市场,市场所在国家,市场所在省/州,市场所在市/县,一级分类,二级分类,品名,品种代码,规格,等级,"
        + "产地,产地代码,计价单位,币种,"
        + "最低价(原币种/计价单位),平均价(原币种/计价单位),最高价(原币种/计价单位),汇率(元/原币种单位),汇率日期,"
        + "最低价(元/公斤),平均价(元/公斤),最高价(元/公斤),记录标识");
    assertThat(lines).contains(
        "2023-07-27,,Palampur,IN,Himachal Pradesh,Kangra,,,Apple,0201,,Medium,,,quintal,INR,20000,20500,21000,0.0872408,2023-07-27,"
            + "17.4482,17.8844,18.3206,a",
        "2023-07-27,BJ-XFD,北京新发地农产品批发市场,CN,北京市,丰台区,水果,苹果类,富士,020101,,,晋,140000,斤,CNY,1.8,2.2,2.6,1,,"
            + "3.6,4.4,5.2,b");
  }
}
