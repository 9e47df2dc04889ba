import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * How long the app itself took to answer a request: from the moment its HTTP server had
 * the request's headers to the moment the answer was written, measured inside the process
 * through Node's built-in HTTP diagnostics channels. Slack's 3-second rule is checked on
 * this time, not on the test's round trip, so a busy machine (the test client starved of
 * CPU, a slow connect) does not count against the app. The driver marks each request with
 * REQUEST_ID_HEADER to match it up.
 */
export const REQUEST_ID_HEADER = 'x-test-request-id';

const startedAt = new WeakMap<IncomingMessage, number>();
const answeredInMs = new Map<string, number>();

subscribe('http.server.request.start', (message) => {
  const { request } = message as { request: IncomingMessage };
  if (request.headers[REQUEST_ID_HEADER]) startedAt.set(request, performance.now());
});
subscribe('http.server.response.finish', (message) => {
  const { request } = message as { request: IncomingMessage };
  const id = request.headers[REQUEST_ID_HEADER];
  const started = startedAt.get(request);
  if (typeof id === 'string' && started !== undefined) answeredInMs.set(id, performance.now() - started);
});

/** The app's own answer time of the request marked `id` (once: the record is removed), if it answered. */
export function takeAppAnswerMs(id: string): number | undefined {
  const ms = answeredInMs.get(id);
  answeredInMs.delete(id);
  return ms;
}
