/**
 * A CSV writer for files people open in spreadsheets: RFC 4180 (CRLF after every record;
 * a field holding `"`, `,`, CR or LF is quoted, its quotes doubled), UTF-8 with a byte order
 * mark so Excel reads non-Latin names, and text cells defused against formula injection.
 */

/** The UTF-8 byte order mark: without it Excel opens a CSV in the legacy code page. */
export const UTF8_BOM = '\uFEFF';

/**
 * A spreadsheet runs a cell starting with one of these as a formula (or, for tab and CR,
 * strips the character and then does). OWASP's advice: prefix such a cell with a single quote.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A plain decimal number ("-12.50") starts with `-` but cannot be a formula; it stays a number. */
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

export function neutraliseFormula(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** One field, quoted when RFC 4180 requires it. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One record (CRLF-terminated); null and undefined are empty cells; every cell is defused. */
export function csvRecord(cells: ReadonlyArray<string | null | undefined>): string {
  return `${cells.map((c) => csvField(neutraliseFormula(c ?? ''))).join(',')}\r\n`;
}

/** A whole file: BOM, header, rows. Every record has the header's number of fields. */
export function toCsv(header: readonly string[], rows: Iterable<ReadonlyArray<string | null | undefined>>): string {
  const parts = [UTF8_BOM, csvRecord(header)];
  for (const row of rows) {
    if (row.length !== header.length)
      throw new Error(`CSV row has ${row.length} fields; the header has ${header.length}`);
    parts.push(csvRecord(row));
  }
  return parts.join('');
}
