/** Reconnect delays from the issue: 1 s, 2 s, 5 s, 10 s, then 30 s for every further attempt. */
export const BACKOFF_STEPS_MS = [1_000, 2_000, 5_000, 10_000, 30_000] as const;

/** ±20 %: enough to spread a thousand phones that lost the same server, small enough to keep the schedule recognisable. */
export const JITTER = 0.2;

/**
 * The delay before reconnect attempt `attempt` (0-based). `random` is in [0, 1); 0.5 gives the exact step, so tests can
 * pin it.
 */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const step = BACKOFF_STEPS_MS[Math.min(Math.max(attempt, 0), BACKOFF_STEPS_MS.length - 1)]!;
  return Math.round(step * (1 - JITTER + 2 * JITTER * random()));
}
