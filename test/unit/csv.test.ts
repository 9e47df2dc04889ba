import { csvField, csvRecord, neutraliseFormula, toCsv, UTF8_BOM } from '../../src/domain/csv';
import { parseRfc4180 } from '../support/rfc4180';

describe('CSV writer', () => {
  it('quotes a field only when it holds a quote, comma, CR or LF, doubling its quotes', () => {
    expect(csvField('ACME')).toBe('ACME');
    expect(csvField('ACME, Inc')).toBe('"ACME, Inc"');
    expect(csvField('the "best"')).toBe('"the ""best"""');
    expect(csvField('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvField('a\rb')).toBe('"a\rb"');
    expect(csvField('')).toBe('');
  });

  it('ends every record with CRLF', () => {
    expect(csvRecord(['a', null, 'c'])).toBe('a,,c\r\n');
  });

  it.each(['=HYPERLINK("http://x","y")', '+1+2', '-2+3+cmd|calc', '@SUM(A1)', '\t=1+1', '\tcalc'])(
    'defuses the formula-looking cell %j with a leading quote',
    (cell) => {
      expect(neutraliseFormula(cell)).toBe(`'${cell}`);
    },
  );

  it.each([
    [' =1+1', 'a leading space'],
    ['   @SUM(A1)', 'several leading spaces'],
    ['\u00A0+cmd|calc', 'a leading no-break space'],
    ['\u3000-2+3', 'a leading ideographic space'],
    ['\uFF1DHYPERLINK("http://x")', 'a fullwidth equals sign'],
    ['\uFF0B1+2', 'a fullwidth plus sign'],
    ['\uFF0D2+3', 'a fullwidth minus sign'],
    ['\uFF20SUM(A1)', 'a fullwidth at sign'],
    [' \uFF1D1+1', 'a space, then a fullwidth equals sign'],
  ])('defuses %j (%s) with a leading quote', (cell) => {
    expect(neutraliseFormula(cell)).toBe(`'${cell}`);
  });

  it.each([
    ['ACME\n=cmd|calc', "ACME\n'=cmd|calc"],
    ['ACME\r\n+1+2', "ACME\r\n'+1+2"],
    ['ACME\r@SUM(A1)', "ACME\r'@SUM(A1)"],
    ['ACME\n  -2+3', "ACME\n'  -2+3"],
    ['ACME\n\uFF20SUM(A1)', "ACME\n'\uFF20SUM(A1)"],
    ['=1+1\n=2+2', "'=1+1\n'=2+2"],
    ['\r=1+1', "'\r'=1+1"],
  ])('defuses every line of %j that starts a formula after a line break', (cell, defused) => {
    expect(neutraliseFormula(cell)).toBe(defused);
  });

  it('leaves a line break followed by ordinary text or a plain number alone', () => {
    expect(neutraliseFormula('line 1\nline 2')).toBe('line 1\nline 2');
    expect(neutraliseFormula('total\n-12.50')).toBe('total\n-12.50');
    expect(neutraliseFormula('a = b\r\nc')).toBe('a = b\r\nc');
  });

  it('leaves plain numbers (negative ones too) and ordinary text alone', () => {
    expect(neutraliseFormula('-12.50')).toBe('-12.50');
    expect(neutraliseFormula('+7')).toBe('+7');
    expect(neutraliseFormula(' -3')).toBe(' -3');
    expect(neutraliseFormula('1234.56')).toBe('1234.56');
    expect(neutraliseFormula('ACME = best')).toBe('ACME = best');
    expect(neutraliseFormula('')).toBe('');
  });

  it('writes a file that a strict RFC 4180 reader reads back exactly, after the BOM', () => {
    const header = ['Name', 'Company', 'Note'];
    const rows = [
      ['Évora "Ltd"', 'Smith, Jones & Co', 'two\r\nlines'],
      ['شركة الخليج', '<!channel> Evil & Co', '=cmd|calc'],
      ['株式会社', null, 'plain'],
    ];
    const text = toCsv(header, rows);
    expect(text.startsWith(UTF8_BOM)).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseRfc4180(text.slice(UTF8_BOM.length))).toEqual([
      header,
      ['Évora "Ltd"', 'Smith, Jones & Co', 'two\r\nlines'],
      ['شركة الخليج', '<!channel> Evil & Co', "'=cmd|calc"],
      ['株式会社', '', 'plain'],
    ]);
  });

  it('refuses a row whose width differs from the header', () => {
    expect(() => toCsv(['a', 'b'], [['1']])).toThrow('CSV row has 1 fields; the header has 2');
  });
});

describe('the strict RFC 4180 reader used by these tests', () => {
  it('rejects what a lax writer produces', () => {
    expect(() => parseRfc4180('a,b\n')).toThrow(/unexpected "\\n"/);
    expect(() => parseRfc4180('a,b')).toThrow(/does not end with CRLF/);
    expect(() => parseRfc4180('a"b,c\r\n')).toThrow(/quote inside an unquoted field/);
    expect(() => parseRfc4180('"a"b,c\r\n')).toThrow(/unexpected "b"/);
    expect(() => parseRfc4180('a,b\r\nc\r\n')).toThrow(/1 fields, the first record has 2/);
  });
});
