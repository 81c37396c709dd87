import { useState } from 'react';
import { Link } from 'react-router';
import type { ShoppingList } from '../api/types';
import { ErrorText } from '../ui/ErrorText';
import { ConfirmButton } from '../ui/ConfirmButton';
import { InlineText } from '../ui/InlineText';
import { ListCounts } from './ListCounts';
import { MembersPanel } from './MembersPanel';
import { useDeleteList, useLeaveList, useRenameList } from './queries';
import { RoleBadge } from './RoleBadge';

export function ListCard({ list }: { list: ShoppingList }) {
  const rename = useRenameList(list.id);
  const remove = useDeleteList();
  const leave = useLeaveList();
  const [showMembers, setShowMembers] = useState(false);
  const isOwner = list.role === 'owner';
  const countsId = `list-counts-${String(list.id)}`;
  const hasCounts = typeof list.itemCount === 'number';

  return (
    <li className="card list-card" data-testid="list-card" data-name={list.name}>
      <div className="list-card-head">
        <Link to={`/lists/${encodeURIComponent(String(list.id))}`} className="list-link"
          aria-describedby={hasCounts ? countsId : undefined}>{list.name}</Link>
        <RoleBadge role={list.role} />
      </div>
      <ListCounts list={list} id={countsId} />
      <div className="row-actions wrap">
        {list.role !== 'viewer' && (
          <InlineText value={list.name} label="List name" onSave={(name) => rename.mutate(name)}
            className="ghost" testId="rename-list" buttonText="Rename" />
        )}
        <button type="button" className="ghost" aria-expanded={showMembers} onClick={() => setShowMembers((v) => !v)}>
          {isOwner ? 'Share' : 'Members'}
        </button>
        {isOwner ? (
          <ConfirmButton label="Delete" confirmLabel="Delete list" testId="delete-list"
            onConfirm={() => remove.mutate(list.id)} />
        ) : (
          <ConfirmButton label="Leave" confirmLabel="Leave list" testId="leave-list"
            onConfirm={() => leave.mutate(list.id)} />
        )}
      </div>
      <ErrorText error={rename.error ?? remove.error ?? leave.error} />
      {showMembers && <MembersPanel listId={list.id} isOwner={isOwner} />}
    </li>
  );
}
