import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  const middle = () => 0.5;

  it('follows 1 s, 2 s, 5 s, 10 s, 30 s and stays at 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 9].map((attempt) => backoffDelay(attempt, middle)))
      .toEqual([1_000, 2_000, 5_000, 10_000, 30_000, 30_000, 30_000]);
  });

  it('spreads each step by ±20 % with the random source', () => {
    expect(backoffDelay(2, () => 0)).toBe(4_000);
    expect(backoffDelay(2, () => 0.999_999)).toBe(6_000);
    expect(backoffDelay(4, () => 0)).toBe(24_000);
  });

  it('gives different delays for different random draws, so clients do not reconnect in lockstep', () => {
    const delays = new Set([0.1, 0.3, 0.7, 0.9].map((r) => backoffDelay(1, () => r)));
    expect(delays.size).toBe(4);
  });
});
