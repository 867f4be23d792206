package org.agrifusion.jobs.search;

import co.elastic.clients.elasticsearch._types.FieldValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The {@code after} parameter: where a page starts, as the sort values of the hit next to it,
 * opaque to the user (base64url of {@code {"s": sort keys, "d": direction, "v": values}}): the page
 * after the last hit of a page, or the page before its first hit (read in the reversed order). The
 * sort keys travel with the values, so a cursor is refused by a search that sorts otherwise.
 */
public final class Cursor {

  /** A decoded cursor: the sort values, and whether the page lies before them. */
  public record Position(List<Object> values, boolean before) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private Cursor() {}

  static String encode(List<FieldValue> values, List<SearchRequest.SortKey> spec, boolean before) {
    ObjectNode cursor = JSON.createObjectNode().put("s", spec.toString()).put("d", before ? "b" : "a");
    ArrayNode v = cursor.putArray("v");
    for (FieldValue value : values) {
      switch (value._kind()) {
        case Long -> v.add(value.longValue());
        case Double -> v.add(value.doubleValue());
        case String -> v.add(value.stringValue());
        case Boolean -> v.add(value.booleanValue());
        case Null -> v.addNull();
        default -> throw new IllegalStateException("unexpected sort value " + value);
      }
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(cursor.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The values of a cursor this search wrote; anything else is a usage error. */
  static Position decode(String after, List<SearchRequest.SortKey> spec) {
    JsonNode cursor;
    try {
      cursor = JSON.readTree(Base64.getUrlDecoder().decode(after));
    } catch (IllegalArgumentException | IOException e) {
      throw SearchRequest.bad("after", after, "is not a cursor of a search page");
    }
    if (cursor == null || !cursor.path("s").asText("").equals(spec.toString())) {
      throw SearchRequest.bad("after", after, "is not a cursor of this search's sort " + spec);
    }
    JsonNode v = cursor.path("v");
    String direction = cursor.path("d").asText("");
    if (!v.isArray() || v.size() != spec.size() || !(direction.equals("a") || direction.equals("b"))) {
      throw SearchRequest.bad("after", after, "is not a cursor of a search page");
    }
    List<Object> values = new ArrayList<>();
    for (JsonNode value : v) {
      if (value.isNull()) {
        values.add(null);
      } else if (value.isIntegralNumber() && value.canConvertToLong()) {
        values.add(value.longValue());
      } else if (value.isNumber()) {
        values.add(value.doubleValue());
      } else if (value.isTextual()) {
        values.add(value.textValue());
      } else if (value.isBoolean()) {
        values.add(value.booleanValue());
      } else {
        throw SearchRequest.bad("after", after, "is not a cursor of a search page");
      }
    }
    return new Position(values, direction.equals("b"));
  }

  static FieldValue fieldValue(Object value) {
    if (value == null) {
      return FieldValue.NULL;
    }
    if (value instanceof Long l) {
      return FieldValue.of(l);
    }
    if (value instanceof Double d) {
      return FieldValue.of(d);
    }
    return value instanceof Boolean b ? FieldValue.of(b) : FieldValue.of(value.toString());
  }
}
