import { useEffect, useRef, useState, type CSSProperties, type ReactNode, type Ref } from 'react';
import type { Category, Item, ItemPatch } from '../api/types';
import { ItemEditor } from './ItemEditor';
import type { ShownItem } from '../offline/overlay';

export interface ItemActions {
  setChecked: (item: Item, checked: boolean) => void;
  update: (item: Item, patch: ItemPatch) => void;
  remove: (item: Item) => void;
}

/**
 * One item: the whole checkbox area is one tap; editors can edit inline and delete, and move it by its handle.
 * Closing the editor (save or cancel) puts the focus back on the item's Edit button.
 */
export function ItemRow({ item, categories, readOnly, actions, handle, rowRef, style, highlighted, dragging }: {
  item: Item;
  categories: readonly Category[];
  readOnly: boolean;
  actions: ItemActions;
  /** The drag handle, for sortable rows. */
  handle?: ReactNode;
  rowRef?: Ref<HTMLLIElement>;
  style?: CSSProperties;
  highlighted?: boolean;
  dragging?: boolean;
}) {
  const [editing, setEditing] = useState(false);
  // a change to it waits in the outbox (offline/overlay.ts)
  const pending = (item as ShownItem).pending === true;
  const editButton = useRef<HTMLButtonElement>(null);
  const wasEditing = useRef(false);
  useEffect(() => {
    if (wasEditing.current && !editing) editButton.current?.focus();
    wasEditing.current = editing;
  }, [editing]);

  if (editing && !readOnly) {
    return (
      <li ref={rowRef} style={style} className="item editing" data-testid="item" data-name={item.name}
        data-checked={item.checked}>
        <ItemEditor item={item} categories={categories} onCancel={() => setEditing(false)}
          onSave={(patch) => { setEditing(false); actions.update(item, patch); }} />
      </li>
    );
  }
  const classes = ['item', item.checked && 'checked', highlighted && 'highlighted', dragging && 'dragging']
    .filter(Boolean).join(' ');
  return (
    <li ref={rowRef} style={style} className={classes} data-testid="item" data-name={item.name}
      data-checked={item.checked} data-id={String(item.id)} data-pending={pending || undefined}>
      {handle}
      <label className="check">
        <input type="checkbox" checked={item.checked} disabled={readOnly} data-testid="item-checkbox"
          aria-label={`${item.checked ? 'Uncheck' : 'Check'} ${item.name}`}
          onChange={(e) => actions.setChecked(item, e.target.checked)} />
        <span className="item-text">
          <span className="item-name" data-testid="item-name">{item.name}</span>
          {item.quantity && <span className="item-qty" data-testid="item-quantity">{item.quantity}</span>}
          {item.note && <span className="item-note" data-testid="item-note">{item.note}</span>}
          {pending && <span className="pending-mark" data-testid="item-pending">waiting to be saved</span>}
        </span>
      </label>
      {!readOnly && (
        <span className="row-actions">
          <button ref={editButton} type="button" className="icon" aria-label={`Edit ${item.name}`} data-testid="edit-item"
            onClick={() => setEditing(true)}>✎</button>
          <button type="button" className="icon" aria-label={`Delete ${item.name}`} data-testid="delete-item"
            onClick={() => actions.remove(item)}>✕</button>
        </span>
      )}
    </li>
  );
}
