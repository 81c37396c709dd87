import type { Category, Id } from '../api/types';
import { useCreateCategory } from '../items/queries';

/** Re-creates a deleted category with its old id and position, through the outbox like every other write. */
export function useRestoreCategory(listId: Id) {
  const create = useCreateCategory(listId);
  return {
    ...create,
    mutateAsync: (category: Category) =>
      create.mutateAsync({ id: String(category.id), name: category.name, position: category.position }),
  };
}
