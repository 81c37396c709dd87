import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { listKeys } from '../api/queryKeys';
import type { Id, Role, ShoppingList } from '../api/types';
import { useServices } from '../app/services';
import { upsertList } from '../overview/overviewCache';

export function useListsOverview() {
  const { api } = useServices();
  // The user socket (overview/useOverviewSync) keeps it live while the page is open; on every visit it is refetched.
  return useQuery({ queryKey: listKeys.overview(), queryFn: api.lists, staleTime: 0 });
}

export function useList(listId: Id) {
  const { api } = useServices();
  return useQuery({ queryKey: listKeys.detail(listId), queryFn: () => api.list(listId) });
}

export function useMembers(listId: Id, enabled = true) {
  const { api } = useServices();
  return useQuery({ queryKey: listKeys.members(listId), queryFn: () => api.members(listId), enabled });
}

export function useCreateList() {
  const { api } = useServices();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.createList(name),
    onSuccess: (list) => {
      // The user socket's frame for the new list may have come first: upsert, never append a second card.
      client.setQueryData<ShoppingList[]>(listKeys.overview(), (lists) => lists && upsertList(lists, list));
      void client.invalidateQueries({ queryKey: listKeys.overview() });
    },
  });
}

export function useRenameList(listId: Id) {
  const { api } = useServices();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.renameList(listId, name),
    // The detail is versioned and kept by the socket (list_updated); the overview is simply refetched.
    onSettled: () => client.invalidateQueries({ queryKey: listKeys.overview() }),
    onSuccess: (list) =>
      client.setQueryData<ShoppingList>(listKeys.detail(listId), (cached) =>
        // Only the name: the version moves with the events, never with a REST answer.
        cached ? { ...cached, name: list.name } : cached),
  });
}

/** Deleting (owner) and leaving both end with the list gone from this user's overview and cache. */
function useDropList(action: (listId: Id) => Promise<void>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: action,
    onSuccess: (_data, listId) => {
      client.setQueryData<ShoppingList[]>(listKeys.overview(), (lists) =>
        lists?.filter((list) => String(list.id) !== String(listId)));
      client.removeQueries({ queryKey: listKeys.scope(listId) });
    },
    onSettled: () => client.invalidateQueries({ queryKey: listKeys.overview() }),
  });
}

export function useDeleteList() {
  const { api } = useServices();
  return useDropList((listId) => api.deleteList(listId));
}

export function useLeaveList() {
  const { api, session } = useServices();
  return useDropList((listId) => {
    const me = session.get()?.user.id;
    if (me === undefined) return Promise.reject(new Error('You are signed out.'));
    return api.removeMember(listId, me);
  });
}

/** Membership changes publish no events (they do not change the list version): refetch the members afterwards. */
function useMembersMutation<V>(listId: Id, mutationFn: (variables: V) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: () => client.invalidateQueries({ queryKey: listKeys.members(listId) }),
  });
}

export function useAddMember(listId: Id) {
  const { api } = useServices();
  return useMembersMutation(listId, ({ email, role }: { email: string; role: Role }) => api.addMember(listId, email, role));
}

export function useChangeRole(listId: Id) {
  const { api } = useServices();
  return useMembersMutation(listId, ({ userId, role }: { userId: Id; role: Role }) => api.changeRole(listId, userId, role));
}

export function useRemoveMember(listId: Id) {
  const { api } = useServices();
  return useMembersMutation(listId, (userId: Id) => api.removeMember(listId, userId));
}
