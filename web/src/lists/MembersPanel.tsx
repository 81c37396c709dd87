import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { listKeys } from '../api/queryKeys';
import type { Id, Role } from '../api/types';
import { useSession } from '../auth/useSession';
import { InviteLinks } from '../invites/InviteLinks';
import { ErrorText } from '../ui/ErrorText';
import { ConfirmButton } from '../ui/ConfirmButton';
import { useAddMember, useChangeRole, useMembers, useRemoveMember } from './queries';
import { RoleBadge } from './RoleBadge';

/** Who shares the list; the owner can invite by email, change roles and remove people. */
export function MembersPanel({ listId, isOwner }: { listId: Id; isOwner: boolean }) {
  const members = useMembers(listId);
  const client = useQueryClient();
  // Membership changes send no list events (someone may have joined by a link): read it afresh when the panel opens.
  useEffect(() => {
    void client.invalidateQueries({ queryKey: listKeys.members(listId) });
  }, [client, listId]);
  const me = useSession()?.user.id;
  const add = useAddMember(listId);
  const change = useChangeRole(listId);
  const remove = useRemoveMember(listId);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('editor');

  const onInvite = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ email: email.trim(), role }, { onSuccess: () => setEmail('') });
  };

  return (
    <section className="members" aria-label="Members" data-testid="members-panel">
      {members.isPending && <p className="muted">Loading members…</p>}
      <ErrorText error={members.error} />
      <ul className="member-list">
        {members.data?.map((m) => (
          <li key={String(m.user.id)} data-testid="member" data-email={m.user.email}>
            <span className="member-name">
              {m.user.displayName} <span className="muted">{m.user.email}</span>
            </span>
            {isOwner && m.role !== 'owner' ? (
              <span className="row-actions">
                <select aria-label={`Role of ${m.user.email}`} value={m.role}
                  onChange={(e) => change.mutate({ userId: m.user.id, role: e.target.value as Role })}>
                  <option value="editor">editor</option>
                  <option value="viewer">viewer</option>
                </select>
                <ConfirmButton label="Remove" confirmLabel="Remove them" testId="remove-member"
                  onConfirm={() => remove.mutate(m.user.id)} />
              </span>
            ) : (
              <RoleBadge role={m.role} />
            )}
            {String(m.user.id) === String(me) && <span className="muted"> (you)</span>}
          </li>
        ))}
      </ul>
      <ErrorText error={change.error ?? remove.error} />
      {isOwner && (
        <form className="invite" onSubmit={onInvite} aria-label="Share">
          <input type="email" required placeholder="Email address" aria-label="Email to share with" value={email}
            onChange={(e) => setEmail(e.target.value)} />
          <select aria-label="Role to give" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="editor">editor</option>
            <option value="viewer">viewer</option>
          </select>
          <button type="submit" disabled={add.isPending}>Share</button>
        </form>
      )}
      <ErrorText error={add.error} testId="share-error" />
      {isOwner && <InviteLinks listId={listId} />}
    </section>
  );
}
