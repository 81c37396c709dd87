import { useState } from 'react';
import type { Category, Item, ItemPatch } from '../api/types';
import { ItemEditor } from './ItemEditor';

export interface ItemActions {
  setChecked: (item: Item, checked: boolean) => void;
  update: (item: Item, patch: ItemPatch) => void;
  remove: (item: Item) => void;
}

/** One item: the whole checkbox area is one tap; editors can edit inline and delete. */
export function ItemRow({ item, categories, readOnly, actions }: {
  item: Item;
  categories: readonly Category[];
  readOnly: boolean;
  actions: ItemActions;
}) {
  const [editing, setEditing] = useState(false);
  if (editing && !readOnly) {
    return (
      <li className="item editing" data-testid="item" data-name={item.name}>
        <ItemEditor item={item} categories={categories} onCancel={() => setEditing(false)}
          onSave={(patch) => { setEditing(false); actions.update(item, patch); }} />
      </li>
    );
  }
  return (
    <li className={`item${item.checked ? ' checked' : ''}`} data-testid="item" data-name={item.name}
      data-checked={item.checked}>
      <label className="check">
        <input type="checkbox" checked={item.checked} disabled={readOnly} data-testid="item-checkbox"
          aria-label={`${item.checked ? 'Uncheck' : 'Check'} ${item.name}`}
          onChange={(e) => actions.setChecked(item, e.target.checked)} />
        <span className="item-text">
          <span className="item-name" data-testid="item-name">{item.name}</span>
          {item.quantity && <span className="item-qty" data-testid="item-quantity">{item.quantity}</span>}
          {item.note && <span className="item-note" data-testid="item-note">{item.note}</span>}
        </span>
      </label>
      {!readOnly && (
        <span className="row-actions">
          <button type="button" className="icon" aria-label={`Edit ${item.name}`} data-testid="edit-item"
            onClick={() => setEditing(true)}>✎</button>
          <button type="button" className="icon" aria-label={`Delete ${item.name}`} data-testid="delete-item"
            onClick={() => actions.remove(item)}>✕</button>
        </span>
      )}
    </li>
  );
}
