import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The single-machine peer of scripts/bench.sh: DuckDB doing the job's standardise + fuse work as
 * SQL on the same landed files, on 2 threads. It is a yardstick, not a second implementation: it
 * applies the rules SQL expresses directly (required fields, numbers, codes through the reference
 * tables, de-duplication by natural key, hashed phones) and the marts' formulas of
 * docs/data-standard.md, and leaves out what needs the job's resolvers (fuzzy names, code changes,
 * lineage, history). Feeds are read by their descriptors in conf/sources (csv and jsonl).
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
      List<Map<String, Object>> descriptors = descriptors(conf.resolve("sources"));
      raw(sql, descriptors, landing, out.resolve("utf8"), "sale", SALE);
      raw(sql, descriptors, landing, out.resolve("utf8"), "shipment", SHIPMENT);
      raw(sql, descriptors, landing, out.resolve("utf8"), "price", PRICE);
      sales(sql);
      shipments(sql);
      prices(sql);
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

  /** The standard fields the SQL below uses, per kind; a feed's descriptor maps them to its columns. */
  private static final List<String> SALE = List.of("platform", "order_id", "line_id", "order_time", "shop_name",
      "seller_region", "product_name", "quantity", "unit", "unit_price", "amount", "buyer_region", "courier",
      "tracking_no", "status", "buyer_ref");
  private static final List<String> SHIPMENT = List.of("courier", "tracking_no", "pickup_time", "sign_time",
      "sender_region", "receiver_region", "weight", "fee", "status");
  private static final List<String> PRICE = List.of("product_name", "price_low", "price_avg", "price_high", "unit",
      "observed_date", "market_code", "market_name");

  /**
   * The feed descriptors of conf/sources, read as the small YAML subset they use: top-level keys,
   * one level of nested keys, and [a, b] lists that may run over several lines.
   */
  private static List<Map<String, Object>> descriptors(Path dir) throws IOException {
    List<Map<String, Object>> all = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        Map<String, Object> top = new LinkedHashMap<>();
        Map<String, Object> section = null;
        StringBuilder pending = null;
        String pendingKey = null;
        for (String line : Files.readAllLines(file)) {
          if (line.isBlank() || line.strip().startsWith("#")) {
            continue;
          }
          if (pending != null) {
            pending.append(' ').append(line.strip());
          } else {
            boolean nested = line.startsWith(" ");
            int colon = line.indexOf(':');
            if (colon < 0) {
              continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (!nested) {
              section = value.isEmpty() ? new LinkedHashMap<>() : null;
              top.put(key, section != null ? section : value);
            } else if (section != null) {
              section.put(key, value);
            }
            if (value.startsWith("[") && !value.endsWith("]")) {
              pending = new StringBuilder(value);
              pendingKey = key;
            }
            continue;
          }
          if (pending.toString().endsWith("]")) {
            top.put(pendingKey, pending.toString());
            pending = null;
          }
        }
        all.add(top);
      }
    }
    return all;
  }

  private static String text(Object value) {
    String v = value == null ? "" : value.toString().strip();
    return v.length() >= 2 && (v.startsWith("\"") || v.startsWith("'")) ? v.substring(1, v.length() - 1) : v;
  }

  private static List<String> items(Object value) {
    String v = text(value);
    return v.startsWith("[") ? Stream.of(v.substring(1, v.length() - 1).split(",")).map(Peer::text).toList() : List.of();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Map<String, Object> descriptor, String key) {
    return descriptor.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /**
   * raw_<kind>: every csv or jsonl feed of the kind, its columns renamed to the standard fields by
   * its descriptor, constants filled in; files in another encoding are converted to UTF-8 first.
   */
  private static void raw(Statement sql, List<Map<String, Object>> descriptors, Path landing, Path utf8,
      String kind, List<String> standard) throws SQLException, IOException {
    List<String> selects = new ArrayList<>();
    for (Map<String, Object> d : descriptors) {
      Map<String, Object> format = section(d, "format");
      String type = text(format.get("type"));
      if (!kind.equals(text(d.get("kind"))) || !(type.equals("csv") || type.equals("jsonl"))) {
        continue;
      }
      String id = text(d.get("id"));
      Charset charset = Charset.forName(format.containsKey("encoding") ? text(format.get("encoding")) : "UTF-8");
      List<String> files = new ArrayList<>();
      Path dir = landing.resolve(id);
      if (Files.isDirectory(dir)) {
        try (Stream<Path> walk = Files.walk(dir)) {
          for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
            String name = f.toString();
            if (name.endsWith("." + type) || name.endsWith("." + type + ".gz")) {
              files.add(charset.equals(StandardCharsets.UTF_8) ? name : toUtf8(f, charset, utf8.resolve(id)));
            }
          }
        }
      }
      if (files.isEmpty()) {
        continue;
      }
      List<String> columns = items(d.get("columns"));
      String list = files.stream().map(Peer::quote).collect(Collectors.joining(",", "[", "]"));
      String reader = type.equals("jsonl")
          ? "read_ndjson(" + list + ", columns={" + columns.stream().map(c -> quote(c) + ": 'VARCHAR'")
              .collect(Collectors.joining(", ")) + "}, filename=true, ignore_errors=true)"
          : "read_csv(" + list + ", all_varchar=true, union_by_name=true, filename=true, ignore_errors=true,"
              + " null_padding=true, delim=" + quote(format.containsKey("delimiter") ? text(format.get("delimiter")) : ",")
              + (text(format.get("header")).equals("false")
                  ? ", header=false, names=[" + columns.stream().map(Peer::quote).collect(Collectors.joining(",")) + "]"
                  : ", header=true") + ")";
      Map<String, Object> fields = section(d, "fields");
      Map<String, Object> constants = section(d, "constants");
      selects.add("SELECT " + standard.stream().map(f -> (fields.containsKey(f)
              ? "\"" + text(fields.get(f)).replace("\"", "\"\"") + "\""
              : constants.containsKey(f) ? quote(text(constants.get(f))) : "NULL") + "::VARCHAR AS " + f)
          .collect(Collectors.joining(", ")) + ", filename AS source_file FROM " + reader);
    }
    if (selects.isEmpty()) {
      sql.execute("CREATE TABLE raw_" + kind + " AS SELECT " + standard.stream().map(f -> "NULL::VARCHAR AS " + f)
          .collect(Collectors.joining(", ")) + ", NULL::VARCHAR AS source_file WHERE false");
    } else {
      sql.execute("CREATE TABLE raw_" + kind + " AS " + String.join(" UNION ALL ", selects));
    }
  }

  private static String toUtf8(Path file, Charset charset, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path target = dir.resolve(file.getFileName().toString().replaceFirst("\\.gz$", ""));
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        Reader reader = new InputStreamReader(in, charset);
        Writer writer = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
      reader.transferTo(writer);
    }
    return target.toString();
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

  private static void sales(Statement sql) throws SQLException {
    resolveProducts(sql, "raw_sale", "product_name");
    sql.execute("""
        CREATE TABLE sale_std AS
        SELECT trim(s.platform) AS platform, trim(s.order_id) AS order_id, trim(s.line_id) AS line_id,
          coalesce(try_strptime(s.order_time, '%Y-%m-%d %H:%M:%S'), try_strptime(s.order_time, '%Y/%m/%d %H:%M:%S'),
                   try_strptime(s.order_time, '%Y-%m-%d %H:%M')) AS order_time,
          s.order_time AS order_time_raw, s.shop_name,
          s.seller_region, sr.code AS seller_region_code,
          s.buyer_region, br.code AS buyer_region_code,
          s.product_name, pr.variety_or_product AS product_code,
          try_cast(s.quantity AS DOUBLE) AS quantity, s.quantity AS quantity_raw,
          s.unit, un.code AS unit_code,
          try_cast(s.unit_price AS DOUBLE) AS unit_price, s.unit_price AS unit_price_raw,
          try_cast(s.amount AS DOUBLE) AS amount_cny, s.amount AS amount_raw,
          s.courier, co.code AS courier_code, nullif(trim(s.tracking_no), '') AS tracking_no,
          s.status, st.code AS status_code,
          sha256('agri-bench:' || trim(s.buyer_ref)) AS buyer_ref, s.source_file
        FROM raw_sale s
        LEFT JOIN region_names sr ON sr.key = trim(s.seller_region)
        LEFT JOIN region_names br ON br.key = trim(s.buyer_region)
        LEFT JOIN raw_sale_products pr ON pr.raw = s.product_name
        LEFT JOIN units_names un ON un.key = trim(s.unit)
        LEFT JOIN couriers_names co ON co.key = trim(s.courier)
        LEFT JOIN statuses_names st ON st.key = trim(s.status) AND st.code LIKE 'sale:%'""");
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

  private static void shipments(Statement sql) throws SQLException {
    sql.execute("""
        CREATE TABLE shipment_std AS
        SELECT co.code AS courier_code, w.courier, nullif(trim(w.tracking_no), '') AS tracking_no,
          try_strptime(w.pickup_time, '%Y-%m-%d %H:%M:%S') AS pickup_time, w.pickup_time AS pickup_raw,
          try_strptime(w.sign_time, '%Y-%m-%d %H:%M:%S') AS sign_time, w.sign_time AS sign_raw,
          w.sender_region, sr.code AS sender_region_code,
          w.receiver_region, rr.code AS receiver_region_code,
          try_cast(w.weight AS DOUBLE) AS weight_kg, w.weight AS weight_raw,
          try_cast(w.fee AS DOUBLE) AS fee_cny, w.fee AS fee_raw,
          w.status, st.code AS status_code, w.source_file
        FROM raw_shipment w
        LEFT JOIN couriers_names co ON co.key = trim(w.courier)
        LEFT JOIN region_names sr ON sr.key = trim(w.sender_region)
        LEFT JOIN region_names rr ON rr.key = trim(w.receiver_region)
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

  private static void prices(Statement sql) throws SQLException {
    resolveProducts(sql, "raw_price", "product_name");
    sql.execute("""
        CREATE TABLE price AS
        SELECT DISTINCT CAST(coalesce(try_strptime(p.observed_date, '%Y-%m-%d %H:%M:%S'),
                                      try_strptime(p.observed_date, '%Y-%m-%d')) AS DATE) AS business_date,
          p.market_code, p.market_name, r.variety_or_product AS variety_code, p.product_name,
          try_cast(p.price_low AS DOUBLE) / u.kg_per_unit AS price_low,
          try_cast(p.price_avg AS DOUBLE) / u.kg_per_unit AS price_avg,
          try_cast(p.price_high AS DOUBLE) / u.kg_per_unit AS price_high
        FROM raw_price p
        JOIN raw_price_products r ON r.raw = p.product_name
        JOIN units_names un ON un.key = regexp_replace(trim(p.unit), '^元/', '')
        JOIN units u ON u.code = un.code AND u.kind = 'mass'
        WHERE try_cast(p.price_avg AS DOUBLE) IS NOT NULL""");
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
