import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Category, Item, ItemPatch } from '../api/types';

/** Inline editing of one item: Enter saves what changed, Escape cancels. */
export function ItemEditor({ item, categories, onSave, onCancel }: {
  item: Item;
  categories: readonly Category[];
  onSave: (patch: ItemPatch) => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(item.name);
  const [quantity, setQuantity] = useState(item.quantity ?? '');
  const [note, setNote] = useState(item.note ?? '');
  const [categoryId, setCategoryId] = useState(item.categoryId == null ? '' : String(item.categoryId));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const patch: ItemPatch = {};
    const trimmed = name.trim();
    if (trimmed && trimmed !== item.name) patch.name = trimmed;
    if ((quantity.trim() || null) !== item.quantity) patch.quantity = quantity.trim() || null;
    if ((note.trim() || null) !== item.note) patch.note = note.trim() || null;
    const category = categories.find((c) => String(c.id) === categoryId);
    const nextCategory = category ? category.id : null;
    if (String(nextCategory) !== String(item.categoryId)) patch.categoryId = nextCategory;
    if (Object.keys(patch).length > 0) onSave(patch);
    else onCancel();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') onCancel();
  };

  return (
    <form className="item-editor" onSubmit={onSubmit} onKeyDown={onKeyDown} aria-label={`Edit ${item.name}`}
      data-testid="item-editor">
      <input autoFocus className="grow" aria-label="Name" required maxLength={200} value={name}
        onChange={(e) => setName(e.target.value)} data-testid="edit-name" />
      <input className="qty" aria-label="Quantity" placeholder="Qty" maxLength={50} value={quantity}
        onChange={(e) => setQuantity(e.target.value)} data-testid="edit-quantity" />
      <input className="note" aria-label="Note" placeholder="Note" maxLength={2000} value={note}
        onChange={(e) => setNote(e.target.value)} data-testid="edit-note" />
      <select aria-label="Category" value={categoryId} onChange={(e) => setCategoryId(e.target.value)}>
        <option value="">No category</option>
        {categories.map((c) => <option key={String(c.id)} value={String(c.id)}>{c.name}</option>)}
      </select>
      <span className="row-actions">
        <button type="submit" className="primary">Save</button>
        <button type="button" className="ghost" onClick={onCancel}>Cancel</button>
      </span>
    </form>
  );
}
