import { ApiError } from '../api/ApiError';

/**
 * What to do with a write that failed. `retry`: the network, a 5xx/503, a 409 "same key still running" (it carries
 * Retry-After), 408 or 429: send it again later with the same key. `refuse`: any other 4xx (403 after a role change, 404
 * because it was deleted, 409 id taken, 422 key reused): it will never succeed, so it is rolled back and told.
 * `signedOut`: the session ended; the write waits for the user to sign in again.
 */
export type Verdict = 'retry' | 'refuse' | 'signedOut';

export function classify(error: unknown): Verdict {
  if (!(error instanceof ApiError)) return 'retry';
  const { status } = error;
  if (status === 401) return 'signedOut';
  if (status >= 500 || status === 408 || status === 429) return 'retry';
  if (status === 409 && error.retryAfter !== null) return 'retry';
  return 'refuse';
}

/** Why the server refused, in words for the person whose change it was. */
export function refusalReason(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 403) return 'you can no longer change this list';
    if (error.status === 404) return 'it was deleted meanwhile';
    return error.problem.detail ?? error.problem.title ?? `the server refused it (${error.status})`;
  }
  return 'the server refused it';
}
