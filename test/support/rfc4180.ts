/**
 * A strict RFC 4180 reader for tests: records end with CRLF, a bare CR or LF is only allowed
 * inside a quoted field, a quote inside an unquoted field or anything but a comma or CRLF
 * after a closing quote is an error, and every record has the same number of fields.
 */
export function parseRfc4180(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`not RFC 4180 at offset ${i} (record ${records.length + 1}): ${what}`);
  };
  const endRecord = () => {
    if (records.length && record.length !== records[0]!.length)
      fail(`${record.length} fields, the first record has ${records[0]!.length}`);
    records.push(record);
    record = [];
  };
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= text.length) fail('unterminated quoted field');
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        field += c;
        i += 1;
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') fail('quote inside an unquoted field');
        field += text[i];
        i += 1;
      }
    }
    record.push(field);
    if (i >= text.length) fail('the last record does not end with CRLF');
    if (text[i] === ',') {
      i += 1;
      if (i >= text.length) fail('a comma ends the file');
      continue;
    }
    if (text[i] === '\r' && text[i + 1] === '\n') {
      i += 2;
      endRecord();
      continue;
    }
    fail(`unexpected ${JSON.stringify(text[i])} after a field`);
  }
  return records;
}
