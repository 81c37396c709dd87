import { describe, expect, it } from 'vitest';
import type { Item } from '../api/types';
import { decideAdd } from './decide';

const item = (name: string, checked = false): Item => ({
  id: name + checked, listId: 'L', name, quantity: null, note: null, categoryId: null, position: 0, checked,
  checkedAt: null, createdAt: '', updatedAt: '',
});

describe('decideAdd', () => {
  it('adds a name that is not on the list', () => {
    expect(decideAdd('Milk', [item('Bread')])).toEqual({ kind: 'add' });
  });
  it('points to an unchecked item of the same name, in any case and spacing, instead of duplicating it', () => {
    expect(decideAdd(' milk ', [item('Milk', true), item('MILK')])).toEqual({ kind: 'onList', item: item('MILK') });
  });
  it('unchecks a checked one', () => {
    expect(decideAdd('Milk', [item('Milk', true)])).toEqual({ kind: 'uncheck', item: item('Milk', true) });
  });
});
