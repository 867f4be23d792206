package org.agrifusion.pipelines.standardise;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import org.agrifusion.pipelines.source.RecordKind;
import org.agrifusion.pipelines.source.SourceDescriptor;
import org.agrifusion.pipelines.support.TestReference;
import org.junit.jupiter.api.Test;

/** The sale, shipment and origin-entity standards on rows shaped like the shipped feeds. */
class LogisticsStandardsTest {

  static final LocalDate DAY = LocalDate.of(2021, 12, 7);
  static final SourceDescriptor ORDERS = TestReference.descriptor("shop-orders");
  static final SourceDescriptor WAYBILLS = TestReference.descriptor("courier-waybills");
  static final SourceDescriptor REGISTRY = TestReference.descriptor("origin-registry");
  final RecordStandard sale = RecordStandard.of(RecordKind.SALE, TestReference.SHIPPED);
  final RecordStandard shipment = RecordStandard.of(RecordKind.SHIPMENT, TestReference.SHIPPED);
  final RecordStandard origin = RecordStandard.of(RecordKind.ORIGIN, TestReference.SHIPPED);

  static Map<String, String> order() {
    Map<String, String> row = new HashMap<>();
    row.put("平台", "拼多多");
    row.put("订单编号", "211207000001");
    row.put("子订单编号", "1");
    row.put("下单时间", "2021-12-07 23:50:00");
    row.put("发货地", "隰县");
    row.put("商品名称", "隰县玉露香梨 产地直发");
    row.put("规格", "5kg/箱");
    row.put("购买数量", "3");
    row.put("单位", "箱");
    row.put("单价", "58");
    row.put("实付金额", "156.6");
    row.put("收货地区", "上海市浦东新区");
    row.put("物流公司", "顺丰");
    row.put("运单号", "sf 1234 5678 90");
    row.put("订单状态", "交易成功");
    return row;
  }

  static Map<String, String> waybill() {
    Map<String, String> row = new HashMap<>();
    row.put("mailNo", "YT80000000001");
    row.put("expressCompany", "圆通速递");
    row.put("acceptTime", "2021-12-07 16:00:00");
    row.put("signTime", "2021-12-08 09:30:00");
    row.put("senderArea", "山西省临汾市隰县");
    row.put("receiverArea", "山西省太原市小店区");
    row.put("weight", "5.5");
    row.put("status", "已签收");
    return row;
  }

  @Test
  void anOrderLineGetsKilogramsPricePerKilogramAndCodes() {
    RecordStandard.Outcome o = Rows.parse(sale, ORDERS, order(), DAY);
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("variety_code")).isEqualTo("020202");
    assertThat(o.value("quantity_kg")).isEqualTo(15.0);
    assertThat(o.value("unit_price_cny_kg")).isEqualTo(11.6);
    assertThat(o.value("amount_cny")).isEqualTo(156.6);
    assertThat(o.value("seller_region_code")).isEqualTo("141031");
    assertThat(o.value("buyer_region_code")).isEqualTo("310115");
    assertThat(o.value("courier_code")).isEqualTo("SF");
    assertThat(o.value("tracking_no")).isEqualTo("SF1234567890");
    assertThat(o.value("status")).isEqualTo("shipped");
    // 23:50 in Shanghai is the 7th even though it is 15:50 UTC
    assertThat(o.value("order_time")).isEqualTo(Timestamp.from(Instant.parse("2021-12-07T15:50:00Z")));
    assertThat(o.value("order_date")).isEqualTo(java.sql.Date.valueOf(DAY));
  }

  @Test
  void anOrderWithoutAPlaceOrStatusTheStandardKnowsIsQuarantined() {
    Map<String, String> row = order();
    row.put("收货地区", "通州");
    row.put("订单状态", "待评价");
    row.put("物流公司", "某某快运");
    RecordStandard.Outcome o = Rows.parse(sale, ORDERS, row, DAY);
    assertThat(o.reasons()).containsExactlyInAnyOrder(ReasonCode.AMBIGUOUS_REGION, ReasonCode.UNKNOWN_STATUS, ReasonCode.UNKNOWN_COURIER);
  }

  @Test
  void aBulkUnitWithoutWeightKeepsTheQuantityAndIsFlagged() {
    Map<String, String> row = order();
    row.put("规格", "大果");
    RecordStandard.Outcome o = Rows.parse(sale, ORDERS, row, DAY);
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("quantity_kg")).isNull();
    assertThat(o.value("unit_price_cny_kg")).isNull();
    assertThat(o.value("unit_convertible")).isEqualTo(false);
  }

  @Test
  void aWaybillGetsCourierRegionsAndTimes() {
    RecordStandard.Outcome o = Rows.parse(shipment, WAYBILLS, waybill(), DAY);
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("courier_code")).isEqualTo("YTO");
    assertThat(o.value("sender_region_code")).isEqualTo("141031");
    assertThat(o.value("receiver_region_code")).isEqualTo("140105");
    assertThat(o.value("pickup_date")).isEqualTo(java.sql.Date.valueOf(DAY));
    assertThat(o.value("status")).isEqualTo("delivered");
  }

  @Test
  void aParcelSignedBeforeItWasPickedUpIsQuarantined() {
    Map<String, String> row = waybill();
    row.put("signTime", "2021-12-07 14:00:00");
    assertThat(Rows.parse(shipment, WAYBILLS, row, DAY).reasons()).containsExactly(ReasonCode.TIME_ORDER);
  }

  @Test
  void aWaybillPickedUpMoreThanThreeDaysBeforeOrAfterIsOutsideTheWindow() {
    Map<String, String> row = waybill();
    row.put("acceptTime", "2021-12-03 16:00:00");
    row.remove("signTime");
    assertThat(Rows.parse(shipment, WAYBILLS, row, DAY).reasons()).containsExactly(ReasonCode.DATE_OUTSIDE_WINDOW);
    row.put("acceptTime", "2021-12-08 09:00:00");
    assertThat(Rows.parse(shipment, WAYBILLS, row, DAY).reasons()).containsExactly(ReasonCode.DATE_OUTSIDE_WINDOW);
  }

  @Test
  void aParcelPickedUpUpToThreeDaysBeforeIsAStatusUpdateInTheWindow() {
    Map<String, String> row = waybill();
    row.put("acceptTime", "2021-12-04 16:00:00");
    assertThat(Rows.parse(shipment, WAYBILLS, row, DAY).reasons()).isEmpty();
  }

  @Test
  void anOriginEntityGetsItsCountyAndProductCodes() {
    Map<String, String> row = new HashMap<>();
    row.put("主体编号", "SX0001");
    row.put("主体名称", "临猗县红富士专业合作社");
    row.put("所在地区", "运城临猗");
    row.put("主营品种", "红富士|玉露香梨、蟠桃王");
    row.put("认证", "绿色食品|地理标志");
    row.put("年产量(吨)", "1200");
    row.put("冷库容量(吨)", "500");
    RecordStandard.Outcome o = Rows.parse(origin, REGISTRY, row, DAY);
    assertThat(o.reasons()).isEmpty();
    assertThat(o.value("region_code")).isEqualTo("140821");
    assertThat((String[]) o.value("product_codes")).contains("020101", "020202");
    assertThat((String[]) o.value("certifications")).containsExactly("绿色食品", "地理标志");
    assertThat(o.value("annual_output_t")).isEqualTo(1200.0);
  }

  @Test
  void excelSerialDatesAndLocalTimesAreRead() {
    DateParsers parsers = new DateParsers(java.util.List.of("yyyy-MM-dd HH:mm:ss", DateParsers.EXCEL_SERIAL), "Asia/Shanghai", null);
    assertThat(parsers.date("41435", DAY)).isEqualTo(LocalDate.of(2013, 6, 10));
    assertThat(parsers.instant("41435.5", DAY)).isEqualTo(Instant.parse("2013-06-10T04:00:00Z"));
    assertThat(parsers.instant("2021-12-07 08:00:00", DAY)).isEqualTo(Instant.parse("2021-12-07T00:00:00Z"));
  }
}
