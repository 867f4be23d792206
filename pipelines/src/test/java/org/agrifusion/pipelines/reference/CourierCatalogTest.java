package org.agrifusion.pipelines.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.agrifusion.pipelines.support.TestReference;
import org.junit.jupiter.api.Test;

/** The shipped courier list: the brands the State Post Bureau names, as feeds write them. */
class CourierCatalogTest {

  final CourierCatalog couriers = TestReference.SHIPPED.couriers();

  @Test
  void everyBrandTheIssueNamesHasACode() {
    Map<String, String> expected = Map.ofEntries(
        Map.entry("菜鸟", "CAINIAO"), Map.entry("Cainiao", "CAINIAO"), Map.entry("菜鸟速递", "CAINIAO"),
        Map.entry("极兔", "JT"), Map.entry("J&T Express", "JT"), Map.entry("德邦", "DBL"), Map.entry("德邦快递", "DBL"),
        Map.entry("丹鸟", "DANNIAO"), Map.entry("丹鸟物流", "DANNIAO"),
        Map.entry("京东", "JD"), Map.entry("顺丰", "SF"), Map.entry("中通", "ZTO"), Map.entry("圆通", "YTO"),
        Map.entry("申通", "STO"), Map.entry("韵达", "YD"), Map.entry("众邮快递", "ZY"), Map.entry("速尔", "SURE"),
        Map.entry("宅急送", "ZJS"), Map.entry("优速", "UC"), Map.entry("跨越速运", "KY"), Map.entry("安能", "ANE"));
    expected.forEach((name, code) -> assertThat(couriers.code(name)).as(name).contains(code));
  }

  /** 邮政快递包裹 and EMS are two brands of China Post, listed apart by the State Post Bureau. */
  @Test
  void chinaPostParcelsAreNotEms() {
    for (String parcel : new String[] {"邮政快递包裹", "中国邮政", "邮政", "中国邮政集团有限公司", "China Post"}) {
      assertThat(couriers.code(parcel)).as(parcel).contains("CP");
    }
    for (String ems : new String[] {"EMS", "ems", "邮政EMS", "中国邮政EMS", "中国邮政速递物流", "中国邮政速递物流股份有限公司", "EMS特快专递"}) {
      assertThat(couriers.code(ems)).as(ems).contains("EMS");
    }
  }

  /** Brands taken over keep their names in old waybills; they are coded as the company that runs them now. */
  @Test
  void formerBrandsAreCodedAsTheirCurrentOperator() {
    assertThat(couriers.code("百世快递")).contains("JT");
    assertThat(couriers.code("百世汇通")).contains("JT");
    assertThat(couriers.code("丰网速运")).contains("JT");
  }

  @Test
  void companyNamesResolveByTheLongestBrandTheyContain() {
    assertThat(couriers.code("菜鸟网络科技有限公司")).contains("CAINIAO");
    assertThat(couriers.code("中通快运公司")).contains("ZTOKY");
    assertThat(couriers.code("德邦物流股份有限公司")).contains("DBL");
    assertThat(couriers.code("顺丰中通")).isEqualTo(Optional.empty());
    assertThat(couriers.code("Sky Logistics")).isEqualTo(Optional.empty());
  }
}
