import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { listKeys } from '../api/queryKeys';
import type { Id } from '../api/types';
import { useServices } from '../app/services';

/** `value`, once it has stopped changing for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/**
 * The server's suggestions for what is being typed, asked once typing pauses. Offline it simply has none: the form
 * still adds, and still warns about duplicates from the cached list.
 */
export function useSuggestions(listId: Id, typed: string, enabled: boolean) {
  const { api } = useServices();
  const q = useDebounced(typed.trim(), 120);
  return useQuery({
    queryKey: listKeys.suggestions(listId, q.toLowerCase()),
    queryFn: () => api.suggestions(listId, q),
    enabled: enabled && q.length > 0,
    staleTime: 15_000,
    retry: false,
    placeholderData: keepPreviousData,
  });
}
