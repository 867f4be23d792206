package org.agrifusion.pipelines.generate;

import org.agrifusion.pipelines.reference.Region;
import org.agrifusion.pipelines.reference.RegionCatalog;

/** How parties write a place in generated feeds: in full, or in the short forms people type. */
final class RegionNames {

  private final RegionCatalog regions;

  RegionNames(RegionCatalog regions) {
    this.regions = regions;
  }

  /** 山西省运城市临猗县: the province, city and county names. */
  String fullName(Region county) {
    Region city = regions.byCode(county.cityCode()).orElseThrow();
    Region province = regions.byCode(county.provinceCode()).orElseThrow();
    return province.name() + (city.name().equals(province.name()) ? "" : city.name()) + county.name();
  }

  /** 运城: the city's short name (municipalities have none). */
  String cityName(Region county) {
    String name = regions.byCode(county.cityCode()).orElseThrow().name();
    return name.endsWith("市") && name.length() > 2 ? name.substring(0, name.length() - 1) : name;
  }

  /** 临猗: the county without its 县 / 区 / 市. */
  static String shortName(Region county) {
    String name = county.name();
    return name.length() > 2 && (name.endsWith("县") || name.endsWith("区") || name.endsWith("市")) ? name.substring(0, name.length() - 1) : name;
  }
}
