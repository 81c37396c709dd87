import { describe, expect, it } from 'vitest';
import { avatarClass, describeChange, initials, joinNames, otherViewers, viewingSentence } from './viewers';

const ann = { userId: 'u-ann', displayName: 'Ann' };
const bo = { userId: 'u-bo', displayName: 'Bo Olsen' };
const cy = { userId: 7, displayName: 'Cy' };

describe('presence: who else is viewing', () => {
  it('drops the user themself (the contract lists the caller too), comparing ids as strings', () => {
    expect(otherViewers([ann, bo, cy], 'u-ann')).toEqual([bo, cy]);
    expect(otherViewers([ann, cy], '7')).toEqual([ann]);
    expect(otherViewers(null, 'u-ann')).toEqual([]);
  });

  it('makes initials of the first and last word, whole characters', () => {
    expect(initials('Ann')).toBe('A');
    expect(initials('Bo Olsen')).toBe('BO');
    expect(initials('  mary  jane  watson ')).toBe('MW');
    expect(initials('Émile')).toBe('É');
    expect(initials('😀 Smile')).toBe('😀S');
    expect(initials('   ')).toBe('?');
  });

  it('says who is viewing in one sentence', () => {
    expect(viewingSentence([])).toBe('');
    expect(viewingSentence([ann])).toBe('Ann is viewing');
    expect(viewingSentence([ann, bo])).toBe('Ann and Bo Olsen are viewing');
    expect(joinNames(['A', 'B', 'C'])).toBe('A, B and C');
    expect(joinNames(['A', 'B', 'C', 'D', 'E', 'F'])).toBe('A, B, C and 3 others');
  });

  it('describes who opened and who left between two sets', () => {
    expect(describeChange([ann], [ann, bo])).toBe('Bo Olsen opened this list');
    expect(describeChange([ann, bo], [bo])).toBe('Ann left this list');
    expect(describeChange([ann], [bo, cy])).toBe('Bo Olsen and Cy opened this list. Ann left this list');
    expect(describeChange([ann, bo], [{ ...bo }, { ...ann }])).toBe('');
  });

  it('gives each user the same avatar colour everywhere', () => {
    expect(avatarClass('u-ann')).toBe(avatarClass('u-ann'));
    expect(avatarClass('u-ann')).toMatch(/^avatar-c[0-7]$/);
    expect(new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map(avatarClass)).size).toBeGreaterThan(3);
  });
});
