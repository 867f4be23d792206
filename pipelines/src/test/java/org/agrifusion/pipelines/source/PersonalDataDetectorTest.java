package org.agrifusion.pipelines.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.agrifusion.pipelines.source.PersonalDataDetector.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PersonalDataDetectorTest {

  @ParameterizedTest
  @ValueSource(strings = {"15644226657", "13912345678", " 18603510000 ", "+8613912345678", "+86 139 1234 5678",
      "86-139-1234-5678", "008613912345678", "8613912345678", "139-1234-5678", "139 1234 5678", "到了打电话13803512345",
      "王先生 17734561234", "电话:19912345678。"})
  void mobileNumbers(String value) {
    assertThat(PersonalDataDetector.detect(value)).isEqualTo(Kind.MOBILE);
  }

  @ParameterizedTest
  @ValueSource(strings = {"11010519491231002X", "11010519491231002x", "140821199001011236", "身份证440106198507153316"})
  void identityNumbersWithAValidCheckCharacter(String value) {
    assertThat(PersonalDataDetector.detect(value)).isEqualTo(Kind.ID_NUMBER);
  }

  @ParameterizedTest
  @ValueSource(strings = {"幸福路230号", "广东省广州市天河区体育西路101号", "建设街12-3号", "中山大道100号", "南锣鼓巷胡同5号",
      "长乐路165弄", "阳光小区3栋2单元", "幸福家园5号楼301室", "2单元302", "临猗县北关村3组", "前进村15号", "建国路八十八号"})
  void streetAddresses(String value) {
    assertThat(PersonalDataDetector.detect(value)).isEqualTo(Kind.ADDRESS);
  }

  /** Values the feeds really carry, which must pass untouched. */
  @ParameterizedTest
  @ValueSource(strings = {
      // order ids: JD / PDD / Taobao, and tracking numbers of the couriers
      "211207000001", "230000123456", "211207-035649617582372", "211207-13912345678", "2140678957841234567",
      "SF1234567890123", "SF13912345678901", "773012345678901", "4312345678901", "7730123456789", "YT8123456789012",
      "JDV012345678901", "ZT70000000001", "EMS9123456789", "JT5139123456789",
      // an identity-shaped number with a wrong check character, or an unknown province
      "140821199001011234", "990821199001011236",
      // prices, amounts, quantities, dates, times, epoch milliseconds
      "45.0", "13912.50", "0.13912345678", "13.5", "1e12", "2021-12-07 10:15:00", "2021/12/07 10:15:00", "1638843300000",
      // GB/T 2260 codes, places, markets, products and specs
      "140821", "440106", "广东省广州市天河区", "山西省运城市临猗县", "冀晋辽", "北京新发地农产品批发市场", "山西太原丈子头农产品批发市场",
      "临猗红富士苹果 产地直发", "晋谷21号小米", "京欣1号西瓜", "特级1号", "10斤/箱", "2.5kg/袋", "一号库", "3号门",
      "中通快递", "已发货", "拼多多", "临猗果园旗舰店", "5e5b2c7a0f1d4c3b9a8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928"})
  void ordinaryValuesAreNotPersonalData(String value) {
    assertThat(PersonalDataDetector.detect(value)).isNull();
    assertThat(PersonalDataDetector.mask(value)).isEqualTo(value);
  }

  @org.junit.jupiter.api.Test
  void maskReplacesOnlyThePersonalParts() {
    assertThat(PersonalDataDetector.mask("header [拼多多, 王先生, 15644226657, 幸福路230号, 11010519491231002X] differs"))
        .isEqualTo("header [拼多多, 王先生, [redacted:mobile], [redacted:address], [redacted:id-number]] differs");
    assertThat(PersonalDataDetector.mask("收货地址: 阳光小区3栋2单元501室, 电话 +86 139-1234-5678"))
        .isEqualTo("收货地址: [redacted:address], 电话 [redacted:mobile]");
    assertThat(PersonalDataDetector.maskedKind("[redacted:mobile]")).isEqualTo(Kind.MOBILE);
    assertThat(PersonalDataDetector.maskedKind("[redacted:other]")).isNull();
    assertThat(PersonalDataDetector.maskedKind("13912345678")).isNull();
  }
}
