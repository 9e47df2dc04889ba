import {
  buildRateTable,
  currencyExponent,
  decimalToMinor,
  decimalToUsd,
  distinctRates,
  divideRoundHalfAwayFromZero,
  formatAmount,
  formatMinor,
  formatRateUsed,
  formatUsd,
  formatUsdRate,
  formatUsdSum,
  MoneyError,
  makeUsdRate,
  minorToUsdCents,
  normaliseDecimalText,
  parseAmount,
  rateProblem,
  ratesUsed,
  sumAmounts,
  sumUsd,
  toUsd,
  type UsdConversion,
} from '../../src/common/money';
import { DEFAULT_RATES_DATE, defaultRateTable } from '../../src/domain/rates';

const rates = defaultRateTable();
const cents = (c: UsdConversion): bigint => {
  if (c.kind !== 'usd') throw new Error(`expected a USD amount, got unknown ${c.currency}`);
  return c.usdCents;
};

describe('ISO 4217 exponents', () => {
  it('knows the 11 market currencies, three of them with 3 decimals', () => {
    expect(['AED', 'SAR', 'QAR', 'EGP', 'INR', 'PKR', 'LKR', 'USD'].map(currencyExponent)).toEqual([
      2, 2, 2, 2, 2, 2, 2, 2,
    ]);
    expect(['KWD', 'BHD', 'OMR'].map(currencyExponent)).toEqual([3, 3, 3]);
    expect(currencyExponent('JPY')).toBe(0);
    expect(currencyExponent('XYZ')).toBeUndefined();
  });

  it("knows the rest of ISO 4217 by its exponents (not a locale's display decimals), so an admin can add any of them", () => {
    expect(['GBP', 'EUR', 'PKR', 'IDR', 'ZWG', 'XCG'].map(currencyExponent)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(['JPY', 'KRW', 'CLP', 'XOF'].map(currencyExponent)).toEqual([0, 0, 0, 0]);
    expect(['JOD', 'IQD', 'TND', 'LYD'].map(currencyExponent)).toEqual([3, 3, 3, 3]);
    expect(['CLF', 'UYW'].map(currencyExponent)).toEqual([4, 4]);
    // No minor unit in the standard: gold and the SDR are not sales currencies.
    expect(['XAU', 'XDR', 'gbp', 'GB'].map(currencyExponent)).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describe('decimal strings to minor units', () => {
  it.each([
    ['1234.567', 'KWD', 1234567n],
    ['0.001', 'BHD', 1n],
    ['0.1', 'OMR', 100n],
    ['7', 'OMR', 7000n],
    ['12.3400', 'USD', 1234n],
    ['-5.5', 'AED', -550n],
    ['+5.5', 'AED', 550n],
    ['0', 'USD', 0n],
    ['-0.00', 'USD', 0n],
    ['99999999999999999.99', 'USD', 9999999999999999999n],
    ['1000', 'JPY', 1000n],
  ])('%s %s -> %s', (text, currency, minor) => {
    expect(decimalToMinor(text, currencyExponent(currency)!)).toBe(minor);
  });

  it('refuses more decimals than the currency has instead of rounding silently', () => {
    expect(() => decimalToMinor('12.345', 2)).toThrow(MoneyError);
    expect(() => decimalToMinor('1.2345', 3)).toThrow(/more than 3 decimals/);
    expect(() => decimalToMinor('1.5', 0)).toThrow(/more than 0 decimals/);
  });

  it.each(['1e3', '1,234.00', '.5', '5.', '', ' 1', '1 ', 'abc', '--1', '0x10', 'NaN', 'Infinity'])(
    'refuses %j',
    (text) => {
      expect(() => decimalToMinor(text, 2)).toThrow(expect.objectContaining({ code: 'invalid_decimal' }));
    },
  );

  it('reads an unknown currency as a marked result, not as an error, zero or USD', () => {
    const parsed = parseAmount('12.5', 'XYZ');
    expect(parsed).toEqual({ kind: 'unknown_currency', currency: 'XYZ', decimal: { units: 125n, scale: 1 } });
    expect(toUsd(parsed, rates)).toEqual({ kind: 'unknown_currency', currency: 'XYZ' });
  });
});

describe('conversion to USD cents', () => {
  it('converts three-decimal currencies exactly at the default rates', () => {
    // 1234.567 KWD × 3.26 = 4024.68842 USD -> 402469 cents
    expect(cents(decimalToUsd('1234.567', 'KWD', rates))).toBe(402469n);
    // 100.000 OMR × 2.6008 = 260.08 USD exactly
    expect(cents(decimalToUsd('100.000', 'OMR', rates))).toBe(26008n);
    // 0.001 BHD × 2.6596 = 0.0026596 USD = 0.26596 cents -> 0
    expect(cents(decimalToUsd('0.001', 'BHD', rates))).toBe(0n);
    // 0.002 BHD = 0.53192 cents -> 1
    expect(cents(decimalToUsd('0.002', 'BHD', rates))).toBe(1n);
  });

  it('rounds half up, and halves of negatives away from zero', () => {
    const half = makeUsdRate('AED', '0.5', DEFAULT_RATES_DATE);
    // 0.01 AED × 0.5 = 0.5 cent exactly
    expect(minorToUsdCents(1n, 2, half)).toBe(1n);
    expect(minorToUsdCents(-1n, 2, half)).toBe(-1n);
    expect(minorToUsdCents(3n, 2, half)).toBe(2n); // 1.5 -> 2
    expect(minorToUsdCents(5n, 2, half)).toBe(3n); // 2.5 -> 3 (not banker's 2)
    expect(minorToUsdCents(-5n, 2, half)).toBe(-3n);
    // x.xx5 in USD: 0.005 KWD at 1 USD per unit is 0.5 cent
    const one = makeUsdRate('KWD', '1', DEFAULT_RATES_DATE);
    expect(minorToUsdCents(5n, 3, one)).toBe(1n); // 0.005 -> 0.01
    expect(minorToUsdCents(4n, 3, one)).toBe(0n); // 0.004 -> 0.00
    expect(minorToUsdCents(1235n, 3, one)).toBe(124n); // 1.235 -> 1.24
    expect(minorToUsdCents(-1235n, 3, one)).toBe(-124n);
    // just below a half stays down
    expect(minorToUsdCents(1n, 2, makeUsdRate('AED', '0.4999', DEFAULT_RATES_DATE))).toBe(0n);
  });

  it('rounds the exact product once (no float drift)', () => {
    // 0.1 + 0.2 in float is 0.30000000000000004; here each is exact.
    expect(cents(decimalToUsd('0.10', 'USD', rates)) + cents(decimalToUsd('0.20', 'USD', rates))).toBe(30n);
    // 1.005 × 100 is 100.49999999999999 in float, so float code rounds it to 1.00
    const one = makeUsdRate('OMR', '1', DEFAULT_RATES_DATE);
    expect(minorToUsdCents(1005n, 3, one)).toBe(101n);
  });

  it('makes a refund exactly cancel its order', () => {
    for (const [text, currency] of [
      ['1234.567', 'KWD'],
      ['0.05', 'PKR'],
      ['19.99', 'INR'],
      ['0.333', 'BHD'],
    ] as const) {
      const order = cents(decimalToUsd(text, currency, rates));
      const refund = cents(decimalToUsd(`-${text}`, currency, rates));
      expect(order + refund).toBe(0n);
    }
  });

  it('handles zero', () => {
    expect(cents(decimalToUsd('0.000', 'KWD', rates))).toBe(0n);
    expect(formatUsd(cents(decimalToUsd('0', 'USD', rates)))).toBe('$0.00');
  });

  it('carries the rate and its date with every USD figure', () => {
    expect(decimalToUsd('10.00', 'AED', rates)).toEqual({
      kind: 'usd',
      usdCents: 272n,
      currency: 'AED',
      usdPerUnit: '0.2723',
      rateDate: DEFAULT_RATES_DATE,
    });
  });

  it('marks a known currency without a rate as unknown, never as USD', () => {
    const onlyUsd = buildRateTable([makeUsdRate('USD', '1', DEFAULT_RATES_DATE)]);
    expect(decimalToUsd('10.00', 'EUR', onlyUsd)).toEqual({ kind: 'unknown_currency', currency: 'EUR' });
  });

  it('divides with half-away-from-zero rounding at the edges', () => {
    expect(divideRoundHalfAwayFromZero(5n, 10n)).toBe(1n);
    expect(divideRoundHalfAwayFromZero(4n, 10n)).toBe(0n);
    expect(divideRoundHalfAwayFromZero(-5n, 10n)).toBe(-1n);
    expect(divideRoundHalfAwayFromZero(-4n, 10n)).toBe(0n);
    expect(divideRoundHalfAwayFromZero(0n, 10n)).toBe(0n);
  });
});

describe('sums', () => {
  it('sums a multi-currency customer in integer cents and names the rate dates', () => {
    const parts = [
      decimalToUsd('1000.00', 'AED', rates),
      decimalToUsd('10.000', 'KWD', rates),
      decimalToUsd('5.00', 'USD', rates),
      decimalToUsd('-1.00', 'USD', rates),
    ];
    const sum = sumUsd(parts);
    // 272.30 + 32.60 + 5.00 - 1.00
    expect(sum).toEqual({
      usdCents: 30890n,
      incomplete: false,
      unknownCurrencies: [],
      rateDates: [DEFAULT_RATES_DATE],
    });
    expect(formatUsdSum(sum)).toBe('$308.90');
  });

  it('flags an unknown currency as incomplete and names it, counting the rest', () => {
    const sum = sumUsd([
      decimalToUsd('10.00', 'USD', rates),
      decimalToUsd('5', 'XYZ', rates),
      decimalToUsd('7', 'ABC', rates),
      decimalToUsd('1', 'XYZ', rates),
    ]);
    expect(sum.usdCents).toBe(1000n);
    expect(sum.incomplete).toBe(true);
    expect(sum.unknownCurrencies).toEqual(['ABC', 'XYZ']);
    expect(formatUsdSum(sum)).toBe('$10.00 (incomplete: no USD rate for ABC, XYZ)');
  });

  it('lists distinct rate dates oldest first', () => {
    const older = new Date('2026-01-01T00:00:00Z');
    const table = buildRateTable([makeUsdRate('USD', '1', DEFAULT_RATES_DATE), makeUsdRate('AED', '0.2723', older)]);
    expect(sumUsd([decimalToUsd('1', 'USD', table), decimalToUsd('1', 'AED', table)]).rateDates).toEqual(
      [DEFAULT_RATES_DATE, older].sort((a, b) => +a - +b),
    );
  });

  it('sums amounts of one currency exactly, including unknown ones', () => {
    expect(
      sumAmounts('KWD', [parseAmount('0.001', 'KWD'), parseAmount('1.5', 'KWD'), parseAmount('-0.5', 'KWD')]),
    ).toEqual({ kind: 'money', currency: 'KWD', minor: 1001n, exponent: 3 });
    const unknown = sumAmounts('XYZ', [parseAmount('0.1', 'XYZ'), parseAmount('0.25', 'XYZ')]);
    expect(formatAmount(unknown)).toBe('XYZ 0.35');
    expect(() => sumAmounts('KWD', [parseAmount('1', 'USD')])).toThrow(MoneyError);
  });
});

describe('formatting', () => {
  it.each([
    [123456n, '$1,234.56'],
    [-123456n, '-$1,234.56'],
    [0n, '$0.00'],
    [5n, '$0.05'],
    [-5n, '-$0.05'],
    [100n, '$1.00'],
    [100000000000n, '$1,000,000,000.00'],
    [123456, '$1,234.56'],
  ])('formatUsd(%s) = %s', (c, text) => {
    expect(formatUsd(c)).toBe(text);
  });

  it('refuses a non-integer number of cents', () => {
    expect(() => formatUsd(1.5)).toThrow(MoneyError);
  });

  it('formats local amounts with the currency code and its decimals', () => {
    expect(formatMinor(1234567n, 'KWD')).toBe('KWD 1,234.567');
    expect(formatMinor(-50n, 'AED')).toBe('AED -0.50');
    expect(formatMinor(1n, 'OMR')).toBe('OMR 0.001');
    expect(formatMinor(0n, 'BHD')).toBe('BHD 0.000');
    expect(formatMinor(1000n, 'JPY')).toBe('JPY 1,000');
    expect(formatAmount(parseAmount('1234.5', 'XYZ'))).toBe('XYZ 1,234.5');
  });
});

describe('rates as text', () => {
  it.each([
    ['0.2723', null],
    ['3.26', null],
    ['1', null],
    ['0.000000000001', null],
    ['0', 'must be greater than zero'],
    ['-1', 'must be greater than zero'],
    ['abc', 'must be a plain decimal number such as 0.2723'],
    ['1e-3', 'must be a plain decimal number such as 0.2723'],
    ['0.0000000000001', 'may have at most 12 decimals'],
    ['100001', 'must be at most 100000 USD per unit'],
  ])('rateProblem(%j) = %j', (text, problem) => {
    expect(rateProblem(text)).toBe(problem);
  });

  it('normalises decimal text', () => {
    expect(normaliseDecimalText('00.27230')).toBe('0.2723');
    expect(normaliseDecimalText('3.00')).toBe('3');
    expect(normaliseDecimalText('+1.5')).toBe('1.5');
    expect(normaliseDecimalText('-0.0')).toBe('0');
  });
});

describe('the rates behind a figure, shown exactly', () => {
  it.each([
    ['KWD', '3.26', '1 KWD = $3.2600'],
    ['AED', '0.2723', '1 AED = $0.2723'],
    ['PKR', '0.00355', '1 PKR = $0.00355'],
    ['LKR', '0.000000000001', '1 LKR = $0.000000000001'],
    ['EUR', '1.08', '1 EUR = $1.0800'],
    ['BHD', '2.65957446', '1 BHD = $2.65957446'],
    ['XAU', '2650', '1 XAU = $2650.0000'],
  ])('%s at %s reads %j: every stored digit, never rounded', (currency, usdPerUnit, text) => {
    expect(formatUsdRate({ currency, usdPerUnit })).toBe(text);
  });

  it('a shown rate redoes the conversion to the cent', () => {
    const rate = makeUsdRate('PKR', '0.00355', DEFAULT_RATES_DATE);
    const shown = formatUsdRate(rate).split('$')[1]!;
    // PKR 123,456.78 at the shown rate: 438.2716 -> $438.27, the same as the conversion.
    expect(minorToUsdCents(12345678n, 2, makeUsdRate('PKR', shown, DEFAULT_RATES_DATE))).toBe(
      cents(toUsd(parseAmount('123456.78', 'PKR'), buildRateTable([rate]))),
    );
    expect(formatUsd(minorToUsdCents(12345678n, 2, rate))).toBe('$438.27');
  });

  it('names the date with the rate', () => {
    expect(formatRateUsed({ currency: 'KWD', usdPerUnit: '3.26', rateDate: new Date('2025-11-24T00:00:00Z') })).toBe(
      '1 KWD = $3.2600 (2025-11-24)',
    );
  });

  it('lists each currency once, sorted, leaving out USD at 1 and amounts that were not converted', () => {
    const later = new Date('2026-11-28T00:00:00Z');
    const table = buildRateTable([...defaultRateTable().values(), makeUsdRate('GBP', '1.27', later)]);
    const used = ratesUsed(
      ['10', '5'].flatMap((n) => ['KWD', 'USD', 'GBP', 'XYZ', 'AED'].map((c) => decimalToUsd(n, c, table))),
    );
    expect(used).toEqual([
      { currency: 'AED', usdPerUnit: '0.2723', rateDate: DEFAULT_RATES_DATE },
      { currency: 'GBP', usdPerUnit: '1.27', rateDate: later },
      { currency: 'KWD', usdPerUnit: '3.26', rateDate: DEFAULT_RATES_DATE },
    ]);
    // A USD rate that is not 1 (an admin's choice) is shown: it changes the figures.
    expect(distinctRates([{ currency: 'USD', usdPerUnit: '1.000', rateDate: later }])).toEqual([]);
    expect(distinctRates([{ currency: 'USD', usdPerUnit: '0.99', rateDate: later }])).toEqual([
      { currency: 'USD', usdPerUnit: '0.99', rateDate: later },
    ]);
  });
});
