package org.agrifusion.pipelines.reference;

import java.io.Serializable;

/**
 * A GB/T 2260 division: province, city (prefecture) or county-level unit, with six-digit codes.
 *
 * @param rural for county-level units: true for counties and county-level cities, false for city
 *     districts; null above county level
 */
public record Region(String code, String name, Level level, String parentCode, Boolean rural) implements Serializable {

  public enum Level { PROVINCE, CITY, COUNTY }

  public String provinceCode() {
    return code.substring(0, 2) + "0000";
  }

  public String cityCode() {
    return level == Level.PROVINCE ? null : code.substring(0, 4) + "00";
  }
}
