package org.agrifusion.pipelines.generate;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.agrifusion.pipelines.reference.Region;
import org.agrifusion.pipelines.reference.RegionCatalog;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * A province-day of landed feeds at a chosen scale (1.0 = Shanxi's plan: about 3 M waybills, 1 M
 * order lines, 50 k price quotes, 5 k origin entities), streamed row by row so no day is held in
 * memory, and deterministic for a seed.
 *
 * <p>Every parcel is a pure function of (seed, pickup-source day, stream, index): the generator of day
 * D recomputes the parcels of D-1..D-3 to re-send those signed on D (same courier and tracking
 * number as when they were picked up) and the order parcels of D-1 picked up on D. A waybill file is
 * the courier's state at the end of its day: signed parcels carry their sign time, the rest are in
 * transit until a later day's file re-sends them as signed.
 *
 * <p>Files: {@code courier-waybills/D/<courier>_D_<n>.jsonl[.gz]}, {@code shop-orders/D/<platform>_D.csv[.gz]},
 * {@code xinfadi-spec-origin-gbk/D/xinfadi_D.csv} (GBK), {@code market-bulletins/D/<market>_D.csv} and
 * {@code origin-registry/D/registry_D.xlsx}. A share {@code dirt} of rows is damaged as real feeds are:
 * aliases and short names, unit variants, lines exported twice, late waybills, malformed lines,
 * places that do not exist.
 */
public final class ProvinceDay {

  static final long WAYBILL_PICKUPS = 1_600_000; // plus about 0.86 re-sends each: about 3 M waybill lines
  static final long ORDER_LINES = 1_000_000;
  static final long QUOTES = 50_000;
  static final long ENTITIES = 5_000;
  public static final double DEFAULT_DIRT = 0.03;

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /**
   * A courier: name as its own feed writes it, short alias (dirt), tracking prefix, files per day,
   * share of parcels in %. Shares approximate the 2023 national volumes: State Post Bureau total of
   * 132 bn parcels and the companies' 2023 annual reports (中通 30.2 bn, 圆通 21.2, 韵达 18.7,
   * 申通 17.5, 极兔 China 15.3, 顺丰 11.9, 中国邮政 about 8, 京东 about 4, 德邦 and others the rest).
   */
  record Courier(String name, String alias, String prefix, String file, int files, double share) {}

  static final List<Courier> COURIERS = List.of(
      new Courier("中通快递", "中通", "78", "zto", 4, 22.9),
      new Courier("圆通速递", "圆通", "YT", "yto", 3, 16.1),
      new Courier("韵达快递", "韵达", "43", "yunda", 3, 14.2),
      new Courier("申通快递", "申通", "77", "sto", 3, 13.3),
      new Courier("极兔速递", "极兔", "JT", "jitu", 2, 11.6),
      new Courier("顺丰速运", "顺丰", "SF", "sf", 2, 9.0),
      new Courier("中国邮政", "邮政", "98", "post", 2, 6.1),
      new Courier("京东物流", "京东", "JD", "jd", 2, 3.0),
      new Courier("德邦快递", "德邦", "DPK", "deppon", 1, 1.8));

  /** A Shanxi speciality: title, source counties, package, kg per package, price per package. */
  record Speciality(String title, String[] counties, String spec, String unit, double kg, double price) {}

  static final List<Speciality> SPECIALITIES = List.of(
      new Speciality("红富士苹果", new String[] {"140821", "140822", "141028", "140828"}, "10斤/箱", "箱", 5, 45),
      new Speciality("玉露香梨", new String[] {"141031", "141034", "141033"}, "5kg/箱", "箱", 5, 58),
      new Speciality("沁州黄小米", new String[] {"140430"}, "2.5kg/袋", "袋", 2.5, 39),
      new Speciality("冬枣", new String[] {"140821", "140802"}, "5斤/箱", "箱", 2.5, 39),
      new Speciality("核桃", new String[] {"141182", "140722", "140525"}, "2斤/袋", "袋", 1, 32),
      new Speciality("老陈醋", new String[] {"140121"}, "2.5kg/桶", "件", 2.5, 30),
      new Speciality("平遥牛肉", new String[] {"140728"}, "500g/袋", "袋", 0.5, 49),
      new Speciality("大同黄花", new String[] {"140215"}, "500g/袋", "袋", 0.5, 36),
      new Speciality("马铃薯", new String[] {"141127", "140929", "140226"}, "10斤/箱", "箱", 5, 25),
      new Speciality("荞麦面", new String[] {"140929", "141127"}, "1kg/袋", "袋", 1, 18),
      new Speciality("运城芦笋", new String[] {"140802", "140829"}, "2斤/盒", "盒", 1, 45),
      new Speciality("沁水黑山羊肉", new String[] {"140521"}, "5斤/箱", "箱", 2.5, 168));

  /** Platform, file name, weight in % (the platforms' share of Shanxi producers' shops, roughly); 京东 ships half by 京东物流. */
  private static final String[][] PLATFORMS = {{"拼多多", "pdd", "35"}, {"淘宝", "taobao", "30"}, {"抖音", "douyin", "25"}, {"京东", "jd", "10"}};
  private static final String[] ORDER_STATUSES = {"交易成功", "已发货", "已付款", "已退款", "已取消"};
  private static final int[] ORDER_STATUS_WEIGHTS = {52, 36, 6, 3, 3};
  /** Cities whose buyers order most (capital cities and the east coast). */
  private static final String[] BIG_CITIES = {"1101", "3101", "4401", "4403", "3301", "3201", "5101", "4201", "1301", "4101", "6101", "1201"};
  private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "郭", "武"};

  /** A wholesale market Shanxi sells through: code, name, region, price level against Xinfadi, share of quotes in %. */
  record Market(String code, String name, String region, double level, int share) {}

  static final List<Market> MARKETS = List.of(
      new Market("BJ-XFD", "北京新发地农产品批发市场", "110106", 1.0, 20),
      new Market("TY-HX", "太原河西农产品批发市场", "140109", 0.88, 16),
      new Market("DT-ZH", "大同振华南街蔬菜批发市场", "140213", 0.86, 8),
      new Market("CZ-ZF", "长治紫坊农产品综合交易市场", "140403", 0.85, 8),
      new Market("YC-YH", "运城盐湖农产品批发市场", "140802", 0.84, 8),
      new Market("SJZ-QX", "石家庄桥西蔬菜中心批发市场", "130104", 0.92, 10),
      new Market("ZZ-WB", "郑州万邦国际农产品物流城", "410122", 0.9, 10),
      new Market("XA-XQ", "西安欣桥农产品批发市场", "610112", 0.93, 10),
      new Market("GZ-JN", "广州江南果菜批发市场", "440111", 1.08, 10));

  private static final String[] GRADES = {"", "精品", "统货", "一级", "二级", "大", "中", "小"};
  private static final String[] ORIGINS = {"晋", "冀", "鲁", "豫", "陕", "内蒙", "甘", "辽", "云", "琼", "山西", "山西运城", "山西大同"};

  /** A quoted line of the real Xinfadi bulletin, the price level the markets are shaped after. */
  record Quote(String category, String product, double low, double avg, double high, String place, String unit) {}

  private final RegionCatalog regions;
  private final RegionNames names;
  private final List<Quote> quotes;
  private final List<Region> shanxi;
  private final List<Region> shanxiRural;
  private final List<Region> bigCityDistricts;
  private final List<Region> counties;
  private final Map<String, List<Region>> byCity;

  /** @param priceSample a Xinfadi daily bulletin in the xinfadi-daily-prices shape (header, avg and high swapped) */
  public ProvinceDay(RegionCatalog regions, Path priceSample) {
    this.regions = regions;
    this.names = new RegionNames(regions);
    this.quotes = readQuotes(priceSample);
    this.counties = regions.all().stream().filter(r -> r.level() == Region.Level.COUNTY).sorted((a, b) -> a.code().compareTo(b.code())).toList();
    this.byCity = counties.stream().collect(java.util.stream.Collectors.groupingBy(Region::cityCode));
    this.shanxi = counties.stream().filter(r -> r.code().startsWith("14")).toList();
    this.shanxiRural = shanxi.stream().filter(r -> Boolean.TRUE.equals(r.rural())).toList();
    this.bigCityDistricts = counties.stream()
        .filter(r -> !Boolean.TRUE.equals(r.rural()) && List.of(BIG_CITIES).contains(r.code().substring(0, 4))).toList();
  }

  /** What one day holds: lines per feed (data lines, duplicates and malformed ones included). */
  public record Written(long waybills, long resent, long lateWaybills, long orderLines, long quotes, long entities,
      Map<String, Long> waybillsByCourier, long dirtyLines, List<Path> files) {}

  public Written write(Path landing, LocalDate date, double scale, double dirt, long seed) {
    if (!(scale > 0 && scale <= 20)) {
      throw new IllegalArgumentException("scale must be in (0, 20], not " + scale);
    }
    if (!(dirt >= 0 && dirt <= 0.5)) {
      throw new IllegalArgumentException("dirt must be in [0, 0.5], not " + dirt);
    }
    Day day = new Day(landing, date, scale, dirt, seed);
    List<Path> files = new ArrayList<>();
    long orders = day.orders(files);
    WaybillCounts w = day.waybills(files);
    long quoteLines = day.prices(files);
    long entities = day.registry(files);
    return new Written(w.total, w.resent, w.late, orders, quoteLines, entities, w.byCourier, day.dirty, List.copyOf(files));
  }

  private record WaybillCounts(long total, long resent, long late, Map<String, Long> byCourier) {}

  /** A parcel: who carries it, from where to where, when it is picked up and signed. */
  private record Parcel(Courier courier, String tracking, Region sender, Region receiver, LocalDateTime pickup,
      LocalDateTime sign, double weight, double fee, SplittableRandom random) {}

  /** An order line; {@code parcel} is null when nothing was shipped. */
  private record Order(int platform, String orderId, Speciality speciality, Region seller, Region buyer, LocalDateTime time,
      int quantity, String status, Parcel parcel, SplittableRandom random) {}

  private final class Day {
    final Path landing;
    final LocalDate date;
    final double dirt;
    final long seed;
    final long orderLines;
    final long otherParcels;
    final long late;
    long dirty;

    Day(Path landing, LocalDate date, double scale, double dirt, long seed) {
      this.landing = landing;
      this.date = date;
      this.dirt = dirt;
      this.seed = seed;
      this.orderLines = Math.round(ORDER_LINES * scale);
      // About 88 % of order lines ship a parcel; the rest of the pickups are other senders' parcels.
      this.otherParcels = Math.max(1, Math.round(WAYBILL_PICKUPS * scale) - Math.round(orderLines * 0.88));
      this.late = Math.round(otherParcels * dirt / 6);
    }

    /** The random source of one record: a pure function of seed, day, stream and index. */
    SplittableRandom random(LocalDate day, int stream, long index) {
      long h = seed * 0x9E3779B97F4A7C15L + day.toEpochDay();
      h = h * 0xBF58476D1CE4E5B9L + stream;
      h = h * 0x94D049BB133111EBL + index;
      return new SplittableRandom(new SplittableRandom(h).nextLong());
    }

    /** Unique per (day, stream, index) and not sequential-looking: an affine bijection of the index. */
    String tracking(Courier c, LocalDate day, int stream, long index) {
      long scrambled = (index * 7_654_321L + 1_234_567L) % 100_000_000L;
      return c.prefix() + String.format("%04d%d%08d", Math.floorMod(day.toEpochDay(), 10_000), stream, scrambled);
    }

    Order order(LocalDate day, long index) {
      SplittableRandom r = random(day, 0, index);
      int platform = pick(r, PLATFORMS);
      Speciality s = SPECIALITIES.get(r.nextInt(SPECIALITIES.size()));
      Region seller = regions.byCode(s.counties()[r.nextInt(s.counties().length)]).orElseThrow();
      int where = r.nextInt(100);
      // Buyers: 8 % in the seller's city, 17 % elsewhere in Shanxi, the rest mostly in big cities.
      Region buyer = where < 8 ? sameCity(seller, r) : where < 25 ? shanxi.get(r.nextInt(shanxi.size()))
          : where < 75 ? bigCityDistricts.get(r.nextInt(bigCityDistricts.size())) : counties.get(r.nextInt(counties.size()));
      LocalDateTime time = day.atStartOfDay().plusSeconds(daySecond(r));
      int quantity = 1 + (r.nextInt(10) < 7 ? 0 : r.nextInt(3));
      String status = ORDER_STATUSES[weighted(r, ORDER_STATUS_WEIGHTS)];
      Parcel parcel = null;
      if (!status.equals("已付款") && !status.equals("已取消")) {
        Courier c = PLATFORMS[platform][1].equals("jd") && r.nextBoolean() ? COURIERS.get(7) : courier(r);
        LocalDateTime pickup = time.plusMinutes(60 + r.nextInt(20 * 60));
        double weight = Math.round(quantity * s.kg() * 1.1 * 10) / 10.0;
        parcel = parcel(c, tracking(c, day, 0, index), seller, buyer, pickup, weight, r);
      }
      String id = String.format("%s%08d", PLATFORMS[platform][1].toUpperCase().charAt(0) + day.toString().replace("-", "").substring(2), index + 1);
      return new Order(platform, id, s, seller, buyer, time, quantity, status, parcel, r);
    }

    /** Stream 1: parcels not from the platforms' Shanxi shops: into rural Shanxi, within Shanxi, out of it. */
    Parcel other(LocalDate day, long index) {
      SplittableRandom r = random(day, 1, index);
      Courier c = courier(r);
      int kind = r.nextInt(100);
      Region sender;
      Region receiver;
      if (kind < 40) {
        sender = bigCityDistricts.get(r.nextInt(bigCityDistricts.size()));
        receiver = shanxi.get(r.nextInt(shanxi.size()));
      } else if (kind < 75) {
        sender = shanxi.get(r.nextInt(shanxi.size()));
        receiver = r.nextBoolean() ? sameCity(sender, r) : shanxi.get(r.nextInt(shanxi.size()));
      } else {
        sender = shanxi.get(r.nextInt(shanxi.size()));
        receiver = counties.get(r.nextInt(counties.size()));
      }
      LocalDateTime pickup = day.atStartOfDay().plusSeconds(daySecond(r));
      return parcel(c, tracking(c, day, 1, index), sender, receiver, pickup, 0.3 + r.nextInt(150) / 10.0, r);
    }

    Parcel parcel(Courier c, String tracking, Region sender, Region receiver, LocalDateTime pickup, double weight, SplittableRandom r) {
      boolean sameCity = sender.cityCode().equals(receiver.cityCode());
      boolean sameProvince = sender.provinceCode().equals(receiver.provinceCode());
      // Hours in transit: the same city is mostly same-day, the same province next-day; at most three days.
      int minutes = sameCity ? 150 + r.nextInt(10 * 60) : sameProvince ? 8 * 60 + r.nextInt(26 * 60) : 22 * 60 + r.nextInt(48 * 60);
      LocalDateTime sign = pickup.plusMinutes(minutes);
      double fee = Math.round((sameCity ? 5 : sameProvince ? 6 : 8) + weight * (sameProvince ? 0.6 : 1.2));
      return new Parcel(c, tracking, sender, receiver, pickup, sign, weight, fee, r);
    }

    long orders(List<Path> files) {
      String header = "平台,订单编号,子订单编号,下单时间,店铺名称,发货地,商品名称,规格,购买数量,单位,单价,实付金额,"
          + "收货人,收货人手机,收货地址,收货地区,物流公司,运单号,订单状态";
      LandingFile[] out = new LandingFile[PLATFORMS.length];
      for (int p = 0; p < PLATFORMS.length; p++) {
        // Platform exports are UTF-8 with a BOM and CRLF; the biggest arrives gzipped.
        String name = PLATFORMS[p][1] + "_" + date + (p == 0 ? ".csv.gz" : ".csv");
        out[p] = new LandingFile(landing.resolve("shop-orders/" + date + "/" + name), StandardCharsets.UTF_8, "\r\n");
        out[p].raw("\uFEFF" + header + "\r\n");
      }
      try {
        for (long i = 0; i < orderLines; i++) {
          Order o = order(date, i);
          SplittableRandom r = o.random();
          Speciality s = o.speciality();
          String unit = s.unit();
          String buyerRegion = names.fullName(o.buyer());
          String status = o.status();
          String sellerRegion = names.cityName(o.seller()) + RegionNames.shortName(o.seller());
          boolean twice = false;
          String malformed = null;
          if (r.nextDouble() < dirt) {
            dirty++;
            switch (r.nextInt(6)) {
              case 0 -> sellerRegion = RegionNames.shortName(o.seller());                       // alias: the county alone
              case 1 -> unit = unit.equals("箱") ? "件箱" : unit.equals("袋") ? "包" : unit; // unit variant
              case 2 -> status = status.equals("交易成功") ? "TRADE_FINISHED" : status;   // the platform's code
              case 3 -> twice = true;                                                // exported twice
              case 4 -> buyerRegion = "火星基地";                                     // not a place
              default -> malformed = PLATFORMS[o.platform()][0] + "," + o.orderId() + ",1," + o.time().format(TIME); // cut off
            }
          }
          Parcel parcel = o.parcel();
          double amount = Math.round(o.quantity() * s.price() * (r.nextInt(5) == 0 ? 0.9 : 1.0) * 100) / 100.0;
          String line = malformed != null ? malformed : String.join(",", PLATFORMS[o.platform()][0], o.orderId(), "1",
              o.time().format(TIME), RegionNames.shortName(o.seller()) + s.title().substring(0, 2) + "合作社旗舰店", sellerRegion,
              RegionNames.shortName(o.seller()) + s.title() + " 产地直发", s.spec(), String.valueOf(o.quantity()), unit,
              String.valueOf(s.price()), String.valueOf(amount), SURNAMES[r.nextInt(SURNAMES.length)] + "先生",
              phone(r), "幸福路" + (1 + r.nextInt(300)) + "号", buyerRegion, parcel == null ? "" : parcel.courier().name(),
              parcel == null ? "" : parcel.tracking(), status);
          out[o.platform()].line(line);
          if (twice) {
            out[o.platform()].line(line);
          }
        }
      } finally {
        for (LandingFile f : out) {
          f.close();
          files.add(f.path);
        }
      }
      long lines = 0;
      for (LandingFile f : out) {
        lines += f.lines;
      }
      return lines;
    }

    WaybillCounts waybills(List<Path> files) {
      Map<Courier, LandingFile[]> out = new LinkedHashMap<>();
      for (Courier c : COURIERS) {
        LandingFile[] parts = new LandingFile[c.files()];
        for (int n = 0; n < parts.length; n++) {
          // Each courier's last part arrives gzipped (when it has more than one).
          String name = c.file() + "_" + date + "_" + (n + 1) + (n > 0 && n == parts.length - 1 ? ".jsonl.gz" : ".jsonl");
          parts[n] = new LandingFile(landing.resolve("courier-waybills/" + date + "/" + name), StandardCharsets.UTF_8, "\n");
        }
        out.put(c, parts);
      }
      long resent = 0;
      long late = 0;
      LocalDateTime endOfDay = date.plusDays(1).atStartOfDay();
      try {
        // Picked up today: today's other parcels, and today's and yesterday's order parcels picked up today.
        for (long i = 0; i < otherParcels; i++) {
          emit(out, other(date, i), endOfDay);
        }
        for (LocalDate day : List.of(date.minusDays(1), date)) {
          for (long i = 0; i < orderLines; i++) {
            Parcel p = order(day, i).parcel();
            if (p != null && p.pickup().toLocalDate().equals(date)) {
              emit(out, p, endOfDay);
            }
          }
        }
        // Status updates: parcels picked up on the three days before and signed today, re-sent as signed.
        for (int back = 1; back <= 3; back++) {
          LocalDate day = date.minusDays(back);
          for (long i = 0; i < otherParcels; i++) {
            resent += resend(out, other(day, i), endOfDay);
          }
          for (LocalDate orderDay : List.of(day.minusDays(1), day)) {
            for (long i = 0; i < orderLines; i++) {
              Parcel p = order(orderDay, i).parcel();
              if (p != null && p.pickup().toLocalDate().equals(day)) {
                resent += resend(out, p, endOfDay);
              }
            }
          }
        }
        // Late waybills: yesterday's pickups the courier pushes only today (beyond yesterday's own count).
        for (long i = otherParcels; i < otherParcels + late; i++) {
          emit(out, other(date.minusDays(1), i), endOfDay);
          dirty++;
        }
        late = this.late;
      } finally {
        out.values().forEach(parts -> {
          for (LandingFile f : parts) {
            f.close();
            files.add(f.path);
          }
        });
      }
      Map<String, Long> byCourier = new LinkedHashMap<>();
      long total = 0;
      for (var e : out.entrySet()) {
        long n = 0;
        for (LandingFile f : e.getValue()) {
          n += f.lines;
        }
        byCourier.put(e.getKey().name(), n);
        total += n;
      }
      return new WaybillCounts(total, resent, late, byCourier);
    }

    private int resend(Map<Courier, LandingFile[]> out, Parcel p, LocalDateTime endOfDay) {
      if (!p.sign().toLocalDate().equals(date)) {
        return 0;
      }
      emit(out, p, endOfDay);
      return 1;
    }

    /** One waybill line: the parcel as its courier knows it at the end of today. */
    private void emit(Map<Courier, LandingFile[]> out, Parcel p, LocalDateTime endOfDay) {
      // A fresh source per line, so a re-send draws its dirt independently of the first send.
      SplittableRandom r = random(date, 2, p.tracking().hashCode() * 31L + p.sign().getDayOfMonth());
      LandingFile[] parts = out.get(p.courier());
      LandingFile file = parts[r.nextInt(parts.length)];
      boolean signed = p.sign().isBefore(endOfDay);
      String courier = p.courier().name();
      String sender = names.fullName(p.sender());
      String receiver = names.fullName(p.receiver());
      String weight = String.valueOf(p.weight());
      boolean twice = false;
      if (r.nextDouble() < dirt) {
        dirty++;
        switch (r.nextInt(5)) {
          case 0 -> courier = p.courier().alias();                                   // the courier's short name
          case 1 -> receiver = names.cityName(p.receiver()) + RegionNames.shortName(p.receiver());      // 运城临猗: no province
          case 2 -> twice = true;                                                    // pushed twice
          case 3 -> {                                                                // cut off mid-line
            file.line("{\"mailNo\":\"" + p.tracking() + "\",\"expressCompany\":\"" + courier + "\",\"acceptTime\":");
            return;
          }
          default -> weight = "—";                                                   // no weight
        }
      }
      StringBuilder json = new StringBuilder(360)
          .append("{\"mailNo\":\"").append(p.tracking())
          .append("\",\"expressCompany\":\"").append(courier)
          .append("\",\"acceptTime\":\"").append(p.pickup().format(TIME)).append('"');
      if (signed) {
        json.append(",\"signTime\":\"").append(p.sign().format(TIME)).append('"');
      }
      json.append(",\"senderArea\":\"").append(sender)
          .append("\",\"receiverArea\":\"").append(receiver)
          .append("\",\"weight\":\"").append(weight)
          .append("\",\"freight\":\"").append(p.fee())
          .append("\",\"status\":\"").append(signed ? "已签收" : "运输中")
          .append("\",\"senderName\":\"").append(SURNAMES[r.nextInt(SURNAMES.length)]).append("女士")
          .append("\",\"senderPhone\":\"").append(phone(r))
          .append("\",\"receiverName\":\"").append(SURNAMES[r.nextInt(SURNAMES.length)]).append("先生")
          .append("\",\"receiverPhone\":\"").append(phone(r))
          .append("\",\"receiverAddress\":\"建设街").append(1 + r.nextInt(200)).append("号\"}");
      file.line(json.toString());
      if (twice) {
        file.line(json.toString());
      }
    }

    /** Xinfadi's quotes in its GBK spec-and-origin export, the other markets' in their bulletin. */
    long prices(List<Path> files) {
      long total = Math.max(MARKETS.size(), Math.round(QUOTES * scale()));
      long lines = 0;
      for (int m = 0; m < MARKETS.size(); m++) {
        Market market = MARKETS.get(m);
        long count = Math.max(1, total * market.share() / 100);
        boolean xinfadi = market.code().equals("BJ-XFD");
        Path path = xinfadi ? landing.resolve("xinfadi-spec-origin-gbk/" + date + "/xinfadi_" + date + ".csv")
            : landing.resolve("market-bulletins/" + date + "/" + market.code().toLowerCase() + "_" + date + ".csv");
        Charset charset = xinfadi ? Charset.forName("GBK") : StandardCharsets.UTF_8;
        try (LandingFile out = new LandingFile(path, charset, "\r\n")) {
          out.raw(xinfadi ? "品名,最低价,平均价,最高价,规格,产地,单位,发布日期\r\n"
              : "市场编码,市场名称,市场所在地,品名,规格,产地,最低价,平均价,最高价,单位,发布日期\r\n");
          SplittableRandom r = random(date, 3, m);
          for (long i = 0; i < count; i++) {
            Quote q = quotes.get(r.nextInt(quotes.size()));
            String grade = GRADES[r.nextInt(GRADES.length)];
            String origin = q.place().isEmpty() || r.nextInt(3) == 0 ? ORIGINS[r.nextInt(ORIGINS.length)] : q.place();
            double factor = market.level() * (0.85 + r.nextDouble() * 0.3);
            double low = round2(q.low() * factor);
            double high = round2(Math.max(q.high(), q.low()) * factor * (1 + r.nextDouble() * 0.05));
            double avg = round2((low + high) / 2);
            String unit = q.unit();
            boolean twice = false;
            boolean malformed = false;
            if (r.nextDouble() < dirt) {
              dirty++;
              switch (r.nextInt(3)) {
                case 0 -> unit = unit.equals("斤") ? "市斤" : unit.equals("公斤") ? "kg" : unit; // unit variant
                case 1 -> twice = true;
                default -> malformed = true;
              }
            }
            String day = date + " 00:00:00";
            String line = xinfadi
                ? String.join(",", q.product(), num(low), num(avg), num(high), grade, origin, unit, day)
                : String.join(",", market.code(), market.name(), market.region(), q.product(), grade, origin,
                    num(low), num(avg), num(high), unit, day);
            out.line(malformed ? line.substring(0, line.indexOf(',', line.indexOf(',') + 1)) : line);
            if (twice) {
              out.line(line);
            }
          }
          lines += out.lines;
          files.add(path);
        }
      }
      return lines;
    }

    /** The origin registry as the department's workbook, streamed through POI's SXSSF. */
    long registry(List<Path> files) {
      long count = Math.max(1, Math.round(ENTITIES * scale()));
      Path file = landing.resolve("origin-registry/" + date + "/registry_" + date + ".xlsx");
      String[] types = {"农民专业合作社", "生产基地", "家庭农场", "地理标志产品", "农业企业"};
      String[] certificates = {"绿色食品", "有机产品", "地理标志", "GAP", ""};
      try {
        Files.createDirectories(file.getParent());
        try (SXSSFWorkbook workbook = new SXSSFWorkbook(200); OutputStream out = Files.newOutputStream(file)) {
          // POI stamps the creation time; the business date keeps the bytes a function of the seed.
          workbook.getXSSFWorkbook().getProperties().getCoreProperties().setCreated(java.util.Optional.of(
              java.util.Date.from(date.atStartOfDay(java.time.ZoneOffset.UTC).toInstant())));
          Sheet sheet = RegistrySheet.create(workbook);
          for (int i = 0; i < count; i++) {
            SplittableRandom r = random(date, 4, i);
            Speciality s = SPECIALITIES.get(r.nextInt(SPECIALITIES.size()));
            Region county = regions.byCode(s.counties()[r.nextInt(s.counties().length)]).orElseThrow();
            String type = types[r.nextInt(types.length)];
            String region = r.nextInt(3) == 0 ? names.fullName(county) : names.cityName(county) + RegionNames.shortName(county);
            if (r.nextDouble() < dirt) {
              dirty++;
              region = RegionNames.shortName(county); // the county alone
            }
            Row row = sheet.createRow(i + 1);
            row.createCell(0).setCellValue(String.format("SX%06d", i + 1));
            row.createCell(1).setCellValue(RegionNames.shortName(county) + s.title() + type + (i + 1));
            row.createCell(2).setCellValue(type);
            row.createCell(3).setCellValue(region);
            row.createCell(4).setCellValue(s.title());
            row.createCell(5).setCellValue(certificates[r.nextInt(certificates.length)]);
            row.createCell(6).setCellValue(50 + r.nextInt(8000));
            row.createCell(7).setCellValue(r.nextInt(5) * 500);
            row.createCell(8).setCellValue(SURNAMES[r.nextInt(SURNAMES.length)] + "经理");
            row.createCell(9).setCellValue(phone(r));
          }
          workbook.write(out);
          workbook.dispose();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
      files.add(file);
      return count;
    }

    double scale() {
      return orderLines / (double) ORDER_LINES;
    }

    Region sameCity(Region county, SplittableRandom r) {
      List<Region> city = byCity.get(county.cityCode());
      return city.get(r.nextInt(city.size()));
    }
  }

  private static int pick(SplittableRandom r, String[][] weighted) {
    int draw = r.nextInt(100);
    for (int i = 0; i < weighted.length; i++) {
      draw -= Integer.parseInt(weighted[i][2]);
      if (draw < 0) {
        return i;
      }
    }
    return weighted.length - 1;
  }

  private static int weighted(SplittableRandom r, int[] weights) {
    int draw = r.nextInt(100);
    for (int i = 0; i < weights.length; i++) {
      draw -= weights[i];
      if (draw < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  private static Courier courier(SplittableRandom r) {
    double draw = r.nextDouble() * 98.0;
    for (Courier c : COURIERS) {
      draw -= c.share();
      if (draw < 0) {
        return c;
      }
    }
    return COURIERS.get(0);
  }

  /** Seconds into the day, busier in the day than at night. */
  private static int daySecond(SplittableRandom r) {
    return r.nextInt(4) == 0 ? r.nextInt(86_400) : 8 * 3600 + r.nextInt(12 * 3600);
  }

  private static String phone(SplittableRandom r) {
    return "1" + (30 + r.nextInt(60)) + String.format("%08d", r.nextInt(100_000_000));
  }

  private static double round2(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static String num(double v) {
    return String.valueOf(v);
  }

  private static List<Quote> readQuotes(Path sample) {
    List<Quote> out = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(sample, StandardCharsets.UTF_8)) {
      in.readLine();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] f = line.split(",", -1);
        // The sample's header swaps avgPrice and highPrice (see conf/sources/xinfadi-daily-prices.yml).
        if (f.length == 9 && !f[2].isBlank()) {
          try {
            out.add(new Quote(f[0], f[2], Double.parseDouble(f[3]), Double.parseDouble(f[5]), Double.parseDouble(f[4]), f[6], f[7]));
          } catch (NumberFormatException e) {
            // a damaged line of the real sample: not a price level to shape after
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the price sample " + sample, e);
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no price lines in " + sample);
    }
    return out;
  }
}
