import { useState, type FormEvent } from 'react';
import type { GrantableRole, Id, Invite } from '../api/types';
import { ConfirmButton } from '../ui/ConfirmButton';
import { ErrorText } from '../ui/ErrorText';
import { useCreateInvite, useInvites, useRevokeInvite } from './queries';

const EXPIRIES = [
  { value: 'P1D', label: '1 day' },
  { value: 'P7D', label: '7 days' },
  { value: 'P30D', label: '30 days' },
];
const USES = [
  { value: 1, label: 'one person' },
  { value: 5, label: '5 people' },
  { value: 25, label: '25 people' },
  { value: 1000, label: 'anyone with the link' },
];

export const inviteUrl = (code: string) => `${window.location.origin}/invite/${code}`;

/** The owner's invite links: make one with a role, an expiry and a use limit; copy it; revoke it. */
export function InviteLinks({ listId }: { listId: Id }) {
  const invites = useInvites(listId, true);
  const create = useCreateInvite(listId);
  const revoke = useRevokeInvite(listId);
  const [role, setRole] = useState<GrantableRole>('editor');
  const [expiresIn, setExpiresIn] = useState('P7D');
  const [maxUses, setMaxUses] = useState(1000);

  const onCreate = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ role, expiresIn, maxUses });
  };

  return (
    <section className="invite-links" aria-labelledby="invite-links-title" data-testid="invite-links">
      <h3 id="invite-links-title" className="panel-title">Invite links</h3>
      <p className="muted small">Anyone with a link can join, even without an account yet: they sign up first.</p>
      <form className="invite-form" onSubmit={onCreate} aria-label="New invite link">
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as GrantableRole)} data-testid="invite-role">
            <option value="editor">editor</option>
            <option value="viewer">viewer</option>
          </select>
        </label>
        <label>
          Expires after
          <select value={expiresIn} onChange={(e) => setExpiresIn(e.target.value)} data-testid="invite-expiry">
            {EXPIRIES.map((e) => <option key={e.value} value={e.value}>{e.label}</option>)}
          </select>
        </label>
        <label>
          For
          <select value={maxUses} onChange={(e) => setMaxUses(Number(e.target.value))} data-testid="invite-uses">
            {USES.map((u) => <option key={u.value} value={u.value}>{u.label}</option>)}
          </select>
        </label>
        <button type="submit" disabled={create.isPending} data-testid="create-invite">Create link</button>
      </form>
      <ErrorText error={create.error ?? revoke.error ?? invites.error} />
      <ul className="invite-list">
        {invites.data?.map((invite) => (
          <InviteRow key={String(invite.id)} invite={invite} onRevoke={() => revoke.mutate(invite.id)} />
        ))}
      </ul>
      {invites.data?.length === 0 && <p className="muted small">No invite links yet.</p>}
    </section>
  );
}

function InviteRow({ invite, onRevoke }: { invite: Invite; onRevoke: () => void }) {
  const [copied, setCopied] = useState(false);
  const url = invite.code ? inviteUrl(invite.code) : null;
  const expired = Date.parse(invite.expiresAt) <= Date.now();
  const usedUp = invite.uses >= invite.maxUses;
  const joined = invite.maxUses === 1000 ? `${invite.uses} joined` : `${invite.uses} of ${invite.maxUses} joined`;
  const status = expired ? `${joined} · expired` : usedUp ? `${joined} · used up`
    : `${joined} · expires ${new Date(invite.expiresAt).toLocaleDateString()}`;

  const copy = async () => {
    if (!url) return;
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
    } catch {
      // no clipboard permission (an insecure origin, say): the link is in the field, selected for copying by hand
      const field = document.getElementById(`invite-${String(invite.id)}`) as HTMLInputElement | null;
      field?.select();
    }
  };

  return (
    <li className={`invite-row${expired || usedUp ? ' inactive' : ''}`} data-testid="invite" data-role={invite.role}>
      <span className="role">{invite.role}</span>
      {url ? (
        <input id={`invite-${String(invite.id)}`} className="grow invite-url" readOnly value={url}
          aria-label={`Invite link for ${invite.role}s`} data-testid="invite-url" onFocus={(e) => e.target.select()} />
      ) : (
        <span className="grow muted">link no longer shown (the server's secret changed)</span>
      )}
      <span className="muted small" data-testid="invite-status">{status}</span>
      <span className="row-actions">
        {url && !expired && !usedUp && (
          <button type="button" onClick={() => void copy()} data-testid="copy-invite">{copied ? 'Copied' : 'Copy'}</button>
        )}
        <ConfirmButton label="Revoke" confirmLabel="Revoke link" testId="revoke-invite" onConfirm={onRevoke} />
      </span>
    </li>
  );
}
