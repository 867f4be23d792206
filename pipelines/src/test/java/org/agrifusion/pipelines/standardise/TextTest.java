package org.agrifusion.pipelines.standardise;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextTest {

  @Test
  void fullWidthBecomesHalfWidthAndWhitespaceCollapses() {
    assertThat(Text.normalise("　扇贝（地播）　 ２．６ ")).isEqualTo("扇贝(地播) 2.6");
  }

  @Test
  void cjkSquareBracketsBecomeAscii() {
    assertThat(Text.normalise("【精品】白虾")).isEqualTo("[精品]白虾");
  }

  @Test
  void blankIsNull() {
    assertThat(Text.normalise(" \t\u3000")).isNull();
    assertThat(Text.normalise(null)).isNull();
  }
}
