import type { ApiClient } from '../api/client';
import type { QueuedWrite } from './writes';

/** Sends one queued write with its own Idempotency-Key; resolves with the server's answer. */
export function sendWrite(api: ApiClient, write: QueuedWrite): Promise<unknown> {
  const keyed = api.withIdempotencyKey(write.idempotencyKey);
  const { listId, op } = write;
  switch (op.type) {
    case 'createItem':
      return keyed.createItem(listId, op.item);
    case 'updateItem':
      return keyed.updateItem(listId, op.itemId, op.patch);
    case 'setChecked':
      return keyed.setChecked(listId, op.itemId, op.checked);
    case 'deleteItem':
      return keyed.deleteItem(listId, op.itemId);
    case 'clearChecked':
      return keyed.deleteChecked(listId);
    case 'createCategory':
      return keyed.restoreCategory(listId, op.category);
    case 'updateCategory':
      return keyed.updateCategory(listId, op.categoryId, op.patch);
    case 'deleteCategory':
      return keyed.deleteCategory(listId, op.categoryId);
  }
}
