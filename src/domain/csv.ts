/**
 * A CSV writer for files people open in spreadsheets: RFC 4180 (CRLF after every record;
 * a field holding `"`, `,`, CR or LF is quoted, its quotes doubled), UTF-8 with a byte order
 * mark so Excel reads non-Latin names, and text cells defused against formula injection.
 */

/** The UTF-8 byte order mark: without it Excel opens a CSV in the legacy code page. */
export const UTF8_BOM = '\uFEFF';

/**
 * A spreadsheet runs a cell starting with one of these as a formula, also after leading
 * whitespace it strips first (a space, a no-break space), and Excel reads the fullwidth
 * `＝ ＋ － ＠` as their ASCII twins. Tab and CR at the very start are stripped and then the
 * rest is read. OWASP's advice: prefix such a cell with a single quote.
 */
const FORMULA_START = /^(?:[\t\r]|[^\S\r\n]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

/** A plain decimal number ("-12.50") starts with `-` but cannot be a formula; it stays a number. */
const PLAIN_NUMBER = /^[^\S\r\n]*[+-]?\d+(\.\d+)?[^\S\r\n]*$/;

/** A line break and the line after it: each line of a multi-line cell is checked on its own. */
const LINE_AFTER_BREAK = /(\r\n|\r|\n)([^\r\n]*)/g;

function looksLikeFormula(line: string): boolean {
  return FORMULA_START.test(line) && !PLAIN_NUMBER.test(line);
}

/**
 * Defuses a cell's start and every line after a line break: a tool that splits a multi-line
 * cell into lines (or a paste into a sheet) reads each line as a cell of its own.
 */
export function neutraliseFormula(value: string): string {
  const defused = value.replace(LINE_AFTER_BREAK, (whole, lineBreak: string, line: string) =>
    looksLikeFormula(line) ? `${lineBreak}'${line}` : whole,
  );
  const firstLine = /^[^\r\n]*/.exec(value)?.[0] ?? '';
  return value.startsWith('\r') || looksLikeFormula(firstLine) ? `'${defused}` : defused;
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
