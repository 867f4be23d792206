package org.agrifusion.pipelines.source;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import org.agrifusion.pipelines.spark.SerializableHadoopConf;
import org.agrifusion.pipelines.standardise.ReasonCode;
import org.apache.poi.ooxml.util.SAXHelper;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellRangeAddress;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.XMLFilterImpl;

/**
 * Excel workbooks (.xlsx), one sheet (the first, or {@code format.sheet} by name; the others are
 * ignored, and the log says so), parsed with POI's event API rather than the workbook model; the
 * sheet's rows are held in memory while the task reads them, which Excel's own limit (about a million
 * rows) keeps bounded. Feeds larger than that come as CSV or JSON Lines, which are streamed. Formulas
 * give their cached values. A merged range gives its value to every cell it covers, as the sheet
 * shows it. Cells formatted as dates are passed on as their serial number, so descriptors read them
 * with the {@code excel-serial} date format and the result never depends on the locale of whoever
 * formatted the sheet. A workbook that cannot be opened, or lacks the sheet, is one UNREADABLE_FILE row.
 */
final class XlsxFileReader extends LandedFileReader {

  private static final Logger log = LoggerFactory.getLogger(XlsxFileReader.class);

  XlsxFileReader(SourceDescriptor descriptor, SerializableHadoopConf conf, PersonalDataGuard guard) {
    super(descriptor, conf, guard);
  }

  @Override
  Iterator<Row> read(Landed in, String file) throws IOException {
    TreeMap<Integer, String[]> cells = new TreeMap<>();
    List<CellRangeAddress> merged = new ArrayList<>();
    String wanted = descriptor.format().sheet();
    List<String> names = new ArrayList<>();
    String read = null;
    try (in; OPCPackage pkg = OPCPackage.open(in)) {
      XSSFReader reader = new XSSFReader(pkg);
      XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
      while (sheets.hasNext()) {
        try (InputStream sheet = sheets.next()) {
          names.add(sheets.getSheetName());
          if (read != null || (wanted != null && !wanted.equals(sheets.getSheetName()))) {
            continue;
          }
          read = sheets.getSheetName();
          MergedCells parser = new MergedCells(merged);
          parser.setContentHandler(new XSSFSheetXMLHandler(reader.getStylesTable(), null,
              new ReadOnlySharedStringsTable(pkg), new Collector(cells), new SerialDates(descriptor.format().decimalChar()), false));
          parser.parse(new InputSource(sheet));
        }
      }
    } catch (Exception e) {
      if (in.storeFailure() != null) {
        throw in.storeFailure();
      }
      // POI reports a damaged, cut or non-OOXML package with I/O, runtime and SAX exceptions of its own
      return List.of(fileRow(file, ReasonCode.UNREADABLE_FILE, "not a readable workbook: " + e.getMessage())).iterator();
    }
    if (read == null) {
      return List.of(fileRow(file, ReasonCode.UNREADABLE_FILE, "the workbook has no sheet '" + wanted + "'; its sheets are " + names)).iterator();
    }
    if (names.size() > 1) {
      String sheet = read;
      log.info("{}: read sheet '{}', ignored the other sheets {}", file, sheet, names.stream().filter(n -> !n.equals(sheet)).toList());
    }
    fillMerged(cells, merged);
    return rows(cells, file).iterator();
  }

  private List<Row> rows(TreeMap<Integer, String[]> cells, String file) {
    List<Row> rows = new ArrayList<>();
    HeaderMapping header = descriptor.format().hasHeader() ? mapping(cells.containsKey(0) ? cells.remove(0) : new String[0]) : mapping(null);
    cells.forEach((rowNum, values) -> {
      int length = values.length;
      while (length > 0 && (values[length - 1] == null || values[length - 1].isBlank())) {
        length--;
      }
      if (length == 0) {
        return;
      }
      String error = length > header.width() ? RawColumns.parseError(ReasonCode.UNPARSEABLE_LINE,
          "a value in column " + length + ", right of the last of " + header.width() + " columns") : null;
      rows.add(row(Arrays.copyOf(values, Math.max(length, header.width())), header, file, rowNum + 1L, error,
          String.join("\t", Arrays.stream(values, 0, length).map(String::valueOf).toList())));
    });
    return rows;
  }

  /** Gives each merged range's top-left value to the other cells of the range. */
  private static void fillMerged(TreeMap<Integer, String[]> cells, List<CellRangeAddress> merged) {
    for (CellRangeAddress range : merged) {
      String[] top = cells.get(range.getFirstRow());
      String value = top == null || top.length <= range.getFirstColumn() ? null : top[range.getFirstColumn()];
      if (value == null) {
        continue;
      }
      for (int r = range.getFirstRow(); r <= range.getLastRow(); r++) {
        String[] row = cells.get(r);
        if (row == null) {
          continue;
        }
        if (row.length <= range.getLastColumn()) {
          row = Arrays.copyOf(row, range.getLastColumn() + 1);
          cells.put(r, row);
        }
        for (int c = range.getFirstColumn(); c <= range.getLastColumn(); c++) {
          if (row[c] == null) {
            row[c] = value;
          }
        }
      }
    }
  }

  /** Passes the sheet on to POI's handler, noting the merged ranges listed after the cells. */
  private static final class MergedCells extends XMLFilterImpl {
    private final List<CellRangeAddress> merged;

    MergedCells(List<CellRangeAddress> merged) throws SAXException, javax.xml.parsers.ParserConfigurationException {
      super(SAXHelper.newXMLReader());
      this.merged = merged;
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
      if ("mergeCell".equals(localName) && atts.getValue("ref") != null) {
        merged.add(CellRangeAddress.valueOf(atts.getValue("ref")));
      }
      super.startElement(uri, localName, qName, atts);
    }
  }

  /** The cells of each row, by sheet row index, up to the row's last value. */
  private static final class Collector implements XSSFSheetXMLHandler.SheetContentsHandler {
    private final TreeMap<Integer, String[]> cells;
    private final List<String> row = new ArrayList<>();

    Collector(TreeMap<Integer, String[]> cells) {
      this.cells = cells;
    }

    @Override
    public void startRow(int rowNum) {
      row.clear();
    }

    @Override
    public void endRow(int rowNum) {
      cells.put(rowNum, row.toArray(String[]::new));
    }

    @Override
    public void cell(String reference, String value, XSSFComment comment) {
      int column = new CellReference(reference).getCol();
      while (row.size() < column) {
        row.add(null);
      }
      row.add(value);
    }
  }

  /**
   * Formats cells as Excel shows them, except dates, which stay serial numbers, and numbers, which
   * are written in the feed's {@code format.decimal_separator} (1,234.5 or 1.234,5), never in the
   * machine's locale.
   */
  private static final class SerialDates extends DataFormatter {
    SerialDates(char decimalSeparator) {
      super(decimalSeparator == ',' ? Locale.GERMANY : Locale.US);
    }

    @Override
    public String formatRawCellContents(double value, int formatIndex, String formatString) {
      if (DateUtil.isADateFormat(formatIndex, formatString)) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
      }
      return super.formatRawCellContents(value, formatIndex, formatString);
    }
  }
}
