import type { StageSlug } from '../common/stages';

/**
 * A small, made-up B2B book for `npm run preview`: fourteen customers over the eleven
 * markets, orders in their own currencies (KWD with three decimals, PKR with tiny rates),
 * one customer whose name tries to ping the channel, and one who also buys in GBP, a
 * currency with no rate, so its figures show as incomplete. Nothing here is real; e-mail
 * addresses use the reserved `.example` domain.
 */

/** The people: Slack user ids as they would appear in a workspace. */
export const DEMO_USERS = {
  admin: 'U0DEMOADM1',
  manager: 'U0DEMOMGR1',
  accountManager: 'U0DEMOAM01',
  otherAccountManager: 'U0DEMOAM02',
  /** Not on the roster: sees the no-access Home. */
  stranger: 'U0DEMOXXX1',
} as const;

/** How the people and channels read in the pictures, where Slack would show their names. */
export const DEMO_NAMES = {
  users: {
    U0DEMOADM1: 'Amira Haddad',
    U0DEMOMGR1: 'Omar Khalil',
    U0DEMOAM01: 'Sara Nair',
    U0DEMOAM02: 'Yusuf Rahman',
    U0DEMOXXX1: 'Guest',
  } as Record<string, string>,
  channels: { C0DEMODIG1: 'sales-digest', C0DEMOSAL1: 'sales' } as Record<string, string>,
};

export const DEMO_TIME_ZONE = 'Asia/Dubai';
export const DEMO_DIGEST_CHANNEL = 'C0DEMODIG1';
export const DEMO_TEAM_ID = 'T0DEMO0001';
export const DEMO_APP_ID = 'A0DEMO0001';

/** "Now" for every preview: a Monday, 10:00 in Dubai, two hours after the weekly digest. */
export const DEMO_NOW = new Date('2026-11-30T06:00:00Z');

export interface DemoCustomer {
  customerId: string;
  name: string;
  company: string | null;
  email: string | null;
  phone: string | null;
  /** When production first had it: customers first seen after the first sync arrive with the second. */
  firstSync: 1 | 2;
}

/** One order as the Orders card returns it. */
export interface DemoOrder {
  customerId: string;
  orderId: string;
  createdAt: string;
  market: string;
  currency: string;
  /** Exact decimal, as production stores it. */
  total: string;
  status: string;
}

export const DEMO_CUSTOMERS: DemoCustomer[] = [
  {
    customerId: 'C-1001',
    name: '<!channel> Evil & Co',
    company: 'Evil & Co Trading LLC',
    email: 'buying@evil.example',
    phone: '+971 4 555 0101',
    firstSync: 1,
  },
  {
    customerId: 'C-1002',
    name: 'Al Noor Trading',
    company: 'Al Noor Trading LLC',
    email: 'orders@alnoor.example',
    phone: '+971 4 555 0102',
    firstSync: 1,
  },
  {
    customerId: 'C-1003',
    name: 'Gulf Star Foods',
    company: null,
    email: 'procurement@gulfstar.example',
    phone: null,
    firstSync: 1,
  },
  {
    customerId: 'C-1004',
    name: 'Kuwait Build Supplies',
    company: 'KBS Holding',
    email: 'kbs@kbs.example',
    phone: '+965 2 555 0104',
    firstSync: 1,
  },
  {
    customerId: 'C-1005',
    name: 'Doha Hospitality Group',
    company: null,
    email: 'supply@dohahg.example',
    phone: null,
    firstSync: 1,
  },
  {
    customerId: 'C-1006',
    name: 'Manama Marine',
    company: 'Manama Marine W.L.L.',
    email: null,
    phone: '+973 1 555 0106',
    firstSync: 1,
  },
  {
    customerId: 'C-1007',
    name: 'Muscat Medical',
    company: null,
    email: 'buyer@muscatmed.example',
    phone: null,
    firstSync: 1,
  },
  {
    customerId: 'C-1008',
    name: 'Cairo Textiles',
    company: 'Cairo Textiles S.A.E.',
    email: 'import@cairotex.example',
    phone: null,
    firstSync: 1,
  },
  {
    customerId: 'C-1009',
    name: 'Mumbai Spice Exports',
    company: null,
    email: 'trade@mumbaispice.example',
    phone: '+91 22 5550 0109',
    firstSync: 1,
  },
  {
    customerId: 'C-1010',
    name: 'Lahore Leather Works',
    company: null,
    email: 'sales@lahoreleather.example',
    phone: null,
    firstSync: 1,
  },
  {
    customerId: 'C-1011',
    name: 'Colombo Tea Traders',
    company: 'Colombo Tea Traders (Pvt) Ltd',
    email: null,
    phone: null,
    firstSync: 1,
  },
  {
    customerId: 'C-1012',
    name: 'Atlantic Partners',
    company: 'Atlantic Partners Inc.',
    email: 'ap@atlantic.example',
    phone: null,
    firstSync: 1,
  },
  {
    customerId: 'C-1013',
    name: 'Riyadh Retail Co',
    company: null,
    email: 'buy@riyadhretail.example',
    phone: null,
    firstSync: 2,
  },
  {
    customerId: 'C-1014',
    name: 'Sharjah Steel',
    company: 'Sharjah Steel FZE',
    email: 'steel@sharjah.example',
    phone: null,
    firstSync: 2,
  },
];

/** The lead whose card, order history, modals and follow-up the previews show. */
export const DEMO_FEATURED_CUSTOMER = 'C-1001';

export const DEMO_ORDERS: DemoOrder[] = [
  {
    customerId: 'C-1001',
    orderId: 'SO-24017',
    createdAt: '2026-11-12T07:30:00Z',
    market: 'AE',
    currency: 'AED',
    total: '18450.00',
    status: 'delivered',
  },
  {
    customerId: 'C-1001',
    orderId: 'SO-24102',
    createdAt: '2026-11-19T11:05:00Z',
    market: 'KW',
    currency: 'KWD',
    total: '1234.567',
    status: 'shipped',
  },
  {
    customerId: 'C-1001',
    orderId: 'SO-24188',
    createdAt: '2026-11-26T09:40:00Z',
    market: 'AE',
    currency: 'AED',
    total: '-1200.00',
    status: 'refunded',
  },
  {
    customerId: 'C-1001',
    orderId: 'UK-00311',
    createdAt: '2026-11-27T14:00:00Z',
    market: 'AE',
    currency: 'GBP',
    total: '2500.00',
    status: 'processing',
  },
  {
    customerId: 'C-1002',
    orderId: 'SO-23877',
    createdAt: '2026-10-02T06:00:00Z',
    market: 'AE',
    currency: 'AED',
    total: '96400.00',
    status: 'delivered',
  },
  {
    customerId: 'C-1002',
    orderId: 'SO-24090',
    createdAt: '2026-11-18T08:15:00Z',
    market: 'AE',
    currency: 'AED',
    total: '41250.50',
    status: 'delivered',
  },
  {
    customerId: 'C-1003',
    orderId: 'SA-88120',
    createdAt: '2026-09-21T10:00:00Z',
    market: 'SA',
    currency: 'SAR',
    total: '152000.00',
    status: 'delivered',
  },
  {
    customerId: 'C-1003',
    orderId: 'SA-88544',
    createdAt: '2026-11-03T10:00:00Z',
    market: 'SA',
    currency: 'SAR',
    total: '87500.00',
    status: 'delivered',
  },
  {
    customerId: 'C-1004',
    orderId: 'KW-50211',
    createdAt: '2026-08-14T08:00:00Z',
    market: 'KW',
    currency: 'KWD',
    total: '48250.125',
    status: 'delivered',
  },
  {
    customerId: 'C-1004',
    orderId: 'KW-50390',
    createdAt: '2026-11-10T08:00:00Z',
    market: 'KW',
    currency: 'KWD',
    total: '12999.875',
    status: 'delivered',
  },
  // Ordered again after moving to Trial Order (26 Nov): the CRM suggests Active Account.
  {
    customerId: 'C-1004',
    orderId: 'KW-50412',
    createdAt: '2026-11-28T08:00:00Z',
    market: 'KW',
    currency: 'KWD',
    total: '9800.500',
    status: 'processing',
  },
  {
    customerId: 'C-1005',
    orderId: 'QA-30071',
    createdAt: '2026-10-28T12:00:00Z',
    market: 'QA',
    currency: 'QAR',
    total: '64300.00',
    status: 'delivered',
  },
  {
    customerId: 'C-1006',
    orderId: 'BH-10992',
    createdAt: '2026-11-05T09:30:00Z',
    market: 'BH',
    currency: 'BHD',
    total: '7420.450',
    status: 'delivered',
  },
  {
    customerId: 'C-1007',
    orderId: 'OM-77310',
    createdAt: '2026-09-30T07:00:00Z',
    market: 'OM',
    currency: 'OMR',
    total: '3890.200',
    status: 'delivered',
  },
  {
    customerId: 'C-1008',
    orderId: 'EG-41009',
    createdAt: '2026-11-08T13:00:00Z',
    market: 'EG',
    currency: 'EGP',
    total: '1250000.00',
    status: 'delivered',
  },
  // Orders every month, the last on 5 October: overdue by the end of November.
  {
    customerId: 'C-1009',
    orderId: 'IN-65811',
    createdAt: '2026-08-05T05:00:00Z',
    market: 'IN',
    currency: 'INR',
    total: '2380000.00',
    status: 'delivered',
  },
  {
    customerId: 'C-1009',
    orderId: 'IN-65917',
    createdAt: '2026-09-05T05:00:00Z',
    market: 'IN',
    currency: 'INR',
    total: '2515000.00',
    status: 'delivered',
  },
  {
    customerId: 'C-1009',
    orderId: 'IN-66021',
    createdAt: '2026-10-05T05:00:00Z',
    market: 'IN',
    currency: 'INR',
    total: '2450000.00',
    status: 'delivered',
  },
  {
    customerId: 'C-1010',
    orderId: 'PK-12870',
    createdAt: '2026-11-11T06:00:00Z',
    market: 'PK',
    currency: 'PKR',
    total: '3875000.00',
    status: 'delivered',
  },
  {
    customerId: 'C-1011',
    orderId: 'LK-90404',
    createdAt: '2026-10-20T04:30:00Z',
    market: 'LK',
    currency: 'LKR',
    total: '5600000.00',
    status: 'delivered',
  },
  {
    customerId: 'C-1012',
    orderId: 'US-70012',
    createdAt: '2026-11-02T15:00:00Z',
    market: 'AE',
    currency: 'USD',
    total: '22800.00',
    status: 'delivered',
  },
  {
    customerId: 'C-1013',
    orderId: 'SA-89001',
    createdAt: '2026-11-24T10:00:00Z',
    market: 'SA',
    currency: 'SAR',
    total: '18700.00',
    status: 'delivered',
  },
  {
    customerId: 'C-1014',
    orderId: 'SO-24150',
    createdAt: '2026-11-24T12:00:00Z',
    market: 'AE',
    currency: 'AED',
    total: '230500.00',
    status: 'processing',
  },
];

/** What people did, in time order: applied through the domain exactly as the app would. */
export type DemoEvent =
  | { at: string; kind: 'sync'; round: 1 | 2 }
  | { at: string; kind: 'owner'; customerId: string; by: string; ownerId: string }
  | { at: string; kind: 'stage'; customerId: string; by: string; to: StageSlug; note?: string; churnReason?: string }
  | { at: string; kind: 'note'; customerId: string; by: string; text: string }
  | {
      at: string;
      kind: 'contact';
      customerId: string;
      by: string;
      name: string;
      role: string;
      email: string;
      phone: string;
    }
  | { at: string; kind: 'digest_snapshot' }
  | { at: string; kind: 'rate'; by: string; currency: string; usdPerUnit: string }
  | { at: string; kind: 'digest_channel'; by: string; channel: string }
  | { at: string; kind: 'digest_schedule'; by: string }
  | {
      at: string;
      kind: 'follow_up';
      customerId: string;
      by: string;
      ownerId: string;
      message: string;
      kindOf: 'once' | 'weekly';
      date: string;
      time: string;
      weekday?: number;
    }
  | { at: string; kind: 'digest_failed'; channel: string; error: string };

const { admin, manager, accountManager: am, otherAccountManager: am2 } = DEMO_USERS;

export const DEMO_EVENTS: DemoEvent[] = [
  { at: '2026-11-14T05:00:00Z', kind: 'digest_channel', by: admin, channel: DEMO_DIGEST_CHANNEL },
  { at: '2026-11-14T05:01:00Z', kind: 'digest_schedule', by: admin },
  { at: '2026-11-16T04:00:00Z', kind: 'sync', round: 1 },
  { at: '2026-11-16T06:00:00Z', kind: 'owner', customerId: 'C-1001', by: manager, ownerId: am },
  { at: '2026-11-16T06:01:00Z', kind: 'owner', customerId: 'C-1002', by: manager, ownerId: am },
  { at: '2026-11-16T06:02:00Z', kind: 'owner', customerId: 'C-1004', by: manager, ownerId: am2 },
  { at: '2026-11-16T06:03:00Z', kind: 'owner', customerId: 'C-1003', by: manager, ownerId: am2 },
  { at: '2026-11-16T06:04:00Z', kind: 'owner', customerId: 'C-1009', by: manager, ownerId: am },
  {
    at: '2026-11-17T07:00:00Z',
    kind: 'stage',
    customerId: 'C-1002',
    by: am,
    to: 'contacted',
    note: 'Intro call with the purchasing lead.',
  },
  { at: '2026-11-17T08:00:00Z', kind: 'stage', customerId: 'C-1004', by: am2, to: 'negotiation' },
  { at: '2026-11-18T09:00:00Z', kind: 'stage', customerId: 'C-1003', by: am2, to: 'active_account' },
  { at: '2026-11-23T04:00:00Z', kind: 'digest_snapshot' },
  {
    at: '2026-11-24T06:30:00Z',
    kind: 'stage',
    customerId: 'C-1001',
    by: am,
    to: 'contacted',
    note: 'Asked for the Q1 price list.',
  },
  {
    at: '2026-11-24T06:35:00Z',
    kind: 'contact',
    customerId: 'C-1001',
    by: am,
    name: 'Rania <Haddad>',
    role: 'Head of purchasing',
    email: 'rania@evil.example',
    phone: '+971 50 555 0199',
  },
  { at: '2026-11-25T04:00:00Z', kind: 'sync', round: 2 },
  {
    at: '2026-11-25T09:00:00Z',
    kind: 'stage',
    customerId: 'C-1002',
    by: am,
    to: 'negotiation',
    note: 'Volume discount on 3 pallets; *needs sign-off* by Thursday.',
  },
  { at: '2026-11-26T10:00:00Z', kind: 'stage', customerId: 'C-1004', by: am2, to: 'trial_order' },
  {
    at: '2026-11-26T11:00:00Z',
    kind: 'note',
    customerId: 'C-1001',
    by: am,
    text: 'Refund of AED 1,200 agreed for the damaged carton. They want to pay the UK order in GBP.',
  },
  {
    at: '2026-11-26T11:05:00Z',
    kind: 'follow_up',
    customerId: 'C-1001',
    by: am,
    ownerId: am,
    message: 'Send the Q1 price list & confirm the <GBP> invoice',
    kindOf: 'once',
    date: '2026-11-30',
    time: '10:00',
  },
  {
    at: '2026-11-26T11:10:00Z',
    kind: 'follow_up',
    customerId: 'C-1002',
    by: am,
    ownerId: am,
    message: 'Weekly check on the trial pallets',
    kindOf: 'weekly',
    date: '2026-11-26',
    time: '09:00',
    weekday: 4,
  },
  {
    at: '2026-11-27T08:00:00Z',
    kind: 'stage',
    customerId: 'C-1007',
    by: am2,
    to: 'churned',
    churnReason: 'Moved to a local distributor.',
  },
  { at: '2026-11-28T07:00:00Z', kind: 'rate', by: admin, currency: 'SAR', usdPerUnit: '0.26665' },
  {
    at: '2026-11-29T09:00:00Z',
    kind: 'note',
    customerId: 'C-1009',
    by: am,
    text: 'Left a voicemail; will try again Tuesday.',
  },
  { at: '2026-11-30T04:05:00Z', kind: 'digest_failed', channel: DEMO_DIGEST_CHANNEL, error: 'not_in_channel' },
  // Someone opened Home this morning: the sync ran and picked up last week's orders.
  { at: '2026-11-30T05:30:00Z', kind: 'sync', round: 2 },
];

/** The message the "Log to CRM" preview starts from. */
export const DEMO_LOGGED_MESSAGE = {
  text: 'Rania confirmed the Q1 order: 40 cartons, delivery to Jebel Ali before 15 Jan. <@U0DEMOAM01> please send the proforma.',
  channelId: 'C0DEMOSAL1',
  messageTs: '1764482400.000100',
};
