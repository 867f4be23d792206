package org.agrifusion.pipelines.generate;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;

/** The origin registry's worksheet as conf/sources/origin-registry.yml reads it: its name and header row. */
final class RegistrySheet {

  private static final String[] HEADER =
      {"主体编号", "主体名称", "主体类型", "所在地区", "主营品种", "认证", "年产量(吨)", "冷库容量(吨)", "负责人", "联系电话"};

  private RegistrySheet() {}

  /** A new sheet in the workbook with the header row written. */
  static Sheet create(Workbook workbook) {
    Sheet sheet = workbook.createSheet("经营主体");
    Row head = sheet.createRow(0);
    for (int c = 0; c < HEADER.length; c++) {
      head.createCell(c).setCellValue(HEADER[c]);
    }
    return sheet;
  }
}
