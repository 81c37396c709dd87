import { describe, expect, it } from 'vitest';
import { planMove, POSITION_GAP, type Positioned } from './positions';

const rows = (...positions: number[]): Positioned[] => positions.map((position, i) => ({ id: `r${i}`, position }));

/** Applies a plan and returns the ids in position order, with the moved row as 'moved'. */
function orderAfter(ordered: Positioned[], index: number): string[] {
  const plan = planMove(ordered, index);
  const byId = new Map(ordered.map((r) => [String(r.id), r.position]));
  for (const r of plan.respread) byId.set(String(r.id), r.position);
  byId.set('moved', plan.position);
  return [...byId.entries()].sort((a, b) => a[1] - b[1]).map(([id]) => id);
}

describe('planMove', () => {
  it('takes the midpoint between two neighbours and moves nothing else', () => {
    expect(planMove(rows(0, 1024, 2048), 1)).toEqual({ position: 512, respread: [] });
  });

  it('keeps a whole gap at either end of the group', () => {
    expect(planMove(rows(0, 1024), 2)).toEqual({ position: 2048, respread: [] });
    expect(planMove(rows(4096, 5120), 0)).toEqual({ position: 3072, respread: [] });
    expect(planMove(rows(100), 0)).toEqual({ position: 49, respread: [] });
    expect(planMove([], 0)).toEqual({ position: 0, respread: [] });
  });

  it('moves about ten times into one gap before anything else has to move', () => {
    let ordered = rows(0, POSITION_GAP);
    let singleWrites = 0;
    for (;;) {
      const plan = planMove(ordered, 1);
      if (plan.respread.length > 0) break;
      singleWrites++;
      ordered = [ordered[0]!, { id: `m${singleWrites}`, position: plan.position }, ...ordered.slice(1)];
    }
    expect(singleWrites).toBe(10);
  });

  it('when no gap is left, spreads only the few rows around the drop point, in order', () => {
    const dense = rows(0, 1, 2, 3, 10_000, 20_000);
    const plan = planMove(dense, 2);
    // r2 and r3 move up into the room below 10,000; r0, r1 and the rest keep their positions
    expect(plan.respread.map((r) => r.id)).toEqual(['r2', 'r3']);
    expect(orderAfter(dense, 2)).toEqual(['r0', 'r1', 'moved', 'r2', 'r3', 'r4', 'r5']);
  });

  it('can always make room at the start, where positions cannot go below 0', () => {
    expect(orderAfter(rows(0, 1, 2), 0)).toEqual(['moved', 'r0', 'r1', 'r2']);
  });

  it('handles rows that share a position (left by older clients) by spreading them', () => {
    expect(orderAfter(rows(5, 5, 5), 1)).toEqual(['r0', 'moved', 'r1', 'r2']);
  });

  it('stays within the integer range at the top', () => {
    const plan = planMove(rows(999_999_500), 1);
    expect(plan.position).toBeGreaterThan(999_999_500);
    expect(plan.position).toBeLessThanOrEqual(1_000_000_000);
    expect(orderAfter(rows(999_999_999, 1_000_000_000), 2)).toEqual(['r0', 'r1', 'moved']);
  });
});
