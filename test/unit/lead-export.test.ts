import { UTF8_BOM } from '../../src/domain/csv';
import {
  describeExport,
  ExportRequestError,
  exportFileName,
  exportScopeFor,
  type LeadExportRow,
  leadExportCsv,
  minorToDecimal,
  parseExportRequest,
} from '../../src/domain/lead-export';
import { parseRfc4180 } from '../support/rfc4180';

const labels = { negotiation: 'Talks', active_account: 'حساب نشط' };

describe('/crm export arguments', () => {
  it.each([
    ['', { kind: 'all' }],
    ['mine', { kind: 'mine' }],
    ['MINE', { kind: 'mine' }],
    ['stage negotiation', { kind: 'stage', stage: 'negotiation' }],
    ['stage Talks', { kind: 'stage', stage: 'negotiation' }],
    ['stage trial order', { kind: 'stage', stage: 'trial_order' }],
    ['stage Trial_Order', { kind: 'stage', stage: 'trial_order' }],
    ['stage حساب نشط', { kind: 'stage', stage: 'active_account' }],
    ['uncontacted', { kind: 'uncontacted', days: 90 }],
    ['uncontacted 30', { kind: 'uncontacted', days: 30 }],
  ])('reads %j', (args, filter) => {
    expect(parseExportRequest(args, labels)).toEqual(filter);
  });

  it.each([
    ['stage', 'Say which stage: Lead, Contacted, Talks, Trial Order, حساب نشط, Churned.'],
    ['stage bogus', '“bogus” is not a stage. Stages: Lead, Contacted, Talks, Trial Order, حساب نشط, Churned.'],
    ['uncontacted 0', '“0” is not a number of days from 1 to 3650.'],
    ['uncontacted 5000', '“5000” is not a number of days from 1 to 3650.'],
    ['uncontacted soon', '“soon” is not a number of days from 1 to 3650.'],
    ['mine please', '`mine` takes nothing after it.'],
    ['everything', '“everything” is not something to export.'],
  ])('explains what is wrong with %j', (args, message) => {
    expect(() => parseExportRequest(args, labels)).toThrow(new ExportRequestError(message));
  });
});

describe('who exports what', () => {
  it('gives managers and admins every lead and account managers the leads they own', () => {
    expect(exportScopeFor('manager', 'U1')).toEqual({ ownerId: null });
    expect(exportScopeFor('admin', 'U1')).toEqual({ ownerId: null });
    expect(exportScopeFor('account_manager', 'U1')).toEqual({ ownerId: 'U1' });
  });

  it('describes the export for the reply and the audit list', () => {
    expect(describeExport({ kind: 'all' }, { ownerId: null }, labels)).toBe('all leads');
    expect(describeExport({ kind: 'all' }, { ownerId: 'U1' }, labels)).toBe('all leads (own leads only)');
    expect(describeExport({ kind: 'stage', stage: 'negotiation' }, { ownerId: null }, labels)).toBe('stage Talks');
    expect(describeExport({ kind: 'mine' }, { ownerId: 'U1' }, labels)).toBe('own leads');
    expect(describeExport({ kind: 'uncontacted', days: 30 }, { ownerId: null }, labels)).toBe(
      'uncontacted, ordered in the last 30 days',
    );
    expect(exportFileName({ kind: 'stage', stage: 'trial_order' }, '2026-11-30')).toBe(
      'crm-leads-stage-trial-order-2026-11-30.csv',
    );
    expect(exportFileName({ kind: 'uncontacted', days: 30 }, '2026-11-30')).toBe(
      'crm-leads-uncontacted-30d-2026-11-30.csv',
    );
  });
});

describe('lead export CSV', () => {
  it('writes money exactly in the currency’s decimals, with no grouping', () => {
    expect(minorToDecimal(123_456_789n, 2)).toBe('1234567.89');
    expect(minorToDecimal(5n, 2)).toBe('0.05');
    expect(minorToDecimal(-1_250n, 2)).toBe('-12.50');
    expect(minorToDecimal(12_345n, 3)).toBe('12.345');
    expect(minorToDecimal(0n, 2)).toBe('0.00');
    expect(minorToDecimal(77n, 0)).toBe('77');
  });

  it('has a column per currency bought, dates in the reader’s zone, and reads back exactly', () => {
    const rows: LeadExportRow[] = [
      {
        customerId: 'c-1',
        name: 'Smith, "Jr" & Sons',
        company: 'Line one\nLine two',
        stage: 'negotiation',
        ownerId: 'U0AM1',
        markets: ['AE', 'KW'],
        lifetimeUsdCents: 1_234_567_89n,
        unknownCurrencies: ['XYZ'],
        totals: [
          { currency: 'AED', minor: 100_050n },
          { currency: 'KWD', minor: 1_234_567n },
        ],
        lastOrderAt: new Date('2026-11-20T21:30:00Z'),
        lastTouchAt: null,
        nextFollowUpAt: new Date('2026-12-01T05:00:00Z'),
      },
      {
        customerId: 'c-2',
        name: '=HYPERLINK("http://evil.example","click")',
        company: null,
        stage: 'active_account',
        ownerId: null,
        markets: ['SA'],
        lifetimeUsdCents: -5_00n,
        unknownCurrencies: [],
        totals: [{ currency: 'SAR', minor: -1_875n }],
        lastOrderAt: null,
        lastTouchAt: new Date('2026-11-29T23:59:00Z'),
        nextFollowUpAt: null,
      },
    ];
    const csv = leadExportCsv(rows, {
      stageLabels: labels,
      timeZone: 'Asia/Dubai',
      ownerNames: new Map([['U0AM1', 'Aïsha']]),
    });
    expect(csv.startsWith(UTF8_BOM)).toBe(true);
    expect(parseRfc4180(csv.slice(1))).toEqual([
      [
        'Customer ID',
        'Name',
        'Company',
        'Stage',
        'Owner',
        'Owner Slack ID',
        'Markets',
        'Lifetime USD',
        'Not converted to USD',
        'Lifetime AED',
        'Lifetime KWD',
        'Lifetime SAR',
        'Last order (Asia/Dubai)',
        'Last touch (Asia/Dubai)',
        'Next follow-up (Asia/Dubai)',
      ],
      [
        'c-1',
        'Smith, "Jr" & Sons',
        'Line one\nLine two',
        'Talks',
        'Aïsha',
        'U0AM1',
        'AE, KW',
        '1234567.89',
        'XYZ',
        '1000.50',
        '1234.567',
        '',
        '2026-11-21 01:30',
        '',
        '2026-12-01 09:00',
      ],
      [
        'c-2',
        `'=HYPERLINK("http://evil.example","click")`,
        '',
        'حساب نشط',
        '',
        '',
        'SA',
        '-5.00',
        '',
        '',
        '',
        '-18.75',
        '',
        '2026-11-30 03:59',
        '',
      ],
    ]);
  });
});
