import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api/ApiError';
import type { Category, Id, Item } from '../api/types';
import { RoleBadge } from '../lists/RoleBadge';
import { useList, useRenameList } from '../lists/queries';
import { ConnectionBadge } from '../realtime/ConnectionBadge';
import { LIST_GONE } from '../realtime/ListSyncConnection';
import { useListSync } from '../realtime/useListSync';
import { ErrorText } from '../ui/ErrorText';
import { InlineText } from '../ui/InlineText';
import { AddItemForm } from './AddItemForm';
import { CategoryManager } from './CategoryManager';
import { groupItems } from './grouping';
import { ItemRow, type ItemActions } from './ItemRow';
import {
  useCategories, useClearChecked, useDeleteItem, useItems, useSetChecked, useUpdateItem,
} from './queries';

const SHOW_CHECKED_KEY = 'listsync.showChecked';

function useShowChecked(): [boolean, (value: boolean) => void] {
  const [value, setValue] = useState(() => localStorage.getItem(SHOW_CHECKED_KEY) !== 'false');
  return [value, (next) => {
    localStorage.setItem(SHOW_CHECKED_KEY, String(next));
    setValue(next);
  }];
}

export function ListPage() {
  const { listId = '' } = useParams();
  const [showChecked, setShowChecked] = useShowChecked();
  const list = useList(listId);
  const items = useItems(listId, showChecked);
  const categories = useCategories(listId);
  const accessible = !(list.error instanceof ApiError && (list.error.status === 404 || list.error.status === 403));
  const sync = useListSync({ listId, includeChecked: showChecked, enabled: accessible });
  const accessEnded = sync.status === 'stopped' && (sync.closeCode === 4403 || sync.closeCode === 4404);

  if (!accessible || accessEnded) {
    return (
      <main className="page">
        <p className="error" role="alert" data-testid="access-ended">
          {accessEnded ? sync.connectionError : LIST_GONE}
        </p>
        <Link to="/">Back to your lists</Link>
      </main>
    );
  }

  // Read-only until the role is known, so a viewer never sees edit controls flash while the list loads.
  const role = list.data?.role;
  const readOnly = role !== 'owner' && role !== 'editor';
  return (
    <main className="page list-page" data-testid="list-page">
      <div className="list-head">
        <Link to="/" className="back" aria-label="All lists">←</Link>
        <ListTitle listId={listId} name={list.data?.name} readOnly={readOnly} />
        {list.data && <RoleBadge role={list.data.role} />}
        <ConnectionBadge sync={sync} />
      </div>
      {sync.connectionError && <p className="error" role="alert">{sync.connectionError}</p>}
      <ErrorText error={list.error ?? items.error ?? categories.error} />
      {role === 'viewer' && <p className="muted" data-testid="read-only">You can view this list; only editors can change it.</p>}
      {!readOnly && <AddItemForm listId={listId} categories={categories.data?.categories ?? []} />}
      <Toolbar listId={listId} showChecked={showChecked} onShowChecked={setShowChecked} readOnly={readOnly}
        hasChecked={items.data?.items.some((it) => it.checked) ?? false} />
      {items.isPending || categories.isPending ? (
        <p className="muted">Loading…</p>
      ) : (
        <ItemGroups listId={listId} items={items.data?.items ?? []} categories={categories.data?.categories ?? []}
          readOnly={readOnly} />
      )}
      {!readOnly && categories.data && (
        <details className="card category-details">
          <summary data-testid="manage-categories">Manage categories</summary>
          <CategoryManager listId={listId} categories={categories.data.categories} />
        </details>
      )}
    </main>
  );
}

function ListTitle({ listId, name, readOnly }: { listId: Id; name: string | undefined; readOnly: boolean }) {
  const rename = useRenameList(listId);
  return (
    <h1 className="list-title" data-testid="list-title">
      <InlineText value={name ?? '…'} label="List name" disabled={readOnly} onSave={(next) => rename.mutate(next)} />
      <ErrorText error={rename.error} />
    </h1>
  );
}

function Toolbar({ listId, showChecked, onShowChecked, readOnly, hasChecked }: {
  listId: Id;
  showChecked: boolean;
  onShowChecked: (value: boolean) => void;
  readOnly: boolean;
  hasChecked: boolean;
}) {
  const clear = useClearChecked(listId);
  return (
    <div className="toolbar">
      <label className="toggle">
        <input type="checkbox" checked={showChecked} onChange={(e) => onShowChecked(e.target.checked)}
          data-testid="show-checked" />
        Show checked
      </label>
      {!readOnly && (
        <button type="button" className="ghost" disabled={!hasChecked && showChecked} data-testid="clear-checked"
          onClick={() => clear.mutate(undefined)}>Clear checked</button>
      )}
      <ErrorText error={clear.error} />
    </div>
  );
}

function ItemGroups({ listId, items, categories, readOnly }: {
  listId: Id;
  items: readonly Item[];
  categories: readonly Category[];
  readOnly: boolean;
}) {
  const setChecked = useSetChecked(listId);
  const update = useUpdateItem(listId);
  const remove = useDeleteItem(listId);
  const groups = useMemo(() => groupItems(items, categories), [items, categories]);
  const actions: ItemActions = {
    setChecked: (item, checked) => setChecked.mutate({ itemId: item.id, checked }),
    update: (item, patch) => update.mutate({ itemId: item.id, patch }),
    remove: (item) => remove.mutate(item.id),
  };
  return (
    <>
      <ErrorText error={setChecked.error ?? update.error ?? remove.error} />
      {items.length === 0 && <p className="muted" data-testid="empty">Nothing on this list yet.</p>}
      {groups.map((group) => (
        <section key={group.category ? String(group.category.id) : 'none'} className="group" data-testid="group"
          data-category={group.category?.name ?? ''}>
          <h2 className="group-title">{group.category?.name ?? 'Uncategorized'}</h2>
          {group.items.length > 0 ? (
            <ul className="items">
              {group.items.map((item) => (
                <ItemRow key={String(item.id)} item={item} categories={categories} readOnly={readOnly}
                  actions={actions} />
              ))}
            </ul>
          ) : (
            <p className="muted small">No items.</p>
          )}
        </section>
      ))}
    </>
  );
}
