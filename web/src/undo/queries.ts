import { useMutation, useQueryClient } from '@tanstack/react-query';
import { listKeys } from '../api/queryKeys';
import type { Category, Id } from '../api/types';
import { useServices } from '../app/services';

/** Re-creates a deleted category with its old id; the echo event (or a refetch when not live) shows it. */
export function useRestoreCategory(listId: Id) {
  const { api, liveLists } = useServices();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (category: Category) =>
      api.restoreCategory(listId, { id: category.id, name: category.name, position: category.position }),
    onSettled: () => (liveLists.isLive(listId) ? undefined : client.invalidateQueries({ queryKey: listKeys.scope(listId) })),
  });
}
