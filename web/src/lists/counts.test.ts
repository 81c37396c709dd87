import { describe, expect, it } from 'vitest';
import { describeCounts } from './counts';

describe('the counts on a list card', () => {
  it('says how many are left of how many, short on screen and whole for screen readers', () => {
    expect(describeCounts({ itemCount: 12, checkedCount: 9 })).toEqual({
      shown: '3 of 12 left', spoken: '3 of 12 items left to check, 9 checked' });
    expect(describeCounts({ itemCount: 1, checkedCount: 0 })).toEqual({
      shown: '1 of 1 left', spoken: '1 of 1 item left to check, 0 checked' });
  });

  it('has words for an empty list and for one that is all done', () => {
    expect(describeCounts({ itemCount: 0, checkedCount: 0 })?.shown).toBe('No items');
    expect(describeCounts({ itemCount: 4, checkedCount: 4 })).toEqual({ shown: 'All 4 done', spoken: 'All 4 items checked' });
  });

  it('shows nothing when the server sent no counts (contract 1.0)', () => {
    expect(describeCounts({})).toBeNull();
  });
});
