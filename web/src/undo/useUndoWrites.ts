import { useCallback, useRef } from 'react';
import type { Id } from '../api/types';
import { useCreateItem, useSetChecked, useUpdateItem } from '../items/queries';
import type { UndoWrite } from './plan';
import { useRestoreCategory } from './queries';

/**
 * Sends an undo's writes through the same hooks as every other write, one after another in order: the inverse of a
 * change is just more writes, so it is optimistic, queued and retried like them. Resolves with the number that failed.
 */
export function useUndoWrites(listId: Id): (writes: readonly UndoWrite[], after?: Promise<unknown>) => Promise<number> {
  const create = useCreateItem(listId);
  const setChecked = useSetChecked(listId);
  const update = useUpdateItem(listId);
  const restore = useRestoreCategory(listId);
  const hooks = useRef({ create, setChecked, update, restore });
  hooks.current = { create, setChecked, update, restore };

  return useCallback(async (writes, after) => {
    // the change being undone goes first, wherever it is (in flight, or waiting for the network)
    await after?.catch(() => undefined);
    let failed = 0;
    for (const write of writes) {
      const { create, setChecked, update, restore } = hooks.current;
      try {
        switch (write.type) {
          case 'create': {
            const { id, name, quantity, note, categoryId } = write.item;
            await create.mutateAsync({ id: String(id), name, quantity, note, categoryId });
            break;
          }
          case 'setChecked':
            await setChecked.mutateAsync({ itemId: write.itemId, checked: write.checked });
            break;
          case 'update':
            await update.mutateAsync({ itemId: write.itemId, patch: write.patch });
            break;
          case 'restoreCategory':
            await restore.mutateAsync(write.category);
            break;
        }
      } catch {
        failed++;
      }
    }
    return failed;
  }, []);
}
