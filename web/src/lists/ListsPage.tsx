import { useState, type FormEvent } from 'react';
import { useOverviewSync } from '../overview/useOverviewSync';
import { ErrorText } from '../ui/ErrorText';
import { ListCard } from './ListCard';
import { useCreateList, useListsOverview } from './queries';

export function ListsPage() {
  const lists = useListsOverview();
  const create = useCreateList();
  const live = useOverviewSync();
  const [name, setName] = useState('');

  const onCreate = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (trimmed) create.mutate(trimmed, { onSuccess: () => setName('') });
  };

  return (
    <main className="page" data-testid="overview" data-sync={live}>
      <h1>Your lists</h1>
      <form className="add-row" onSubmit={onCreate} aria-label="New list">
        <input placeholder="New list name" aria-label="New list name" maxLength={200} value={name}
          onChange={(e) => setName(e.target.value)} data-testid="new-list-name" />
        <button type="submit" className="primary" disabled={create.isPending}>Create</button>
      </form>
      <ErrorText error={create.error} />
      {lists.isPending && <p className="muted">Loading…</p>}
      <ErrorText error={lists.error} />
      {lists.data?.length === 0 && <p className="muted">No lists yet. Create one, or ask someone to share theirs.</p>}
      <ul className="lists">
        {lists.data?.map((list) => <ListCard key={String(list.id)} list={list} />)}
      </ul>
    </main>
  );
}
