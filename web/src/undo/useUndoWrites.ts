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
    // Re-created things keep their old ids (client-chosen ids, contract 1.1). Should a server answer with another id,
    // the writes that follow use that one, so the undo still completes.
    const renamed = new Map<string, Id>();
    const idOf = (id: Id): Id => renamed.get(String(id)) ?? id;
    const remember = (old: Id, answer: unknown) => {
      const id = (answer as { id?: unknown; listId?: unknown } | undefined);
      if (id && typeof id.id === 'string' && id.listId !== undefined && id.id !== String(old)) renamed.set(String(old), id.id);
    };
    let failed = 0;
    for (const write of writes) {
      const { create, setChecked, update, restore } = hooks.current;
      try {
        switch (write.type) {
          case 'create': {
            const { id, name, quantity, note, categoryId } = write.item;
            remember(id, await create.mutateAsync({
              id: String(id), name, quantity, note, categoryId: categoryId == null ? null : idOf(categoryId),
            }));
            break;
          }
          case 'setChecked':
            await setChecked.mutateAsync({ itemId: idOf(write.itemId), checked: write.checked });
            break;
          case 'update': {
            const patch = write.patch.categoryId == null ? write.patch : { ...write.patch, categoryId: idOf(write.patch.categoryId) };
            await update.mutateAsync({ itemId: idOf(write.itemId), patch });
            break;
          }
          case 'restoreCategory':
            remember(write.category.id, await restore.mutateAsync(write.category));
            break;
        }
      } catch {
        failed++;
      }
    }
    return failed;
  }, []);
}
