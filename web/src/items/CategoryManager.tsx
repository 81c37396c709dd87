import { useState, type FormEvent } from 'react';
import type { Category, Id } from '../api/types';
import { ConfirmButton } from '../ui/ConfirmButton';
import { ErrorText } from '../ui/ErrorText';
import { InlineText } from '../ui/InlineText';
import { byPosition } from './grouping';
import { useCreateCategory, useDeleteCategory, useUpdateCategory } from './queries';

/** Create, rename, reorder and delete categories. Deleting one keeps its items, uncategorized. */
export function CategoryManager({ listId, categories }: { listId: Id; categories: readonly Category[] }) {
  const create = useCreateCategory(listId);
  const update = useUpdateCategory(listId);
  const remove = useDeleteCategory(listId);
  const [name, setName] = useState('');
  const ordered = [...categories].sort(byPosition);

  const onCreate = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    const last = ordered[ordered.length - 1];
    create.mutate({ name: trimmed, position: last ? last.position + 1 : 0 });
    setName('');
  };

  /** Moves a category by one place: positions are renumbered 0..n-1 in the new order, sending only the ones that change. */
  const move = (index: number, delta: -1 | 1) => {
    const target = index + delta;
    if (target < 0 || target >= ordered.length) return;
    const next = ordered.slice();
    [next[index], next[target]] = [next[target]!, next[index]!];
    next.forEach((category, position) => {
      if (category.position !== position) update.mutate({ categoryId: category.id, patch: { position } });
    });
  };

  return (
    <section className="categories" aria-label="Categories" data-testid="category-manager">
      <ul>
        {ordered.map((category, index) => (
          <li key={String(category.id)} data-testid="category" data-name={category.name}>
            <InlineText value={category.name} label="Category name" testId="rename-category"
              onSave={(newName) => update.mutate({ categoryId: category.id, patch: { name: newName } })} />
            <span className="row-actions">
              <button type="button" className="icon" aria-label={`Move ${category.name} up`} disabled={index === 0}
                onClick={() => move(index, -1)}>↑</button>
              <button type="button" className="icon" aria-label={`Move ${category.name} down`}
                disabled={index === ordered.length - 1} onClick={() => move(index, 1)}>↓</button>
              <ConfirmButton label="Delete" confirmLabel="Delete category" testId="delete-category"
                onConfirm={() => remove.mutate(category.id)} />
            </span>
          </li>
        ))}
      </ul>
      <form className="add-row" onSubmit={onCreate} aria-label="New category">
        <input placeholder="New category" aria-label="New category name" maxLength={200} value={name}
          onChange={(e) => setName(e.target.value)} data-testid="new-category-name" />
        <button type="submit">Add category</button>
      </form>
      <ErrorText error={create.error ?? update.error ?? remove.error} />
    </section>
  );
}
