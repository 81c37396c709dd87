import type { Problem } from './types';

/** An HTTP failure carrying the server's problem+json, so screens can show the server's own words. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  /** The `Retry-After` header, if any: a 409 with it means "the same Idempotency-Key is still running, ask again". */
  readonly retryAfter: string | null;

  constructor(status: number, problem: Problem, retryAfter: string | null = null) {
    super(problem.detail ?? problem.title ?? `Request failed (${status})`);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
}

/** Words for any error a screen may show: the API's `detail`, or a plain sentence for network trouble. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return 'Cannot reach the server. Check your connection and try again.';
  if (error instanceof Error && error.message) return error.message;
  return 'Something went wrong.';
}
