import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { listKeys } from '../api/queryKeys';
import type { Id, NewInvite } from '../api/types';
import { useServices } from '../app/services';

export function useInvites(listId: Id, enabled: boolean) {
  const { api } = useServices();
  return useQuery({ queryKey: listKeys.invites(listId), queryFn: () => api.invites(listId), enabled, staleTime: 0 });
}

export function useCreateInvite(listId: Id) {
  const { api } = useServices();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (invite: NewInvite) => api.createInvite(listId, invite),
    onSettled: () => client.invalidateQueries({ queryKey: listKeys.invites(listId) }),
  });
}

export function useRevokeInvite(listId: Id) {
  const { api } = useServices();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (inviteId: Id) => api.revokeInvite(listId, inviteId),
    onSettled: () => client.invalidateQueries({ queryKey: listKeys.invites(listId) }),
  });
}

/** Public: what a code is for. Not under a list's key: the list is not known, and may not be ours yet. */
export function useInvitePreview(code: string) {
  const { api } = useServices();
  return useQuery({ queryKey: ['invite', code], queryFn: () => api.invitePreview(code), retry: false, staleTime: 0 });
}

export function useAcceptInvite() {
  const { api } = useServices();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => api.acceptInvite(code),
    onSuccess: () => client.invalidateQueries({ queryKey: listKeys.overview() }),
  });
}
