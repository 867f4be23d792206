import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The single-machine peer of scripts/bench.sh: DuckDB doing the job's standardise + fuse work as
 * SQL on the same landed files, on 2 threads. It is a yardstick, not a second implementation: it
 * applies the rules SQL expresses directly (required fields, numbers, codes through the reference
 * tables, de-duplication by natural key, hashed phones) and the marts' formulas of
 * docs/data-standard.md, and leaves out what needs the job's resolvers (fuzzy names, code changes,
 * GBK files, lineage, history).
 *
 *   java -cp duckdb_jdbc.jar scripts/bench/Peer.java <landing> <conf> <out>
 *
 * Prints "peer_seconds <s>" and the row counts it wrote.
 */
public class Peer {

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      System.err.println("usage: Peer <landing> <conf> <out>");
      System.exit(2);
    }
    Path landing = Path.of(args[0]);
    Path conf = Path.of(args[1]);
    Path out = Path.of(args[2]);
    Files.createDirectories(out);
    long started = System.nanoTime();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement sql = db.createStatement()) {
      sql.execute("SET threads=2");
      sql.execute("SET preserve_insertion_order=false");
      reference(sql, conf.resolve("reference"));
      List<String> orders = files(landing.resolve("shop-orders"), ".csv", ".csv.gz");
      List<String> waybills = files(landing.resolve("courier-waybills"), ".jsonl", ".jsonl.gz");
      List<String> prices = files(landing.resolve("xinfadi-daily-prices"), ".csv", ".csv.gz");
      sales(sql, orders);
      shipments(sql, waybills);
      prices(sql, prices);
      marts(sql);
      for (String table : List.of("sale", "sale_quarantine", "shipment", "shipment_quarantine",
          "parcel", "delivery_daily", "price_daily")) {
        sql.execute("COPY " + table + " TO '" + out.resolve(table + ".parquet")
            + "' (FORMAT parquet, COMPRESSION zstd)");
      }
      System.out.printf("peer_seconds %.2f%n", (System.nanoTime() - started) / 1e9);
      for (String table : List.of("raw_sale", "sale", "sale_quarantine", "raw_shipment", "shipment",
          "shipment_quarantine", "parcel", "delivery_daily", "raw_price", "price_daily")) {
        try (ResultSet rs = sql.executeQuery("SELECT count(*) FROM " + table)) {
          rs.next();
          System.out.printf("peer_rows %s %d%n", table, rs.getLong(1));
        }
      }
    }
  }

  private static List<String> files(Path dir, String... suffixes) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile)
          .map(Path::toString)
          .filter(f -> Stream.of(suffixes).anyMatch(f::endsWith))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private static String list(List<String> files) {
    return files.stream().map(f -> "'" + f.replace("'", "''") + "'")
        .collect(Collectors.joining(",", "[", "]"));
  }

  /** Name -> code lookups from conf/reference: every name and alias of a code, unambiguous ones only. */
  private static void reference(Statement sql, Path ref) throws SQLException {
    String csv = "read_csv('%s', header=true, all_varchar=true, comment='#')";
    sql.execute("CREATE TABLE regions AS SELECT * FROM " + csv.formatted(ref.resolve("regions.csv")));
    // region names as written in feeds: province, city and county names or aliases, run together
    // ("山西省大同市云州区", "晋中平遥", "平遥县"); a key naming two codes is left out.
    sql.execute("""
        CREATE TABLE region_names AS
        WITH names AS (
          SELECT code, level, parent_code, unnest(list_distinct([name] || coalesce(string_split(aliases, '|'), []))) AS n
          FROM regions),
        keys AS (
          SELECT k.code, p.n || c.n || k.n AS key FROM names k
            JOIN names c ON c.code = k.parent_code JOIN names p ON p.code = c.parent_code
            WHERE k.level = 'county'
          UNION ALL SELECT k.code, c.n || k.n FROM names k JOIN names c ON c.code = k.parent_code
          UNION ALL SELECT k.code, p.n || c.n || k.n FROM names k
            JOIN names c ON c.code = k.parent_code JOIN names p ON p.code = c.parent_code
            WHERE k.level = 'county' AND c.n LIKE '%市辖区'
          UNION ALL SELECT code, n FROM names
          UNION ALL SELECT code, code FROM regions)
        SELECT key, any_value(code) AS code FROM keys GROUP BY key HAVING count(DISTINCT code) = 1""");
    sql.execute("CREATE TABLE region_rural AS SELECT code, level, rural = 'true' AS rural FROM regions");
    for (String[] t : new String[][] {{"couriers", "code", "[code, name_zh, name_en]"},
        {"units", "code", "[code, name]"}, {"statuses", "kind || ':' || status", "[status]"}}) {
      sql.execute(("CREATE TABLE %1$s_names AS SELECT key, any_value(c) AS code FROM ("
          + " SELECT %2$s AS c, unnest(list_distinct(%3$s || coalesce(string_split(aliases, '|'), []))) AS key"
          + " FROM %4$s) GROUP BY key HAVING count(DISTINCT c) = 1")
          .formatted(t[0], t[1], t[2], csv.formatted(ref.resolve(t[0] + ".csv"))));
    }
    sql.execute("CREATE TABLE units AS SELECT code, kind, try_cast(kg_per_unit AS DOUBLE) AS kg_per_unit FROM "
        + csv.formatted(ref.resolve("units.csv")));
    sql.execute("CREATE TABLE products AS SELECT * FROM " + csv.formatted(ref.resolve("products.csv")));
    sql.execute("""
        CREATE TABLE product_names AS
        SELECT code, level, parent_code, unnest(list_distinct([name] || coalesce(string_split(aliases, '|'), []))) AS n
        FROM products WHERE level IN ('product', 'variety')""");
  }

  /** Product names are free text: resolve each distinct one once, to the longest catalogue name it contains. */
  private static void resolveProducts(Statement sql, String table, String column) throws SQLException {
    sql.execute(("""
        CREATE OR REPLACE TABLE %1$s_products AS
        SELECT d.v AS raw, arg_max(p.code, length(p.n)) AS variety_or_product
        FROM (SELECT DISTINCT %2$s AS v FROM %1$s WHERE %2$s IS NOT NULL) d
        JOIN product_names p ON contains(d.v, p.n)
        GROUP BY d.v""").formatted(table, column));
  }

  private static void sales(Statement sql, List<String> files) throws SQLException {
    if (files.isEmpty()) {
      sql.execute("CREATE TABLE raw_sale (\"平台\" VARCHAR, \"订单编号\" VARCHAR, \"子订单编号\" VARCHAR,"
          + " \"下单时间\" VARCHAR, \"店铺名称\" VARCHAR, \"发货地\" VARCHAR, \"商品名称\" VARCHAR, \"规格\" VARCHAR,"
          + " \"购买数量\" VARCHAR, \"单位\" VARCHAR, \"单价\" VARCHAR, \"实付金额\" VARCHAR, \"收货人手机\" VARCHAR,"
          + " \"收货地区\" VARCHAR, \"物流公司\" VARCHAR, \"运单号\" VARCHAR, \"订单状态\" VARCHAR, filename VARCHAR)");
    } else {
      sql.execute("CREATE TABLE raw_sale AS SELECT * FROM read_csv(" + list(files)
          + ", header=true, all_varchar=true, union_by_name=true, filename=true, ignore_errors=true, null_padding=true)");
    }
    resolveProducts(sql, "raw_sale", "\"商品名称\"");
    sql.execute("""
        CREATE TABLE sale_std AS
        SELECT trim(s."平台") AS platform, trim(s."订单编号") AS order_id, trim(s."子订单编号") AS line_id,
          coalesce(try_strptime(s."下单时间", '%Y-%m-%d %H:%M:%S'), try_strptime(s."下单时间", '%Y/%m/%d %H:%M:%S'),
                   try_strptime(s."下单时间", '%Y-%m-%d %H:%M')) AS order_time,
          s."下单时间" AS order_time_raw, s."店铺名称" AS shop_name,
          s."发货地" AS seller_region, sr.code AS seller_region_code,
          s."收货地区" AS buyer_region, br.code AS buyer_region_code,
          s."商品名称" AS product_name, pr.variety_or_product AS product_code,
          try_cast(s."购买数量" AS DOUBLE) AS quantity, s."购买数量" AS quantity_raw,
          s."单位" AS unit, un.code AS unit_code,
          try_cast(s."单价" AS DOUBLE) AS unit_price, s."单价" AS unit_price_raw,
          try_cast(s."实付金额" AS DOUBLE) AS amount_cny, s."实付金额" AS amount_raw,
          s."物流公司" AS courier, co.code AS courier_code, nullif(trim(s."运单号"), '') AS tracking_no,
          s."订单状态" AS status, st.code AS status_code,
          sha256('agri-bench:' || trim(s."收货人手机")) AS buyer_ref, s.filename AS source_file
        FROM raw_sale s
        LEFT JOIN region_names sr ON sr.key = trim(s."发货地")
        LEFT JOIN region_names br ON br.key = trim(s."收货地区")
        LEFT JOIN raw_sale_products pr ON pr.raw = s."商品名称"
        LEFT JOIN units_names un ON un.key = trim(s."单位")
        LEFT JOIN couriers_names co ON co.key = trim(s."物流公司")
        LEFT JOIN statuses_names st ON st.key = trim(s."订单状态") AND st.code LIKE 'sale:%'""");
    sql.execute("""
        CREATE TABLE sale_checked AS SELECT *, CASE
            WHEN coalesce(platform, '') = '' OR coalesce(order_id, '') = '' OR coalesce(line_id, '') = ''
              OR coalesce(order_time_raw, '') = '' THEN 'MISSING_FIELD'
            WHEN order_time IS NULL THEN 'BAD_DATE'
            WHEN quantity IS NULL OR quantity <= 0 OR amount_cny IS NULL OR amount_cny < 0
              OR (coalesce(unit_price_raw, '') <> '' AND unit_price IS NULL) THEN 'BAD_NUMBER'
            WHEN buyer_region_code IS NULL THEN 'UNKNOWN_REGION'
            WHEN coalesce(seller_region, '') <> '' AND seller_region_code IS NULL THEN 'UNKNOWN_REGION'
            WHEN product_code IS NULL THEN 'UNKNOWN_PRODUCT'
            WHEN unit_code IS NULL THEN 'UNKNOWN_UNIT'
            WHEN coalesce(courier, '') <> '' AND courier_code IS NULL THEN 'UNKNOWN_COURIER'
            WHEN status_code IS NULL THEN 'UNKNOWN_STATUS'
          END AS reason FROM sale_std""");
    sql.execute("CREATE TABLE sale_quarantine AS SELECT * FROM sale_checked WHERE reason IS NOT NULL");
    sql.execute("""
        CREATE TABLE sale AS
        SELECT s.* EXCLUDE (reason), CAST(s.order_time AS DATE) AS order_date,
          s.quantity * u.kg_per_unit AS quantity_kg
        FROM sale_checked s LEFT JOIN units u ON u.code = s.unit_code AND u.kind = 'mass'
        WHERE s.reason IS NULL
        QUALIFY row_number() OVER (PARTITION BY platform, order_id, line_id ORDER BY order_time DESC, source_file) = 1""");
  }

  private static void shipments(Statement sql, List<String> files) throws SQLException {
    String cols = "mailNo VARCHAR, expressCompany VARCHAR, acceptTime VARCHAR, signTime VARCHAR, senderArea VARCHAR,"
        + " receiverArea VARCHAR, weight VARCHAR, freight VARCHAR, status VARCHAR, senderPhone VARCHAR";
    if (files.isEmpty()) {
      sql.execute("CREATE TABLE raw_shipment (" + cols + ", filename VARCHAR)");
    } else {
      sql.execute("CREATE TABLE raw_shipment AS SELECT * FROM read_ndjson(" + list(files) + ", columns={"
          + cols.replaceAll("(\\w+) VARCHAR", "'$1': 'VARCHAR'") + "}, filename=true, ignore_errors=true)");
    }
    sql.execute("""
        CREATE TABLE shipment_std AS
        SELECT co.code AS courier_code, w.expressCompany AS courier, nullif(trim(w.mailNo), '') AS tracking_no,
          try_strptime(w.acceptTime, '%Y-%m-%d %H:%M:%S') AS pickup_time, w.acceptTime AS pickup_raw,
          try_strptime(w.signTime, '%Y-%m-%d %H:%M:%S') AS sign_time, w.signTime AS sign_raw,
          w.senderArea AS sender_region, sr.code AS sender_region_code,
          w.receiverArea AS receiver_region, rr.code AS receiver_region_code,
          try_cast(w.weight AS DOUBLE) AS weight_kg, w.weight AS weight_raw,
          try_cast(w.freight AS DOUBLE) AS fee_cny, w.freight AS fee_raw,
          w.status AS status, st.code AS status_code, w.filename AS source_file
        FROM raw_shipment w
        LEFT JOIN couriers_names co ON co.key = trim(w.expressCompany)
        LEFT JOIN region_names sr ON sr.key = trim(w.senderArea)
        LEFT JOIN region_names rr ON rr.key = trim(w.receiverArea)
        LEFT JOIN statuses_names st ON st.key = trim(w.status) AND st.code LIKE 'shipment:%'""");
    sql.execute("""
        CREATE TABLE shipment_checked AS SELECT *, CASE
            WHEN coalesce(courier, '') = '' OR tracking_no IS NULL OR coalesce(pickup_raw, '') = '' THEN 'MISSING_FIELD'
            WHEN pickup_time IS NULL OR (coalesce(sign_raw, '') <> '' AND sign_time IS NULL) THEN 'BAD_DATE'
            WHEN (coalesce(weight_raw, '') <> '' AND (weight_kg IS NULL OR weight_kg < 0))
              OR (coalesce(fee_raw, '') <> '' AND (fee_cny IS NULL OR fee_cny < 0)) THEN 'BAD_NUMBER'
            WHEN courier_code IS NULL THEN 'UNKNOWN_COURIER'
            WHEN sender_region_code IS NULL OR receiver_region_code IS NULL THEN 'UNKNOWN_REGION'
          END AS reason FROM shipment_std""");
    sql.execute("CREATE TABLE shipment_quarantine AS SELECT * FROM shipment_checked WHERE reason IS NOT NULL");
    sql.execute("""
        CREATE TABLE shipment AS SELECT * EXCLUDE (reason) FROM shipment_checked WHERE reason IS NULL
        QUALIFY row_number() OVER (PARTITION BY courier_code, tracking_no
                                   ORDER BY sign_time DESC NULLS LAST, source_file DESC) = 1""");
  }

  private static void prices(Statement sql, List<String> files) throws SQLException {
    if (files.isEmpty()) {
      sql.execute("CREATE TABLE raw_price (prodCat VARCHAR, prodPcat VARCHAR, prodName VARCHAR, lowPrice VARCHAR,"
          + " avgPrice VARCHAR, highPrice VARCHAR, place VARCHAR, unitInfo VARCHAR, pubDate VARCHAR)");
    } else {
      sql.execute("CREATE TABLE raw_price AS SELECT * FROM read_csv(" + list(files)
          + ", header=true, all_varchar=true, union_by_name=true, ignore_errors=true, null_padding=true)");
    }
    resolveProducts(sql, "raw_price", "prodName");
    // the Xinfadi descriptor swaps avgPrice and highPrice (conf/sources/xinfadi-daily-prices.yml)
    sql.execute("""
        CREATE TABLE price AS
        SELECT DISTINCT CAST(coalesce(try_strptime(p.pubDate, '%Y-%m-%d %H:%M:%S'), try_strptime(p.pubDate, '%Y-%m-%d')) AS DATE) AS business_date,
          'BJ-XFD' AS market_code, '北京新发地农产品批发市场' AS market_name, r.variety_or_product AS variety_code,
          p.prodName AS product_name,
          try_cast(p.lowPrice AS DOUBLE) / u.kg_per_unit AS price_low,
          try_cast(p.highPrice AS DOUBLE) / u.kg_per_unit AS price_avg,
          try_cast(p.avgPrice AS DOUBLE) / u.kg_per_unit AS price_high
        FROM raw_price p
        JOIN raw_price_products r ON r.raw = p.prodName
        JOIN units_names un ON un.key = regexp_replace(trim(p.unitInfo), '^元/', '')
        JOIN units u ON u.code = un.code AND u.kind = 'mass'
        WHERE try_cast(p.highPrice AS DOUBLE) IS NOT NULL""");
  }

  private static void marts(Statement sql) throws SQLException {
    sql.execute("""
        CREATE TABLE parcel AS
        WITH orders AS (
          SELECT courier_code, tracking_no, min(order_date) AS order_date, min(order_id) AS order_id,
                 max(product_code) AS order_product_code, sum(quantity_kg) AS order_kg,
                 sum(amount_cny) AS order_amount_cny, count(*) AS order_lines
          FROM sale WHERE courier_code IS NOT NULL AND tracking_no IS NOT NULL GROUP BY ALL),
        routed AS (
          SELECT s.*, o.* EXCLUDE (courier_code, tracking_no),
            round(date_diff('second', s.pickup_time, s.sign_time) / 3600.0, 2) AS transit_hours,
            coalesce(sr.rural, false) AS sender_rural, coalesce(rr.rural, false) AS receiver_rural
          FROM shipment s
          LEFT JOIN orders o ON o.courier_code = s.courier_code AND o.tracking_no = s.tracking_no
            AND o.order_date BETWEEN CAST(s.pickup_time AS DATE) - 1 AND CAST(s.pickup_time AS DATE)
          LEFT JOIN region_rural sr ON sr.code = s.sender_region_code
          LEFT JOIN region_rural rr ON rr.code = s.receiver_region_code)
        SELECT *, CAST(pickup_time AS DATE) AS business_date,
          CASE WHEN sign_time IS NULL THEN 'in_transit'
               WHEN left(sender_region_code, 4) = left(receiver_region_code, 4) AND transit_hours <= 12 THEN 'half_day'
               WHEN left(sender_region_code, 2) = left(receiver_region_code, 2) AND transit_hours <= 24 THEN 'next_day'
               ELSE 'later' END AS delivery_class,
          CASE WHEN sender_rural AND NOT receiver_rural THEN 'up'
               WHEN receiver_rural AND NOT sender_rural THEN 'down' ELSE 'lateral' END AS direction,
          CASE WHEN receiver_rural AND NOT sender_rural THEN receiver_region_code ELSE sender_region_code END AS county_code,
          CASE WHEN order_id IS NULL THEN 'no_order' ELSE 'matched' END AS match_status
        FROM routed""");
    sql.execute("""
        CREATE TABLE delivery_daily AS
        SELECT business_date, county_code, courier_code, count(*) AS parcels, count(sign_time) AS signed,
          round(quantile_cont(transit_hours, 0.5), 2) AS transit_hours_median,
          round(quantile_cont(transit_hours, 0.9), 2) AS transit_hours_p90,
          round(count(*) FILTER (delivery_class = 'half_day') / nullif(count(sign_time), 0), 4) AS half_day_rate,
          round(count(*) FILTER (delivery_class IN ('half_day', 'next_day')) / nullif(count(sign_time), 0), 4) AS next_day_rate,
          count(*) FILTER (direction = 'up') AS upbound, count(*) FILTER (direction = 'down') AS downbound
        FROM parcel GROUP BY ALL""");
    sql.execute("""
        CREATE TABLE price_daily AS
        SELECT business_date, variety_code, market_code, any_value(product_name) AS product_name,
          any_value(market_name) AS market_name,
          round(min(coalesce(price_low, price_avg)), 4) AS price_min, round(avg(price_avg), 4) AS price_avg,
          round(max(coalesce(price_high, price_avg)), 4) AS price_max, count(*) AS observations
        FROM price GROUP BY business_date, variety_code, market_code""");
  }
}
