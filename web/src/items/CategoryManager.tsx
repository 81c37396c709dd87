import { closestCenter, DndContext, type Announcements, type DragEndEvent } from '@dnd-kit/core';
import { arrayMove, SortableContext, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useState, type FormEvent } from 'react';
import type { Category, Id } from '../api/types';
import { planMove } from '../reorder/positions';
import { dragInstructions, useReorderSensors } from '../reorder/sensors';
import { ConfirmButton } from '../ui/ConfirmButton';
import { ErrorText } from '../ui/ErrorText';
import { InlineText } from '../ui/InlineText';
import { byPosition } from './grouping';
import { useCreateCategory, useUpdateCategory } from './queries';

/**
 * Create, rename, reorder (drag the handle, or the arrow buttons) and delete categories. A move is one PATCH of the
 * moved category's position, between its new neighbours. Deleting one keeps its items, uncategorized.
 */
export function CategoryManager({ listId, categories, onDelete }: {
  listId: Id;
  categories: readonly Category[];
  onDelete: (category: Category) => void;
}) {
  const create = useCreateCategory(listId);
  const update = useUpdateCategory(listId);
  const sensors = useReorderSensors();
  const [name, setName] = useState('');
  const ordered = [...categories].sort(byPosition);

  const onCreate = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    // no position: the server puts it at the end, a whole gap after the last one
    create.mutate({ name: trimmed });
    setName('');
  };

  /** Moves `category` to `index` of the others: one PATCH (and, only when no gap is left, a few to make room). */
  const moveTo = (category: Category, index: number) => {
    const others = ordered.filter((c) => c.id !== category.id);
    const plan = planMove(others, index);
    for (const r of plan.respread) update.mutate({ categoryId: r.id, patch: { position: r.position } });
    update.mutate({ categoryId: category.id, patch: { position: plan.position } });
  };

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const ids = ordered.map((c) => String(c.id));
    const next = arrayMove(ids, ids.indexOf(String(active.id)), ids.indexOf(String(over.id)));
    const moved = ordered.find((c) => String(c.id) === String(active.id));
    if (moved) moveTo(moved, next.indexOf(String(active.id)));
  };

  const nameOf = (id: string | number) => ordered.find((c) => String(c.id) === String(id))?.name ?? 'the category';
  const place = (id: string | number) => `position ${ordered.findIndex((c) => String(c.id) === String(id)) + 1} of ${ordered.length}`;
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up the category ${nameOf(active.id)}, ${place(active.id)}.`,
    onDragOver: ({ active, over }) => (over ? `${nameOf(active.id)} is over ${nameOf(over.id)}.` : undefined),
    onDragEnd: ({ active, over }) => (over ? `Dropped ${nameOf(active.id)} where ${nameOf(over.id)} was.` : undefined),
    onDragCancel: ({ active }) => `Moving ${nameOf(active.id)} was cancelled.`,
  };

  return (
    <section className="categories" aria-label="Categories" data-testid="category-manager">
      <DndContext sensors={sensors} collisionDetection={closestCenter} onDragEnd={onDragEnd}
        accessibility={{ announcements, screenReaderInstructions: { draggable: dragInstructions } }}>
        <SortableContext items={ordered.map((c) => String(c.id))} strategy={verticalListSortingStrategy}>
          <ul>
            {ordered.map((category, index) => (
              <CategoryRow key={String(category.id)} category={category} first={index === 0}
                last={index === ordered.length - 1}
                onRename={(newName) => update.mutate({ categoryId: category.id, patch: { name: newName } })}
                onUp={() => moveTo(category, index - 1)} onDown={() => moveTo(category, index + 1)}
                onDelete={() => onDelete(category)} />
            ))}
          </ul>
        </SortableContext>
      </DndContext>
      <form className="add-row" onSubmit={onCreate} aria-label="New category">
        <input placeholder="New category" aria-label="New category name" maxLength={200} value={name}
          onChange={(e) => setName(e.target.value)} data-testid="new-category-name" />
        <button type="submit">Add category</button>
      </form>
      <ErrorText error={create.error ?? update.error} />
    </section>
  );
}

function CategoryRow({ category, first, last, onRename, onUp, onDown, onDelete }: {
  category: Category;
  first: boolean;
  last: boolean;
  onRename: (name: string) => void;
  onUp: () => void;
  onDown: () => void;
  onDelete: () => void;
}) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({
    id: String(category.id),
  });
  return (
    <li ref={setNodeRef} style={{ transform: CSS.Transform.toString(transform), transition }}
      className={isDragging ? 'dragging' : undefined} data-testid="category" data-name={category.name}>
      <button type="button" ref={setActivatorNodeRef} className="icon drag-handle" aria-label={`Move ${category.name}`}
        data-testid="category-drag-handle" {...attributes} {...listeners}>⠿</button>
      <InlineText value={category.name} label="Category name" testId="rename-category" onSave={onRename} />
      <span className="row-actions">
        <button type="button" className="icon" aria-label={`Move ${category.name} up`} disabled={first}
          onClick={onUp}>↑</button>
        <button type="button" className="icon" aria-label={`Move ${category.name} down`} disabled={last}
          onClick={onDown}>↓</button>
        <ConfirmButton label="Delete" confirmLabel="Delete category" testId="delete-category" onConfirm={onDelete} />
      </span>
    </li>
  );
}
