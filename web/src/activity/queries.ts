import { useInfiniteQuery } from '@tanstack/react-query';
import { listKeys } from '../api/queryKeys';
import type { Id } from '../api/types';
import { useServices } from '../app/services';

export const ACTIVITY_PAGE = 30;

/** The list's history, newest first, a page at a time (`before` = the oldest version loaded). */
export function useActivity(listId: Id, enabled: boolean) {
  const { api } = useServices();
  return useInfiniteQuery({
    queryKey: listKeys.activity(listId),
    queryFn: ({ pageParam }) => api.activity(listId, pageParam, ACTIVITY_PAGE),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => {
      const oldest = last.events.at(-1)?.version;
      return last.events.length === ACTIVITY_PAGE && oldest !== undefined && oldest > 1 ? oldest : undefined;
    },
    enabled,
    staleTime: 0,
  });
}
