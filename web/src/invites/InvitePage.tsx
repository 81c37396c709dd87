import { useEffect, useRef } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api/ApiError';
import { useSession } from '../auth/useSession';
import { ErrorText } from '../ui/ErrorText';
import { useAcceptInvite, useInvitePreview } from './queries';

/** Set when a signed-out visitor chooses to sign in or up from an invite: back here signed in, it joins by itself. */
const JOIN_AFTER_AUTH = 'listsync.joinAfterAuth';

/**
 * `/invite/{code}`: what the invite is for (the list's name, the role, who invites), without an account. Signed in, one
 * click joins; signed out, sign-in and sign-up carry the code through (`?next=/invite/{code}`) and join on return.
 */
export function InvitePage() {
  const { code = '' } = useParams();
  const session = useSession();
  const navigate = useNavigate();
  const preview = useInvitePreview(code);
  const accept = useAcceptInvite();
  const autoJoined = useRef(false);

  const join = () => accept.mutate(code, {
    onSuccess: (list) => void navigate(`/lists/${encodeURIComponent(String(list.id))}`, { replace: true }),
  });

  useEffect(() => {
    if (!session || autoJoined.current || !preview.data) return;
    if (sessionStorage.getItem(JOIN_AFTER_AUTH) !== code) return;
    autoJoined.current = true;
    sessionStorage.removeItem(JOIN_AFTER_AUTH);
    join();
  }, [session, preview.data, code]);

  const next = `?next=${encodeURIComponent(`/invite/${code}`)}`;
  const remember = () => sessionStorage.setItem(JOIN_AFTER_AUTH, code);
  const gone = preview.error instanceof ApiError && preview.error.status === 404;

  return (
    <main className="auth invite-page" data-testid="invite-page">
      <h1 className="brand">ListSync</h1>
      <section className="card auth-form" aria-labelledby="invite-title">
        {preview.isPending && <p className="muted">Looking up the invite…</p>}
        {gone && (
          <>
            <h2 id="invite-title">This invite link is not valid</h2>
            <p data-testid="invite-invalid">It may have expired, been used up or revoked. Ask for a new one.</p>
            <Link to="/">Go to your lists</Link>
          </>
        )}
        {!gone && <ErrorText error={preview.error} />}
        {preview.data && (
          <>
            <h2 id="invite-title">Join “{preview.data.listName}”</h2>
            <p data-testid="invite-summary">
              {preview.data.invitedBy.displayName} invites you to <strong>{preview.data.listName}</strong> as
              {preview.data.role === 'editor' ? ' an editor: you can add, check and change items.'
                : ' a viewer: you can see the list as it changes.'}
            </p>
            <p className="muted small">The link works until {new Date(preview.data.expiresAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}.</p>
            {session ? (
              <button type="button" className="primary" disabled={accept.isPending} onClick={join}
                data-testid="join-list">
                {accept.isPending ? 'Joining…' : `Join as ${session.user.displayName}`}
              </button>
            ) : (
              <div className="stack">
                <Link className="button primary" to={`/signup${next}`} onClick={remember} data-testid="invite-signup">
                  Create an account to join
                </Link>
                <Link className="button" to={`/signin${next}`} onClick={remember} data-testid="invite-signin">
                  I have an account: sign in
                </Link>
              </div>
            )}
            <ErrorText error={accept.error} />
          </>
        )}
      </section>
    </main>
  );
}
