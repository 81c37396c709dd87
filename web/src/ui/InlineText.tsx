import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';

interface Props {
  value: string;
  label: string;
  onSave: (value: string) => void;
  className?: string;
  maxLength?: number;
  disabled?: boolean;
  testId?: string;
  /** What the button shows while not editing, when that is not the value itself (e.g. "Rename"). */
  buttonText?: string;
}

/**
 * A text that becomes an input on click (or Enter/Space when focused); Enter saves, Escape cancels. Saving or
 * cancelling with the keyboard puts the focus back on the text's button.
 */
export function InlineText({ value, label, onSave, className, maxLength = 200, disabled, testId, buttonText }: Props) {
  const [draft, setDraft] = useState<string | null>(null);
  // Enter and blur both finish; whichever comes second (or a blur after Escape) must do nothing.
  const done = useRef(false);
  const button = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  useEffect(() => {
    if (draft === null && refocus.current) {
      refocus.current = false;
      button.current?.focus();
    }
  }, [draft]);
  if (disabled) return <span className={className} data-testid={testId}>{value}</span>;
  if (draft === null) {
    return (
      <button ref={button} type="button" className={buttonText ? className : `inline-text ${className ?? ''}`} data-testid={testId}
        aria-label={buttonText ? `${buttonText} ${value}` : `${label}: ${value}. Edit`} onClick={() => { done.current = false; setDraft(value); }}>
        {buttonText ?? value}
      </button>
    );
  }
  const finish = (event?: FormEvent) => {
    event?.preventDefault();
    if (done.current) return;
    done.current = true;
    // Enter (a submit) gives the focus back; a blur means the user went elsewhere on purpose
    refocus.current = event !== undefined;
    const trimmed = draft.trim();
    setDraft(null);
    if (trimmed && trimmed !== value) onSave(trimmed);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      done.current = true;
      refocus.current = true;
      setDraft(null);
    }
  };
  return (
    <form onSubmit={finish} className="inline-form">
      <input autoFocus aria-label={label} value={draft} maxLength={maxLength} onBlur={() => finish()}
        onChange={(e) => setDraft(e.target.value)} onKeyDown={onKeyDown} />
    </form>
  );
}
