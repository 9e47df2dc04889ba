import type { CheckResult } from '../common/doctor-report';
import type { MetabaseConfig } from '../config';
import { CUSTOMERS_CARD, normaliseColumnKey, ORDERS_CARD } from '../production/card-schemas';
import { formatSeconds, MetabaseError } from '../production/metabase-error';
import type { CardResult, ProductionReader } from '../production/types';

/**
 * Metabase: reachable, the credential accepted, and each saved question returning the
 * columns of the contract (docs/metabase.md).
 *
 * Only the two configured saved questions are run, through the app's own read-only client
 * and its export endpoint, as the sync does: the app may call nothing else (not the
 * non-export `/query`, whose `data.cols` would give the columns even for an empty result).
 * An export has no header row, so columns are read from the rows: the Customers card is
 * asked for a short window first and, only if that is empty, for the sync window; the
 * Orders card for one customer the Customers card (or the CRM's cache) named.
 */
export interface MetabaseCheckOptions {
  /** The sync window in days: the widest window the Customers card is asked for. */
  syncDays: number;
  /** A customer id to run the Orders card with when the Customers card gives none. */
  fallbackCustomerId?: () => Promise<string | null>;
}

/** The short window tried first: one week of orders is enough to see the columns. */
export const FIRST_WINDOW_DAYS = 7;

export async function checkMetabase(
  reader: ProductionReader | null,
  config: MetabaseConfig | null,
  options: MetabaseCheckOptions,
): Promise<CheckResult[]> {
  if (!reader || !config) {
    return [
      {
        id: 'metabase',
        title: 'Metabase',
        status: 'warn',
        finding: 'not configured (METABASE_URL unset): the app runs, but there is no lead sync and no order history',
        fix: 'Set up the two saved questions and a read-only key (docs/metabase.md), then set METABASE_URL, METABASE_API_KEY, METABASE_CUSTOMERS_CARD_ID and METABASE_ORDERS_CARD_ID.',
      },
      {
        id: 'customers_card',
        title: 'Customers card',
        status: 'skip',
        finding: 'not checked: Metabase is not configured',
      },
      { id: 'orders_card', title: 'Orders card', status: 'skip', finding: 'not checked: Metabase is not configured' },
    ];
  }
  const host = hostOf(config.url);
  const how = config.auth.kind === 'apiKey' ? 'the API key' : 'a session login';

  let customers: { result: CardResult<{ customerId: string }>; days: number } | null = null;
  let customersError: unknown = null;
  for (const days of windows(options.syncDays)) {
    try {
      const result = await reader.fetchCustomers(days);
      customers = { result, days };
      if (result.columns) break;
    } catch (err) {
      customersError = err;
      break;
    }
  }

  const connectionProblem = customersError ? connectionFailure(customersError, config, host) : null;
  if (connectionProblem) {
    const reason = 'not checked: Metabase did not answer';
    return [
      connectionProblem,
      { id: 'customers_card', title: 'Customers card', status: 'skip', finding: reason },
      { id: 'orders_card', title: 'Orders card', status: 'skip', finding: reason },
    ];
  }
  const connection: CheckResult = {
    id: 'metabase',
    title: 'Metabase',
    status: 'ok',
    finding: `${host} answers and accepts ${how}`,
  };

  const customersCheck = customersError
    ? cardFailure('customers_card', 'Customers card', config.customersCardId, customersError)
    : cardColumns(
        'customers_card',
        'Customers card',
        config.customersCardId,
        CUSTOMERS_CARD.columns,
        customers!.result,
        `customers who ordered in the last ${customers!.days} days`,
      );

  const customerId =
    customers?.result.rows[0]?.customerId ?? (await options.fallbackCustomerId?.().catch(() => null)) ?? null;
  let ordersCheck: CheckResult;
  if (customerId === null) {
    ordersCheck = {
      id: 'orders_card',
      title: 'Orders card',
      status: 'skip',
      finding: 'not checked: no customer to ask for (the Customers card gave none, and the CRM has none cached)',
    };
  } else {
    try {
      const orders = await reader.fetchOrders(customerId);
      ordersCheck = cardColumns(
        'orders_card',
        'Orders card',
        config.ordersCardId,
        ORDERS_CARD.columns,
        orders,
        'orders of one customer',
      );
    } catch (err) {
      ordersCheck =
        connectionFailure(err, config, host) ?? cardFailure('orders_card', 'Orders card', config.ordersCardId, err);
      if (ordersCheck.id === 'metabase') ordersCheck = { ...ordersCheck, id: 'orders_card', title: 'Orders card' };
    }
  }
  return [connection, customersCheck, ordersCheck];
}

/** The windows the Customers card is asked for, shortest first. */
function windows(syncDays: number): number[] {
  return syncDays > FIRST_WINDOW_DAYS ? [FIRST_WINDOW_DAYS, syncDays] : [syncDays];
}

/**
 * Columns of the contract missing from the card (required ones in `missing`, optional ones in
 * `missingOptional`), and columns it has that the contract does not name.
 */
export function compareColumns(
  contract: readonly string[],
  present: readonly string[],
  optional: readonly string[] = [],
): { missing: string[]; missingOptional: string[]; unknown: string[] } {
  const have = new Set(present.map(normaliseColumnKey));
  const known = new Set(contract.map(normaliseColumnKey));
  const absent = contract.filter((c) => !have.has(normaliseColumnKey(c)));
  return {
    missing: absent.filter((c) => !optional.includes(c)),
    missingOptional: absent.filter((c) => optional.includes(c)),
    unknown: present.filter((c) => !known.has(normaliseColumnKey(c))),
  };
}

function cardColumns(
  id: 'customers_card' | 'orders_card',
  title: string,
  cardId: number,
  contract: readonly string[],
  result: CardResult<unknown>,
  what: string,
): CheckResult {
  const section = id === 'customers_card' ? 'Customers' : 'Orders';
  if (!result.columns) {
    return {
      id,
      title,
      status: 'warn',
      finding: `saved question ${cardId} ran, but returned no rows (${what}), so its columns could not be checked`,
      fix: `Run it in Metabase to see that it returns rows; docs/metabase.md (${section}) has the contract.`,
    };
  }
  const { missing, missingOptional, unknown } = compareColumns(
    contract,
    result.columns,
    id === 'customers_card' ? (CUSTOMERS_CARD.optional ?? []) : [],
  );
  if (missing.length) {
    return {
      id,
      title,
      status: 'fail',
      finding: `saved question ${cardId} lacks ${missing.length === 1 ? 'the column' : 'the columns'} ${missing.join(', ')}${unknown.length ? ` (it has ${unknown.join(', ')}, which the contract does not name)` : ''}`,
      fix: `Edit saved question ${cardId} in Metabase so it returns ${missing.join(', ')} (a renamed column must keep its name from docs/metabase.md, section ${section}); until then the sync refuses its rows.`,
    };
  }
  const total = result.rows.length + result.rejected.length;
  if (result.rejected.length) {
    const reasons = [...new Set(result.rejected.map((r) => r.reason))];
    return {
      id,
      title,
      status: result.rows.length === 0 ? 'fail' : 'warn',
      finding: `saved question ${cardId} has every column, but ${result.rejected.length} of ${total} rows (${what}) do not fit the contract`,
      fix: `Fix the values in the question's SQL (docs/metabase.md, section ${section}, says what each column must hold); the sync skips such rows and logs them.`,
      details: reasons.slice(0, 5).concat(reasons.length > 5 ? [`… and ${reasons.length - 5} more kinds`] : []),
    };
  }
  if (missingOptional.length) {
    return {
      id,
      title,
      status: 'warn',
      finding: `saved question ${cardId} returns every required column (${total} ${total === 1 ? 'row' : 'rows'} read: ${what}) but not the optional ${missingOptional.join(', ')}, so order rhythm (due, overdue, at risk) is unknown`,
      fix: `Add ${missingOptional.join(', ')} to saved question ${cardId} (docs/metabase.md, section ${section}, has the SQL); everything else works without it.`,
    };
  }
  return {
    id,
    title,
    status: 'ok',
    finding: `saved question ${cardId} returns every column of the contract (${total} ${total === 1 ? 'row' : 'rows'} read: ${what})`,
  };
}

/** A failure that means Metabase itself is unreachable or refuses the credential; null when it is about the card. */
function connectionFailure(err: unknown, config: MetabaseConfig, host: string): CheckResult | null {
  const fail = (finding: string, fix: string): CheckResult => ({
    id: 'metabase',
    title: 'Metabase',
    status: 'fail',
    finding,
    fix,
  });
  if (!(err instanceof MetabaseError))
    return fail(
      `reading Metabase failed unexpectedly: ${(err as Error)?.message ?? String(err)}`,
      'Run the doctor again; if it persists, report it with the app logs.',
    );
  switch (err.kind) {
    case 'network':
      return fail(
        `could not reach ${host} (${err.userMessage.replace(/^.*\(([^)]*)\)$/, '$1')})`,
        'Check METABASE_URL, and that Metabase is running and reachable from this machine.',
      );
    case 'timeout':
      return fail(
        `${host} did not answer within ${formatSeconds(config.timeoutMs)}`,
        'Check that Metabase is up and not overloaded; if the saved question is just slow, raise METABASE_TIMEOUT_MS.',
      );
    case 'server':
      return fail(
        `${host} answered HTTP ${err.status ?? '5xx'}`,
        "Look at Metabase's logs: it failed while running the saved question or is unwell.",
      );
    case 'auth':
      return config.auth.kind === 'apiKey'
        ? fail(
            `${host} refused the API key (HTTP 401)`,
            'Create a new API key in Metabase (Admin settings → Authentication → API keys) and set METABASE_API_KEY to it.',
          )
        : fail(
            `${host} refused the login (HTTP ${err.status ?? 401})`,
            'Check METABASE_USERNAME and METABASE_PASSWORD (log in to Metabase with them to be sure).',
          );
    case 'bad_response':
      return fail(
        `${host} answered with something that is not Metabase's JSON`,
        'Check that METABASE_URL points at Metabase itself, not a login page or proxy in front of it.',
      );
    default:
      return null;
  }
}

/** A card-level failure: no such question, no permission, or its query failed. */
function cardFailure(id: 'customers_card' | 'orders_card', title: string, cardId: number, err: unknown): CheckResult {
  const variable = id === 'customers_card' ? 'METABASE_CUSTOMERS_CARD_ID' : 'METABASE_ORDERS_CARD_ID';
  const section = id === 'customers_card' ? 'Customers' : 'Orders';
  const e = err as MetabaseError;
  if (e.kind === 'client' && e.status === 404) {
    return {
      id,
      title,
      status: 'fail',
      finding: `Metabase has no saved question ${cardId}`,
      fix: `Set ${variable} to the number in the question's address in Metabase (…/question/<number>-…).`,
    };
  }
  if (e.kind === 'client' && e.status === 403) {
    return {
      id,
      title,
      status: 'fail',
      finding: `the key may not run saved question ${cardId} (HTTP 403)`,
      fix: "Give the API key's group access to the question's collection (docs/metabase.md, the read-only key).",
    };
  }
  if (e.kind === 'query_failed') {
    return {
      id,
      title,
      status: 'fail',
      finding: `saved question ${cardId} failed: ${e.userMessage.replace(/^.*?query failed: /, '')}`,
      fix: `Open it in Metabase and run it; check its SQL and template tag against docs/metabase.md, section ${section}.`,
    };
  }
  return {
    id,
    title,
    status: 'fail',
    finding: `saved question ${cardId}: ${e.userMessage ?? String(err)}`,
    fix: `Check ${variable} and the question in Metabase.`,
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'Metabase';
  }
}
