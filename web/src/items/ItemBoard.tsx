import {
  closestCorners, DndContext, DragOverlay, useDroppable, type Announcements, type CollisionDetection,
  type DragEndEvent, type DragOverEvent, type DragStartEvent, type UniqueIdentifier,
} from '@dnd-kit/core';
import { arrayMove, SortableContext, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useMemo, useRef, useState, type ReactNode } from 'react';
import type { Category, Id, Item, ItemPatch } from '../api/types';
import { planMove, type Positioned } from '../reorder/positions';
import { dragInstructions, useReorderSensors } from '../reorder/sensors';
import { byPosition, groupItems, type ItemGroup } from './grouping';
import { ItemRow, type ItemActions } from './ItemRow';

/** Group keys: a category's id, or this for the uncategorized items. */
const NONE = '__none__';
const GROUP = 'group:';
const keyOf = (group: ItemGroup) => (group.category ? String(group.category.id) : NONE);

type Order = Record<string, string[]>;

export interface MoveActions extends ItemActions {
  /** One move: the item's new position (and category), plus the rare extra moves that make room. */
  move: (item: Item, patch: ItemPatch, respread: Positioned[]) => void;
}

/**
 * The items, grouped by category, each group sortable and a drop target for the others (dnd-kit): drag an unchecked
 * item by its handle within its category or into another, with a mouse, a finger or the keyboard. A drop is one
 * PATCH `{position, categoryId?}` with the position between the new neighbours (see reorder/positions.ts).
 */
export function ItemBoard({ items, categories, readOnly, showChecked, actions, highlightId }: {
  items: readonly Item[];
  categories: readonly Category[];
  readOnly: boolean;
  showChecked: boolean;
  actions: MoveActions;
  highlightId: Id | null;
}) {
  const sensors = useReorderSensors();
  const groups = useMemo(() => groupItems(items, categories), [items, categories]);
  const byId = useMemo(() => new Map(items.map((it) => [String(it.id), it])), [items]);
  const base = useMemo<Order>(() => {
    const order: Order = {};
    for (const group of groups) order[keyOf(group)] = group.items.filter((it) => !it.checked).map((it) => String(it.id));
    return order;
  }, [groups]);
  const [dragOrder, setDragOrder] = useState<Order | null>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const order = dragOrder ?? base;
  const orderRef = useRef(order);
  orderRef.current = order;
  const startRef = useRef<Order>(base);

  // While dragging, an empty "Uncategorized" group is a drop target too.
  const shown: ItemGroup[] = dragOrder && !groups.some((g) => g.category === null)
    ? [...groups, { category: null, items: [] }] : groups;
  const groupName = (key: string) => (key === NONE ? 'Uncategorized' : categories.find((c) => String(c.id) === key)?.name ?? '');

  const containerOf = (id: UniqueIdentifier, current: Order = orderRef.current): string | undefined => {
    const text = String(id);
    if (text.startsWith(GROUP)) return text.slice(GROUP.length);
    return Object.keys(current).find((key) => current[key]!.includes(text));
  };

  const collision: CollisionDetection = (args) => {
    const hits = closestCorners(args);
    const first = hits[0] ? String(hits[0].id) : '';
    if (first.startsWith(GROUP)) {
      const ids = orderRef.current[first.slice(GROUP.length)] ?? [];
      const inner = closestCorners({
        ...args, droppableContainers: args.droppableContainers.filter((c) => ids.includes(String(c.id))),
      });
      if (inner.length > 0) return inner;
    }
    return hits;
  };

  const onDragStart = ({ active }: DragStartEvent) => {
    const start: Order = { [NONE]: [], ...base };
    startRef.current = start;
    setDragOrder(start);
    setActiveId(String(active.id));
  };

  const onDragOver = ({ active, over }: DragOverEvent) => {
    if (!over) return;
    setDragOrder((current) => {
      if (!current) return current;
      const from = containerOf(active.id, current);
      const to = containerOf(over.id, current);
      if (!from || !to || from === to) return current;
      const target = current[to]!;
      const overIndex = target.indexOf(String(over.id));
      const below = active.rect.current.translated && over.rect
        ? active.rect.current.translated.top > over.rect.top + over.rect.height / 2 : false;
      const index = overIndex < 0 ? target.length : overIndex + (below ? 1 : 0);
      return {
        ...current,
        [from]: current[from]!.filter((id) => id !== String(active.id)),
        [to]: [...target.slice(0, index), String(active.id), ...target.slice(index)],
      };
    });
  };

  const finish = () => {
    setDragOrder(null);
    setActiveId(null);
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    const current = orderRef.current;
    const key = containerOf(active.id, current);
    const item = byId.get(String(active.id));
    if (!key || !item) return finish();
    let list = current[key]!;
    if (over && String(over.id) !== String(active.id) && containerOf(over.id, current) === key && !String(over.id).startsWith(GROUP)) {
      list = arrayMove(list, list.indexOf(String(active.id)), list.indexOf(String(over.id)));
    }
    const startKey = containerOf(active.id, startRef.current);
    const unchanged = startKey === key && list.join() === startRef.current[key]!.join();
    finish();
    if (unchanged) return;
    const index = list.indexOf(String(active.id));
    const neighbours = list.filter((id) => id !== String(active.id)).map((id) => byId.get(id)!)
      .filter(Boolean).sort(byPosition);
    const plan = planMove(neighbours, index);
    const categoryId = key === NONE ? null : categories.find((c) => String(c.id) === key)?.id ?? null;
    const patch: ItemPatch = { position: plan.position };
    if (String(categoryId) !== String(item.categoryId)) patch.categoryId = categoryId;
    actions.move(item, patch, plan.respread);
  };

  const nameOf = (id: UniqueIdentifier) => byId.get(String(id))?.name ?? 'the item';
  /** Where the active item is (or lands, when over another item of its group), for the screen reader. */
  const whereIs = (id: UniqueIdentifier, over?: UniqueIdentifier) => {
    const key = containerOf(id);
    if (!key) return '';
    const list = orderRef.current[key] ?? [];
    let index = list.indexOf(String(id));
    if (over !== undefined && !String(over).startsWith(GROUP) && containerOf(over) === key) index = list.indexOf(String(over));
    return `in ${groupName(key)}, position ${index + 1} of ${list.length}`;
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${nameOf(active.id)}, ${whereIs(active.id)}.`,
    onDragOver: ({ active, over }) => `${nameOf(active.id)} is now ${whereIs(active.id, over?.id)}.`,
    onDragEnd: ({ active, over }) => `Dropped ${nameOf(active.id)} ${whereIs(active.id, over?.id)}.`,
    onDragCancel: ({ active }) => `Moving ${nameOf(active.id)} was cancelled; it is back where it was.`,
  };

  const active = activeId ? byId.get(activeId) : undefined;
  return (
    <DndContext sensors={sensors} collisionDetection={collision} onDragStart={onDragStart} onDragOver={onDragOver}
      onDragEnd={onDragEnd} onDragCancel={finish}
      accessibility={{ announcements, screenReaderInstructions: { draggable: dragInstructions } }}>
      {items.length === 0 && <p className="muted" data-testid="empty">Nothing on this list yet.</p>}
      {shown.map((group) => {
        const key = keyOf(group);
        const checked = showChecked ? group.items.filter((it) => it.checked) : [];
        return (
          <Group key={key} groupKey={key} title={group.category?.name ?? 'Uncategorized'}
            category={group.category?.name ?? ''} empty={(order[key] ?? []).length === 0 && checked.length === 0}>
            <SortableContext id={key} items={order[key] ?? []} strategy={verticalListSortingStrategy}>
              {(order[key] ?? []).map((id) => {
                const item = byId.get(id);
                return item ? (
                  <SortableItem key={id} item={item} categories={categories} readOnly={readOnly} actions={actions}
                    highlighted={highlightId !== null && String(highlightId) === id} />
                ) : null;
              })}
            </SortableContext>
            {checked.map((item) => (
              <ItemRow key={String(item.id)} item={item} categories={categories} readOnly={readOnly} actions={actions}
                highlighted={highlightId !== null && String(highlightId) === String(item.id)} />
            ))}
          </Group>
        );
      })}
      <DragOverlay>
        {active ? (
          <ul className="items overlay"><ItemRow item={active} categories={categories} readOnly actions={actions} /></ul>
        ) : null}
      </DragOverlay>
    </DndContext>
  );
}

function Group({ groupKey, title, category, empty, children }: {
  groupKey: string;
  title: string;
  category: string;
  empty: boolean;
  children: ReactNode;
}) {
  const { setNodeRef, isOver } = useDroppable({ id: GROUP + groupKey });
  return (
    <section className={`group${isOver ? ' drop-target' : ''}`} data-testid="group" data-category={category}>
      <h2 className="group-title">{title}</h2>
      <ul ref={setNodeRef} className="items" data-testid="group-items">
        {children}
        {empty && <li className="muted small empty-group">No items.</li>}
      </ul>
    </section>
  );
}

function SortableItem({ item, categories, readOnly, actions, highlighted }: {
  item: Item;
  categories: readonly Category[];
  readOnly: boolean;
  actions: ItemActions;
  highlighted: boolean;
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: String(item.id), disabled: readOnly,
  });
  const handle = readOnly ? undefined : (
    <button type="button" ref={setActivatorNodeRef} className="icon drag-handle" aria-label={`Move ${item.name}`}
      data-testid="drag-handle" {...attributes} {...listeners}>⠿</button>
  );
  return (
    <ItemRow item={item} categories={categories} readOnly={readOnly} actions={actions} handle={handle}
      rowRef={setNodeRef} style={{ transform: CSS.Transform.toString(transform), transition }}
      highlighted={highlighted} dragging={isDragging} />
  );
}
