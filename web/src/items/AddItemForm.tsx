import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Category, Id, Item, Suggestion } from '../api/types';
import { sameId } from '../realtime/cache';
import { decideAdd } from '../suggestions/decide';
import { useSuggestions } from '../suggestions/queries';
import { ErrorText } from '../ui/ErrorText';
import { useCreateItem } from './queries';

const empty = { name: '', quantity: '', note: '', categoryId: '' };

interface Notice {
  text: string;
  /** The name that may be added anyway. */
  duplicate?: string;
}

/**
 * Type a name, Tab through the optional fields, Enter adds; the cursor returns to the name for the next item.
 * While typing, names once added to this list are offered (an ARIA 1.2 combobox: arrow keys, Enter, Escape, or a tap).
 * A name already on the list unchecked is pointed out instead of added twice; a checked one is unchecked.
 */
export function AddItemForm({ listId, categories, items, onUncheck, onHighlight }: {
  listId: Id;
  categories: readonly Category[];
  /** The whole list as cached, checked items included. */
  items: readonly Item[];
  onUncheck: (item: Item) => void;
  onHighlight: (item: Item) => void;
}) {
  const create = useCreateItem(listId);
  const [draft, setDraft] = useState(empty);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [notice, setNotice] = useState<Notice | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const listboxId = useId();
  const suggestions = useSuggestions(listId, draft.name, open);
  const options: Suggestion[] = draft.name.trim() ? suggestions.data?.suggestions ?? [] : [];
  const expanded = open && options.length > 0;

  const add = (name: string, from?: Suggestion) => {
    const chosen = categories.find((c) => String(c.id) === draft.categoryId);
    // the form's own fields win; otherwise a suggestion brings the quantity and category it was last added with
    const category = chosen ?? categories.find((c) => from?.categoryId != null && sameId(c.id, from.categoryId));
    create.mutate({
      name,
      quantity: draft.quantity.trim() || from?.quantity || null,
      note: draft.note.trim() || null,
      categoryId: category ? category.id : null,
    });
    setDraft({ ...empty, categoryId: draft.categoryId });
  };

  const submitName = (name: string, from?: Suggestion) => {
    setOpen(false);
    setActive(-1);
    const decision = decideAdd(name, items);
    nameRef.current?.focus();
    if (decision.kind === 'onList') {
      setNotice({ text: `${decision.item.name} is already on the list.`, duplicate: name });
      onHighlight(decision.item);
      return;
    }
    if (decision.kind === 'uncheck') {
      onUncheck(decision.item);
      setNotice({ text: `${decision.item.name} was checked off; it is back on the list.` });
      onHighlight(decision.item);
      setDraft({ ...empty, categoryId: draft.categoryId });
      return;
    }
    setNotice(null);
    add(name, from);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const picked = expanded && active >= 0 ? options[active] : undefined;
    const name = (picked?.name ?? draft.name).trim();
    if (name) submitName(name, picked);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) setOpen(true);
      if (options.length === 0) return;
      const last = options.length - 1;
      setActive((i) => (event.key === 'ArrowDown' ? (i >= last ? 0 : i + 1) : (i <= 0 ? last : i - 1)));
    } else if (event.key === 'Escape') {
      if (expanded) {
        event.preventDefault();
        setOpen(false);
        setActive(-1);
      }
    } else if (event.key === 'Tab') {
      setOpen(false);
    }
  };

  const set = (key: keyof typeof empty) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));
  const activeOption = expanded && active >= 0 && active < options.length ? `${listboxId}-${active}` : undefined;

  return (
    <form className="add-item" onSubmit={onSubmit} aria-label="Add item" data-testid="add-item-form">
      <div className="combobox grow">
        <input ref={nameRef} className="grow" placeholder="Add an item" aria-label="Item name" maxLength={200} required
          value={draft.name} data-testid="add-item-name" autoFocus autoComplete="off"
          role="combobox" aria-autocomplete="list" aria-expanded={expanded} aria-controls={listboxId}
          aria-activedescendant={activeOption}
          onChange={(e) => { set('name')(e); setOpen(true); setActive(-1); setNotice(null); }}
          onKeyDown={onKeyDown} onBlur={() => setOpen(false)} onFocus={() => draft.name && setOpen(true)} />
        <ul id={listboxId} role="listbox" aria-label="Suggestions" className="suggestions" hidden={!expanded}
          data-testid="suggestions">
          {expanded && options.map((s, i) => (
            <li key={s.name} id={`${listboxId}-${i}`} role="option" aria-selected={i === active}
              className={`suggestion${i === active ? ' active' : ''}`} data-testid="suggestion" data-name={s.name}
              // keep the focus in the field, so a tap or click picks without closing the list first
              onPointerDown={(e) => e.preventDefault()} onMouseDown={(e) => e.preventDefault()}
              onClick={() => submitName(s.name, s)}>
              <span className="suggestion-name">{s.name}</span>
              {s.quantity && <span className="item-qty">{s.quantity}</span>}
              {s.onList && (
                <span className={`badge${s.onList.checked ? ' muted' : ''}`}>{s.onList.checked ? 'checked off' : 'on the list'}</span>
              )}
            </li>
          ))}
        </ul>
      </div>
      <input className="qty" placeholder="Qty" aria-label="Quantity" maxLength={50} value={draft.quantity}
        onChange={set('quantity')} data-testid="add-item-quantity" />
      <input className="note" placeholder="Note" aria-label="Note" maxLength={2000} value={draft.note}
        onChange={set('note')} data-testid="add-item-note" />
      <select aria-label="Category" value={draft.categoryId} onChange={set('categoryId')} data-testid="add-item-category">
        <option value="">No category</option>
        {categories.map((c) => <option key={String(c.id)} value={String(c.id)}>{c.name}</option>)}
      </select>
      <button type="submit" className="primary">Add</button>
      {notice && (
        <p className="notice" role="status" data-testid="add-notice">
          {notice.text}
          {notice.duplicate && (
            <button type="button" className="ghost" data-testid="add-anyway"
              onClick={() => { add(notice.duplicate!); setNotice(null); nameRef.current?.focus(); }}>
              Add anyway
            </button>
          )}
        </p>
      )}
      <ErrorText error={create.error} />
    </form>
  );
}
