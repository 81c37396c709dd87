import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { AnnouncerProvider, useAnnounce } from '../a11y/Announcer';
import { ActivityPanel } from '../activity/ActivityPanel';
import { describeEvent } from '../activity/describe';
import { ApiError } from '../api/ApiError';
import { listKeys } from '../api/queryKeys';
import type { Category, Id, Item, ItemPatch, ItemsPage } from '../api/types';
import { useSession } from '../auth/useSession';
import { MembersPanel } from '../lists/MembersPanel';
import { RoleBadge } from '../lists/RoleBadge';
import { useList, useMembers, useRenameList } from '../lists/queries';
import { WhoIsViewing } from '../presence/WhoIsViewing';
import { ConnectionBadge } from '../realtime/ConnectionBadge';
import { applyPending } from '../offline/overlay';
import { RefusalNotices } from '../offline/RefusalNotices';
import { useOutboxLoaded, usePendingWrites } from '../offline/useOutbox';
import type { ListEvent } from '../realtime/events';
import { LIST_GONE } from '../realtime/ListSyncConnection';
import { useListSync } from '../realtime/useListSync';
import type { Positioned } from '../reorder/positions';
import { ErrorText } from '../ui/ErrorText';
import { InlineText } from '../ui/InlineText';
import type { UndoAction } from '../undo/plan';
import { UndoProvider, useNoteEventForUndo, useOfferUndo } from '../undo/UndoProvider';
import { useQueryClient } from '@tanstack/react-query';
import { AddItemForm } from './AddItemForm';
import { CategoryManager } from './CategoryManager';
import { ItemBoard, type MoveActions } from './ItemBoard';
import {
  useCategories, useClearChecked, useDeleteCategory, useDeleteItem, useItems, useSetChecked, useUpdateItem,
} from './queries';

const SHOW_CHECKED_KEY = 'listsync.showChecked';

function useShowChecked(): [boolean, (value: boolean) => void] {
  const [value, setValue] = useState(() => localStorage.getItem(SHOW_CHECKED_KEY) !== 'false');
  return [value, (next) => {
    localStorage.setItem(SHOW_CHECKED_KEY, String(next));
    setValue(next);
  }];
}

type Panel = 'members' | 'history' | null;

export function ListPage() {
  const { listId = '' } = useParams();
  return (
    <AnnouncerProvider>
      <UndoProvider listId={listId}>
        <ListScreen listId={listId} />
      </UndoProvider>
    </AnnouncerProvider>
  );
}

function ListScreen({ listId }: { listId: string }) {
  const [showChecked, setShowChecked] = useShowChecked();
  const [panel, setPanel] = useState<Panel>(null);
  const me = useSession()?.user.id;
  const list = useList(listId);
  // The whole list, checked items included (hidden on screen when "Show checked" is off): undo, duplicate warnings
  // and reordering all need to know them.
  const items = useItems(listId, true);
  const categories = useCategories(listId);
  const accessible = !(list.error instanceof ApiError && (list.error.status === 404 || list.error.status === 403));
  const members = useMembers(listId, accessible);
  const announce = useAnnounce();
  const noteForUndo = useNoteEventForUndo();
  const client = useQueryClient();
  const pending = usePendingWrites(listId);
  const outboxLoaded = useOutboxLoaded();
  const shown = useMemo(() => applyPending(items.data?.items ?? [], categories.data?.categories ?? [], pending),
    [items.data, categories.data, pending]);

  // Other people's changes, read out politely (the cache still shows what they change when this runs).
  const onEvent = useCallback((event: ListEvent) => {
    noteForUndo(event);
    if (event.actorId === undefined || String(event.actorId) === String(me)) return;
    const cached = client.getQueryData<ItemsPage>(listKeys.items(listId, true))?.items ?? [];
    const actor = members.data?.find((m) => String(m.user.id) === String(event.actorId))?.user.displayName ?? 'Someone';
    const cats = client.getQueryData<{ categories: Category[] }>(listKeys.categories(listId))?.categories ?? [];
    announce(describeEvent(event.type, event.data as unknown as Record<string, unknown>, {
      actor,
      item: (id) => cached.find((it) => String(it.id) === String(id))?.name ?? null,
      category: (id) => cats.find((c) => String(c.id) === String(id))?.name ?? null,
    }));
  }, [me, client, listId, members.data, announce, noteForUndo]);
  const sync = useListSync({ listId, includeChecked: true, enabled: accessible, onEvent });
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
  // What the server has, with this user's waiting changes on top (see offline/overlay.ts).
  const { items: allItems, categories: allCategories } = shown;
  const toggle = (next: Panel) => setPanel((current) => (current === next ? null : next));
  return (
    <main className="page list-page" data-testid="list-page">
      <div className="list-head">
        <Link to="/" className="back" aria-label="All lists">←</Link>
        <ListTitle listId={listId} name={list.data?.name} readOnly={readOnly} />
        {list.data && <RoleBadge role={list.data.role} />}
        <ConnectionBadge sync={sync} waiting={pending.length} />
        <WhoIsViewing presence={sync.presence} me={me} />
      </div>
      <nav className="list-tabs" aria-label="List panels">
        <button type="button" className="ghost" aria-expanded={panel === 'members'} aria-controls="list-panel"
          data-testid="open-members" onClick={() => toggle('members')}>
          {role === 'owner' ? 'Share' : 'Members'}
        </button>
        <button type="button" className="ghost" aria-expanded={panel === 'history'} aria-controls="list-panel"
          data-testid="open-history" onClick={() => toggle('history')}>History</button>
      </nav>
      {panel && (
        <div id="list-panel" className="list-panel">
          {panel === 'members' && (
            <div className="card">
              <h2 className="panel-title">Members</h2>
              <MembersPanel listId={listId} isOwner={role === 'owner'} />
            </div>
          )}
          {panel === 'history' && (
            <ActivityPanel listId={listId} version={list.data?.version} me={me} items={allItems}
              categories={allCategories} />
          )}
        </div>
      )}
      {sync.connectionError && <p className="error" role="alert">{sync.connectionError}</p>}
      <RefusalNotices listId={listId} />
      <ErrorText error={list.error ?? items.error ?? categories.error} />
      {role === 'viewer' && <p className="muted" data-testid="read-only">You can view this list; only editors can change it.</p>}
      <ListBody listId={listId} items={allItems} categories={allCategories} readOnly={readOnly}
        showChecked={showChecked} onShowChecked={setShowChecked}
        loading={items.isPending || categories.isPending || !outboxLoaded} />
    </main>
  );
}

/** Everything that changes items: the add form, the toolbar, the board, the categories; each change offers Undo. */
function ListBody({ listId, items, categories, readOnly, showChecked, onShowChecked, loading }: {
  listId: Id;
  items: readonly Item[];
  categories: readonly Category[];
  readOnly: boolean;
  showChecked: boolean;
  onShowChecked: (value: boolean) => void;
  loading: boolean;
}) {
  const offerUndo = useOfferUndo();
  const setChecked = useSetChecked(listId);
  const update = useUpdateItem(listId);
  const remove = useDeleteItem(listId);
  const clear = useClearChecked(listId);
  const removeCategory = useDeleteCategory(listId);
  const [highlightId, setHighlightId] = useState<Id | null>(null);
  const highlightTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(highlightTimer.current), []);

  /** Each change keeps the promise of its write, so that an undo is sent after it (see UndoAction.settled). */
  const settle = (write: Promise<unknown>) => write.then(() => undefined, () => undefined);

  const check = (item: Item, checked: boolean) => {
    const action: UndoAction = { kind: 'check', before: item, checked };
    action.settled = settle(setChecked.mutateAsync({ itemId: item.id, checked }));
    offerUndo({ message: `${checked ? 'Checked' : 'Unchecked'} ${item.name}`, action });
  };

  const highlight = (item: Item) => {
    setHighlightId(item.id);
    document.querySelector(`[data-testid="item"][data-id="${CSS.escape(String(item.id))}"]`)
      ?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    clearTimeout(highlightTimer.current);
    highlightTimer.current = setTimeout(() => setHighlightId(null), 2_500);
  };

  const actions: MoveActions = {
    setChecked: check,
    update: (item, patch) => update.mutate({ itemId: item.id, patch }),
    remove: (item) => {
      const settled = settle(remove.mutateAsync(item.id));
      offerUndo({ message: `Deleted ${item.name}`, action: { kind: 'delete', items: [item], settled } });
    },
    move: (item: Item, patch: ItemPatch, respread: Positioned[]) => {
      for (const other of respread) update.mutate({ itemId: other.id, patch: { position: other.position } });
      update.mutate({ itemId: item.id, patch });
    },
  };

  const clearChecked = () => {
    const checked = items.filter((it) => it.checked);
    if (checked.length === 0) return;
    const settled = settle(clear.mutateAsync(undefined));
    offerUndo({
      message: `Cleared ${checked.length} checked ${checked.length === 1 ? 'item' : 'items'}`,
      action: { kind: 'delete', items: checked, settled },
    });
  };

  const deleteCategory = (category: Category) => {
    const itemIds = items.filter((it) => String(it.categoryId) === String(category.id)).map((it) => it.id);
    const settled = settle(removeCategory.mutateAsync(category.id));
    offerUndo({
      message: `Deleted the category ${category.name}`,
      action: { kind: 'deleteCategory', category, itemIds, settled },
    });
  };

  const shown = useMemo(() => (showChecked ? items : items.filter((it) => !it.checked)), [items, showChecked]);
  const hasChecked = items.some((it) => it.checked);
  return (
    <>
      {!readOnly && (
        <AddItemForm listId={listId} categories={categories} items={items} onHighlight={highlight}
          onUncheck={(item) => check(item, false)} />
      )}
      <div className="toolbar">
        <label className="toggle">
          <input type="checkbox" checked={showChecked} onChange={(e) => onShowChecked(e.target.checked)}
            data-testid="show-checked" />
          Show checked
        </label>
        {!readOnly && (
          <button type="button" className="ghost" disabled={!hasChecked} data-testid="clear-checked"
            onClick={clearChecked}>Clear checked</button>
        )}
        <ErrorText error={clear.error} />
      </div>
      <ErrorText error={setChecked.error ?? update.error ?? remove.error ?? removeCategory.error} />
      {loading ? (
        <p className="muted">Loading…</p>
      ) : (
        <ItemBoard items={shown} categories={categories} readOnly={readOnly} showChecked={showChecked}
          actions={actions} highlightId={highlightId} />
      )}
      {!readOnly && !loading && (
        <details className="card category-details">
          <summary data-testid="manage-categories">Manage categories</summary>
          <CategoryManager listId={listId} categories={categories} onDelete={deleteCategory} />
        </details>
      )}
    </>
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
