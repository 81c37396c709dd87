import type { Id } from '../api/types';

/**
 * Positions for drag and drop. The server places new items and categories {@link POSITION_GAP} apart, so a move
 * between two neighbours takes the integer halfway between them and no other row changes: one PATCH, one event.
 * Only when two neighbours have no integer left between them (after about ten moves into the same gap) are the few
 * rows around the drop point spread out again; that is the rare exception where a move sends more than one PATCH.
 */
export const POSITION_GAP = 1024;

/** The range the server accepts for `position` (a PATCH outside it is a 400). */
export const POSITION_MIN = 0;
export const POSITION_MAX = 1_000_000_000;

export interface Positioned {
  id: Id;
  position: number;
}

export interface MovePlan {
  /** The moved row's new position. */
  position: number;
  /** Other rows that must move to make room (empty unless no gap was left). */
  respread: Positioned[];
}

/**
 * Where a row goes when dropped at `index` of `ordered` (the target's rows by position, without the moved row).
 * At either end it keeps a whole gap from its neighbour when it can, so later moves have room there too.
 */
export function planMove(ordered: readonly Positioned[], index: number,
  min = POSITION_MIN, max = POSITION_MAX): MovePlan {
  const at = Math.max(0, Math.min(index, ordered.length));
  const prev = ordered[at - 1]?.position;
  const next = ordered[at]?.position;
  if (prev === undefined && next === undefined) return { position: min, respread: [] };
  if (next === undefined && prev! + POSITION_GAP <= max) return { position: prev! + POSITION_GAP, respread: [] };
  if (prev === undefined && next! - POSITION_GAP >= min) return { position: next! - POSITION_GAP, respread: [] };
  const low = prev ?? min - 1;
  const high = next ?? max + 1;
  if (high - low >= 2) return { position: Math.floor((low + high) / 2), respread: [] };
  return respread(ordered, at, min, max);
}

/**
 * The smallest run of rows next to the drop point that, with the moved row, fits into the room between the run's
 * outer neighbours; those rows are spread evenly over that room. Of runs of one size, the one most even around the
 * drop point wins.
 */
function respread(ordered: readonly Positioned[], at: number, min: number, max: number): MovePlan {
  for (let size = 1; size <= ordered.length; size++) {
    for (let offset = 0; offset <= size; offset++) {
      // alternate: half left and half right first, then the lopsided runs
      const left = Math.ceil(size / 2) + (offset % 2 === 0 ? offset / 2 : -(offset + 1) / 2);
      if (left < 0 || left > size) continue;
      const from = at - left;
      const to = at + (size - left);
      if (from < 0 || to > ordered.length) continue;
      const low = ordered[from - 1]?.position ?? min - 1;
      const high = ordered[to]?.position ?? max + 1;
      if (high - low - 1 >= size + 1) return spread(ordered, from, at, to, low, high);
    }
  }
  throw new Error('no room for another position');
}

function spread(ordered: readonly Positioned[], from: number, at: number, to: number, low: number, high: number)
  : MovePlan {
  const run = [...ordered.slice(from, at), null, ...ordered.slice(at, to)];
  const step = (high - low) / (run.length + 1);
  let position = low + 1;
  const moved: Positioned[] = [];
  let last = low;
  run.forEach((row, k) => {
    const spreadTo = Math.max(last + 1, Math.floor(low + step * (k + 1)));
    last = spreadTo;
    if (row === null) position = spreadTo;
    else if (row.position !== spreadTo) moved.push({ id: row.id, position: spreadTo });
  });
  return { position, respread: moved };
}
