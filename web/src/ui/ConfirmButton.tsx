import { useState } from 'react';

/** A destructive button that asks once more in place (no blocking browser dialog, works the same on a phone). */
export function ConfirmButton({ label, confirmLabel, onConfirm, disabled, testId }: {
  label: string;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  testId?: string;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="danger-outline" disabled={disabled} data-testid={testId}
        onClick={() => setAsking(true)}>{label}</button>
    );
  }
  return (
    <span className="confirm">
      <button type="button" className="danger" data-testid={testId && `${testId}-confirm`}
        onClick={() => { setAsking(false); onConfirm(); }}>{confirmLabel}</button>
      <button type="button" className="ghost" onClick={() => setAsking(false)}>Cancel</button>
    </span>
  );
}
