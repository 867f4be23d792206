package org.agrifusion.pipelines.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.agrifusion.pipelines.reference.Region;
import org.agrifusion.pipelines.reference.RegionCatalog;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.apache.poi.ss.usermodel.Sheet;

/**
 * Writes a day of synthetic e-commerce orders, courier waybills and an origin registry, shaped like
 * the real feeds (no real ones are public): Shanxi producers selling their specialities on the big
 * platforms to buyers all over China, shipped by real couriers. Deterministic for a seed and date.
 *
 * <p>Files land as {@code shop-orders/D/orders_D.csv} (UTF-8 with BOM, CRLF, Chinese header, as
 * platform exports are), {@code courier-waybills/D/waybills_D.jsonl} (every parcel picked up on D,
 * including those of orders placed the day before) and {@code origin-registry/D/registry_D.xlsx}.
 * About one record in a hundred is damaged the way real feeds are (ambiguous or unknown places,
 * unknown couriers, a sign time before the pickup, a line exported twice).
 */
public final class SyntheticFeeds {

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A speciality, the counties it comes from, its package spec and price per package. */
  private record Speciality(String title, String[] counties, String spec, double kg, double price) {}

  private static final List<Speciality> SPECIALITIES = List.of(
      new Speciality("红富士苹果", new String[] {"140821", "140822", "141028"}, "10斤/箱", 5, 45),
      new Speciality("玉露香梨", new String[] {"141031", "141034"}, "5kg/箱", 5, 58),
      new Speciality("沁州黄小米", new String[] {"140430"}, "2.5kg/袋", 2.5, 39),
      new Speciality("红枣", new String[] {"141124", "141125"}, "1kg/袋", 1, 26),
      new Speciality("核桃", new String[] {"141182", "140722"}, "2斤/袋", 1, 32),
      new Speciality("老陈醋", new String[] {"140121"}, "2.5kg/桶", 2.5, 30),
      new Speciality("平遥牛肉", new String[] {"140728"}, "500g/袋", 0.5, 49),
      new Speciality("大同黄花", new String[] {"140215"}, "500g/袋", 0.5, 36),
      new Speciality("马铃薯", new String[] {"141127", "140929"}, "10斤/箱", 5, 25),
      new Speciality("荞麦面", new String[] {"140929", "141127"}, "1kg/袋", 1, 18));

  private static final String[][] COURIERS = {
      {"中通快递", "ZT7"}, {"圆通速递", "YT8"}, {"韵达快递", "YD4"}, {"申通快递", "STO7"},
      {"顺丰速运", "SF1"}, {"极兔速递", "JT5"}, {"中国邮政", "EMS9"}, {"京东物流", "JDV"}};
  private static final String[] PLATFORMS = {"拼多多", "淘宝", "京东", "抖音"};
  private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
  /** Big-city destinations weigh more: buyers concentrate there. */
  private static final String[] BIG_CITIES = {"1101", "3101", "4401", "4403", "3301", "3201", "5101", "4201", "1401", "6101"};

  private final RegionCatalog regions;
  private final RegionNames names;
  private final List<Region> counties;
  private final List<Region> cityDistricts;

  public SyntheticFeeds(RegionCatalog regions) {
    this.regions = regions;
    this.names = new RegionNames(regions);
    this.counties = regions.all().stream().filter(r -> r.level() == Region.Level.COUNTY).toList();
    this.cityDistricts = counties.stream()
        .filter(r -> !Boolean.TRUE.equals(r.rural()) && List.of(BIG_CITIES).contains(r.code().substring(0, 4)))
        .toList();
  }

  /** What one call wrote. */
  public record Written(int orderLines, int waybills, int registryEntries, List<Path> files) {}

  /** Writes the three feeds of one day under {@code landing}, with about {@code orders} order lines. */
  public Written write(Path landing, LocalDate date, int orders, long seed) {
    List<Order> today = orders(date, orders, seed);
    List<Order> yesterday = orders(date.minusDays(1), orders, seed);
    List<Waybill> waybills = new ArrayList<>();
    for (List<Order> day : List.of(yesterday, today)) {
      for (Order o : day) {
        if (o.waybill != null && o.waybill.pickup.toLocalDate().equals(date)) {
          waybills.add(o.waybill);
        }
      }
    }
    waybills.addAll(downBound(date, Math.max(1, orders / 4), seed));
    waybills.sort(Comparator.comparing(w -> w.pickup));
    try {
      Path ordersFile = writeOrders(landing.resolve("shop-orders/" + date + "/orders_" + date + ".csv"), today);
      Path waybillFile = writeWaybills(landing.resolve("courier-waybills/" + date + "/waybills_" + date + ".jsonl"), waybills, seed);
      int entities = 40;
      Path registry = writeRegistry(landing.resolve("origin-registry/" + date + "/registry_" + date + ".xlsx"), entities, seed);
      return new Written(today.size(), waybills.size(), entities, List.of(ordersFile, waybillFile, registry));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write synthetic feeds under " + landing, e);
    }
  }

  private static final class Order {
    String platform, orderId, shop, sellerRegion, title, spec, unit, buyer, phone, address, buyerRegion, courier, tracking, status;
    LocalDateTime time;
    int quantity;
    double unitPrice, amount;
    Waybill waybill;
  }

  private static final class Waybill {
    String courier, tracking, sender, receiver, status;
    LocalDateTime pickup, sign;
    double weight, fee;
    boolean signBeforePickup;
  }

  private List<Order> orders(LocalDate date, int count, long seed) {
    Random random = new Random(seed ^ date.toEpochDay() * 7919L);
    List<Order> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Speciality s = SPECIALITIES.get(random.nextInt(SPECIALITIES.size()));
      Region seller = regions.byCode(s.counties()[random.nextInt(s.counties().length)]).orElseThrow();
      Region buyer = random.nextInt(10) < 6 ? cityDistricts.get(random.nextInt(cityDistricts.size()))
          : counties.get(random.nextInt(counties.size()));
      Order o = new Order();
      o.platform = PLATFORMS[random.nextInt(PLATFORMS.length)];
      o.orderId = String.format("%s%06d", date.toString().replace("-", "").substring(2), i + 1);
      o.shop = RegionNames.shortName(seller) + s.title().substring(0, 2) + "合作社旗舰店";
      o.sellerRegion = names.cityName(seller) + RegionNames.shortName(seller);
      o.title = RegionNames.shortName(seller) + s.title() + " 产地直发";
      o.spec = s.spec();
      o.unit = s.spec().endsWith("袋") ? "袋" : s.spec().endsWith("桶") ? "件" : "箱";
      o.quantity = 1 + random.nextInt(3);
      o.unitPrice = s.price();
      o.amount = Math.round(o.quantity * s.price() * (random.nextInt(5) == 0 ? 0.9 : 1.0) * 100) / 100.0;
      o.time = date.atStartOfDay().plusSeconds(random.nextInt(86_400));
      o.buyer = SURNAMES[random.nextInt(SURNAMES.length)] + "先生";
      o.phone = "1" + (30 + random.nextInt(60)) + String.format("%08d", random.nextInt(100_000_000));
      o.address = "幸福路" + (1 + random.nextInt(300)) + "号";
      o.buyerRegion = names.fullName(buyer);
      int statusDraw = random.nextInt(100);
      o.status = statusDraw < 4 ? "已退款" : statusDraw < 7 ? "已取消" : statusDraw < 12 ? "已付款" : statusDraw < 60 ? "已发货" : "交易成功";
      if (o.status.equals("已发货") || o.status.equals("交易成功") || o.status.equals("已退款")) {
        String[] courier = COURIERS[random.nextInt(COURIERS.length)];
        o.courier = courier[0];
        o.tracking = courier[1] + String.format("%010d", (long) (random.nextDouble() * 1e10));
        o.waybill = waybill(o, seller, buyer, s, random);
      }
      damage(o, random);
      out.add(o);
      if (random.nextInt(200) == 0) {
        out.add(o); // the same line exported twice
      }
    }
    return out;
  }

  private Waybill waybill(Order o, Region seller, Region buyer, Speciality s, Random random) {
    Waybill w = new Waybill();
    w.courier = o.courier;
    w.tracking = o.tracking;
    w.sender = names.fullName(seller);
    w.receiver = names.fullName(buyer);
    w.pickup = o.time.plusMinutes(30 + random.nextInt(30 * 60));
    boolean sameCity = seller.code().substring(0, 4).equals(buyer.code().substring(0, 4));
    boolean sameProvince = seller.code().substring(0, 2).equals(buyer.code().substring(0, 2));
    int hours = sameCity ? 3 + random.nextInt(12) : sameProvince ? 8 + random.nextInt(30) : 24 + random.nextInt(72);
    w.sign = random.nextInt(10) == 0 ? null : w.pickup.plusHours(hours).plusMinutes(random.nextInt(60));
    w.status = w.sign == null ? "运输中" : "已签收";
    w.weight = Math.round(o.quantity * s.kg() * 1.1 * 10) / 10.0;
    w.fee = 6 + Math.round(w.weight * 0.8);
    w.signBeforePickup = random.nextInt(150) == 0;
    return w;
  }

  /** Parcels into rural Shanxi from the big cities: the down-bound flow. */
  private List<Waybill> downBound(LocalDate date, int count, long seed) {
    Random random = new Random(seed ^ date.toEpochDay() * 104_729L);
    List<Region> shanxiRural = counties.stream().filter(r -> r.code().startsWith("14") && Boolean.TRUE.equals(r.rural())).toList();
    List<Waybill> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String[] courier = COURIERS[random.nextInt(COURIERS.length)];
      Waybill w = new Waybill();
      w.courier = courier[0];
      w.tracking = courier[1] + String.format("%010d", (long) (random.nextDouble() * 1e10));
      w.sender = names.fullName(cityDistricts.get(random.nextInt(cityDistricts.size())));
      w.receiver = names.fullName(shanxiRural.get(random.nextInt(shanxiRural.size())));
      w.pickup = date.atStartOfDay().plusSeconds(random.nextInt(86_400));
      w.sign = w.pickup.plusHours(30 + random.nextInt(60));
      w.status = "已签收";
      w.weight = 0.5 + random.nextInt(40) / 10.0;
      w.fee = 8;
      out.add(w);
    }
    return out;
  }

  /** About one order in a hundred is damaged as real exports are. */
  private static void damage(Order o, Random random) {
    switch (random.nextInt(400)) {
      case 0 -> o.buyerRegion = "通州";          // ambiguous: a district of Beijing and one of Nantong
      case 1 -> o.buyerRegion = "火星基地";        // not a place
      case 2 -> o.amount = Double.NaN;           // written as "—"
      case 3 -> o.status = "待评价";              // a status the standard does not know
      default -> { }
    }
  }

  private Path writeOrders(Path file, List<Order> orders) throws IOException {
    Files.createDirectories(file.getParent());
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write('\uFEFF');
      out.write("平台,订单编号,子订单编号,下单时间,店铺名称,发货地,商品名称,规格,购买数量,单位,单价,实付金额,"
          + "收货人,收货人手机,收货地址,收货地区,物流公司,运单号,订单状态\r\n");
      for (Order o : orders) {
        out.write(String.join(",", o.platform, o.orderId, "1", o.time.format(TIME), o.shop, o.sellerRegion, o.title,
            o.spec, String.valueOf(o.quantity), o.unit, String.valueOf(o.unitPrice),
            Double.isNaN(o.amount) ? "—" : String.valueOf(o.amount), o.buyer, o.phone, o.address, o.buyerRegion,
            o.courier == null ? "" : o.courier, o.tracking == null ? "" : o.tracking, o.status));
        out.write("\r\n");
      }
    }
    return file;
  }

  private Path writeWaybills(Path file, List<Waybill> waybills, long seed) throws IOException {
    Files.createDirectories(file.getParent());
    Random random = new Random(seed);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (Waybill w : waybills) {
        ObjectNode json = JSON.createObjectNode();
        json.put("mailNo", w.tracking);
        json.put("expressCompany", w.courier);
        json.put("acceptTime", w.pickup.format(TIME));
        if (w.sign != null) {
          json.put("signTime", (w.signBeforePickup ? w.pickup.minusHours(2) : w.sign).format(TIME));
        }
        json.put("senderArea", w.sender);
        json.put("receiverArea", w.receiver);
        json.put("weight", String.valueOf(w.weight));
        json.put("freight", String.valueOf(w.fee));
        json.put("status", w.status);
        json.put("senderName", SURNAMES[random.nextInt(SURNAMES.length)] + "女士");
        json.put("senderPhone", "13" + String.format("%09d", random.nextInt(1_000_000_000)));
        json.put("receiverName", SURNAMES[random.nextInt(SURNAMES.length)] + "先生");
        json.put("receiverPhone", "15" + String.format("%09d", random.nextInt(1_000_000_000)));
        json.put("receiverAddress", "建设街" + (1 + random.nextInt(200)) + "号");
        out.write(JSON.writeValueAsString(json));
        out.write('\n');
      }
    }
    return file;
  }

  private Path writeRegistry(Path file, int entities, long seed) throws IOException {
    Files.createDirectories(file.getParent());
    Random random = new Random(seed * 31);
    String[] types = {"农民专业合作社", "生产基地", "家庭农场", "地理标志产品"};
    String[] certificates = {"绿色食品", "有机产品", "地理标志", "GAP"};
    try (SXSSFWorkbook workbook = new SXSSFWorkbook(); OutputStream out = Files.newOutputStream(file)) {
      Sheet sheet = RegistrySheet.create(workbook);
      for (int i = 0; i < entities; i++) {
        Speciality s = SPECIALITIES.get(i % SPECIALITIES.size());
        Region county = regions.byCode(s.counties()[random.nextInt(s.counties().length)]).orElseThrow();
        var row = sheet.createRow(i + 1);
        row.createCell(0).setCellValue(String.format("SX%04d", i + 1));
        row.createCell(1).setCellValue(RegionNames.shortName(county) + s.title().substring(0, 2) + "专业合作社" + (i + 1));
        row.createCell(2).setCellValue(types[random.nextInt(types.length)]);
        row.createCell(3).setCellValue(i % 3 == 0 ? names.fullName(county) : names.cityName(county) + RegionNames.shortName(county));
        row.createCell(4).setCellValue(s.title() + (random.nextBoolean() ? "|核桃" : ""));
        row.createCell(5).setCellValue(certificates[random.nextInt(certificates.length)]);
        row.createCell(6).setCellValue(100 + random.nextInt(5000));
        row.createCell(7).setCellValue(random.nextInt(4) * 500);
        row.createCell(8).setCellValue(SURNAMES[random.nextInt(SURNAMES.length)] + "经理");
        row.createCell(9).setCellValue("139" + String.format("%08d", random.nextInt(100_000_000)));
      }
      workbook.write(out);
      workbook.dispose();
    }
    return file;
  }
}
