package org.agrifusion.pipelines.source;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.agrifusion.pipelines.spark.SerializableHadoopConf;
import org.apache.poi.ooxml.util.SAXHelper;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.DateUtil;
import org.apache.poi.ss.util.CellReference;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.apache.spark.sql.Row;
import org.xml.sax.InputSource;
import org.xml.sax.XMLReader;

/**
 * Excel workbooks (.xlsx), one sheet (the first, or {@code format.sheet} by name), parsed with POI's
 * event API rather than the workbook model; the sheet's rows are held in memory while the task reads
 * them, which Excel's own limit (about a million rows) keeps bounded. Feeds larger than that come as
 * CSV or JSON Lines, which are streamed. Cells formatted as dates are passed on as
 * their serial number, so descriptors read them with the {@code excel-serial} date format and the
 * result never depends on the locale of whoever formatted the sheet.
 */
final class XlsxFileReader extends LandedFileReader {

  XlsxFileReader(SourceDescriptor descriptor, SerializableHadoopConf conf, PersonalDataGuard guard) {
    super(descriptor, conf, guard);
  }

  @Override
  Iterator<Row> read(InputStream in, String file) throws IOException {
    List<Row> rows = new ArrayList<>();
    try (in; OPCPackage pkg = OPCPackage.open(in)) {
      XSSFReader reader = new XSSFReader(pkg);
      XSSFReader.SheetIterator sheets = (XSSFReader.SheetIterator) reader.getSheetsData();
      String wanted = descriptor.format().sheet();
      while (sheets.hasNext()) {
        try (InputStream sheet = sheets.next()) {
          if (wanted != null && !wanted.equals(sheets.getSheetName())) {
            continue;
          }
          XMLReader parser = SAXHelper.newXMLReader();
          parser.setContentHandler(new XSSFSheetXMLHandler(reader.getStylesTable(), null,
              new ReadOnlySharedStringsTable(pkg), new Collector(file, rows), new SerialDates(), false));
          parser.parse(new InputSource(sheet));
          return rows.iterator();
        }
      }
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("cannot read workbook " + file + ": " + e.getMessage(), e);
    }
    throw new IOException("workbook " + file + " has no sheet " + (descriptor.format().sheet() == null ? "" : "'" + descriptor.format().sheet() + "'"));
  }

  /** Collects the cells of each row into the declared columns by position. */
  private final class Collector implements XSSFSheetXMLHandler.SheetContentsHandler {
    private final String file;
    private final List<Row> rows;
    private final int width = descriptor.columns().size();
    private String[] cells;
    private int maxColumn;
    private String headerError;
    private final List<String> headerCells = new ArrayList<>();

    Collector(String file, List<Row> rows) {
      this.file = file;
      this.rows = rows;
    }

    @Override
    public void startRow(int rowNum) {
      cells = new String[width];
      maxColumn = -1;
    }

    @Override
    public void endRow(int rowNum) {
      boolean blank = Arrays.stream(cells).allMatch(c -> c == null || c.isBlank()) && maxColumn < width;
      if (rowNum == 0 && descriptor.format().hasHeader()) {
        headerError = headerProblem(headerCells.toArray(String[]::new));
        return;
      }
      if (blank) {
        return;
      }
      String error = headerError != null ? headerError
          : maxColumn >= width ? "expected " + width + " columns, found a value in column " + (maxColumn + 1) : null;
      rows.add(row(cells, file, rowNum + 1L, error, error == null ? null : String.join("\t", Arrays.stream(cells).map(String::valueOf).toList())));
    }

    @Override
    public void cell(String reference, String value, XSSFComment comment) {
      int column = new CellReference(reference).getCol();
      if (new CellReference(reference).getRow() == 0) {
        while (headerCells.size() < column) {
          headerCells.add("");
        }
        headerCells.add(value);
      }
      maxColumn = Math.max(maxColumn, column);
      if (column < width) {
        cells[column] = value;
      }
    }
  }

  /** Formats cells as Excel shows them, except dates, which stay serial numbers. */
  private static final class SerialDates extends DataFormatter {
    @Override
    public String formatRawCellContents(double value, int formatIndex, String formatString) {
      if (DateUtil.isADateFormat(formatIndex, formatString)) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
      }
      return super.formatRawCellContents(value, formatIndex, formatString);
    }
  }
}
