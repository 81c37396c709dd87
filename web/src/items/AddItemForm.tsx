import { useRef, useState, type FormEvent } from 'react';
import type { Category, Id } from '../api/types';
import { ErrorText } from '../ui/ErrorText';
import { useCreateItem } from './queries';

const empty = { name: '', quantity: '', note: '', categoryId: '' };

/** Type a name, Tab through the optional fields, Enter adds; the cursor returns to the name for the next item. */
export function AddItemForm({ listId, categories }: { listId: Id; categories: readonly Category[] }) {
  const create = useCreateItem(listId);
  const [draft, setDraft] = useState(empty);
  const nameRef = useRef<HTMLInputElement>(null);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const name = draft.name.trim();
    if (!name) return;
    const category = categories.find((c) => String(c.id) === draft.categoryId);
    create.mutate({
      name,
      quantity: draft.quantity.trim() || null,
      note: draft.note.trim() || null,
      categoryId: category ? category.id : null,
    });
    // Keep the category: people add several things from the same aisle in a row.
    setDraft({ ...empty, categoryId: draft.categoryId });
    nameRef.current?.focus();
  };
  const set = (key: keyof typeof empty) => (e: { target: { value: string } }) =>
    setDraft((d) => ({ ...d, [key]: e.target.value }));

  return (
    <form className="add-item" onSubmit={onSubmit} aria-label="Add item" data-testid="add-item-form">
      <input ref={nameRef} className="grow" placeholder="Add an item" aria-label="Item name" maxLength={200} required
        value={draft.name} onChange={set('name')} data-testid="add-item-name" autoFocus />
      <input className="qty" placeholder="Qty" aria-label="Quantity" maxLength={50} value={draft.quantity}
        onChange={set('quantity')} data-testid="add-item-quantity" />
      <input className="note" placeholder="Note" aria-label="Note" maxLength={2000} value={draft.note}
        onChange={set('note')} data-testid="add-item-note" />
      <select aria-label="Category" value={draft.categoryId} onChange={set('categoryId')} data-testid="add-item-category">
        <option value="">No category</option>
        {categories.map((c) => <option key={String(c.id)} value={String(c.id)}>{c.name}</option>)}
      </select>
      <button type="submit" className="primary">Add</button>
      <ErrorText error={create.error} />
    </form>
  );
}
