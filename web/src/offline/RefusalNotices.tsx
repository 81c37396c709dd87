import type { Id } from '../api/types';
import { useRefusals } from './useOutbox';

/** Says which waiting changes the server refused and that they were undone here; each stays until dismissed. */
export function RefusalNotices({ listId }: { listId: Id }) {
  const [refusals, dismiss] = useRefusals(listId);
  if (refusals.length === 0) return null;
  return (
    <div className="refusals" data-testid="refusals">
      {refusals.map((refusal) => (
        <p key={refusal.id} className="error refusal" role="alert" data-testid="refusal">
          {refusal.message}
          <button type="button" className="ghost" onClick={() => dismiss(refusal.id)}>Dismiss</button>
        </p>
      ))}
    </div>
  );
}
