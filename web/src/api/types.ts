// Shapes of the public API, exactly as /work/shared/CONTRACT.md defines them.

/** Ids are opaque: the server may send strings or numbers, and the client passes back what it was given. */
export type Id = string | number;

export type Role = 'owner' | 'editor' | 'viewer';

export interface User {
  id: Id;
  email: string;
  displayName: string;
}

export interface AuthResponse {
  user: User;
  accessToken: string;
  refreshToken: string;
  /** Lifetime of the access token, in seconds. */
  expiresIn: number;
}

export interface ShoppingList {
  id: Id;
  name: string;
  /** The caller's role. */
  role: Role;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Contract 1.1: all items of the list, and how many of them are checked. Optional so 1.0 data still type-checks. */
  itemCount?: number;
  checkedCount?: number;
}

/** Contract 1.1 presence: a member who has the list open (each user once, however many tabs). */
export interface Viewer {
  userId: Id;
  displayName: string;
}

export interface Member {
  user: User;
  role: Role;
}

export interface Item {
  id: Id;
  listId: Id;
  name: string;
  quantity: string | null;
  note: string | null;
  categoryId: Id | null;
  position: number;
  checked: boolean;
  checkedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Category {
  id: Id;
  listId: Id;
  name: string;
  position: number;
}

/** `GET /lists/{id}/items`: the items together with the list version they reflect. */
export interface ItemsPage {
  version: number;
  items: Item[];
}

/** `GET /lists/{id}/categories`: the categories together with the list version they reflect. */
export interface CategoriesPage {
  version: number;
  categories: Category[];
}

export interface NewItem {
  /** A client-chosen id (contract 1.1): a lower-case UUID; undo re-creates a deleted item with its old id. */
  id?: string;
  name: string;
  quantity?: string | null;
  note?: string | null;
  categoryId?: Id | null;
}

export type ItemPatch = Partial<Pick<Item, 'name' | 'quantity' | 'note' | 'categoryId' | 'position'>>;

export type CategoryPatch = Partial<Pick<Category, 'name' | 'position'>>;

/** RFC 9457 problem details. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
}

// ---- Contract 1.1: suggestions, activity, invite links ----------------------------------------------------------

/** A name once added to the list (`GET /lists/{id}/suggestions`). */
export interface Suggestion {
  name: string;
  quantity: string | null;
  categoryId: Id | null;
  timesAdded: number;
  lastAddedAt: string;
  /** The item of that name on the list now, if any. */
  onList: { itemId: Id; checked: boolean } | null;
}

/** One committed change from the list's event log (`GET /lists/{id}/activity`), newest first. */
export interface ActivityEvent {
  version: number;
  type: string;
  actor: { id: Id; displayName: string } | null;
  ts: string;
  /** As in the event frame: the item, category or list; `{id}` for deletes; `{itemIds}` for bulk deletes. */
  data: Record<string, unknown>;
}

export type GrantableRole = 'editor' | 'viewer';

export interface Invite {
  id: Id;
  /** Null only when the server's secret changed since the invite was made. */
  code: string | null;
  role: GrantableRole;
  expiresAt: string;
  maxUses: number;
  uses: number;
  createdAt: string;
}

export interface NewInvite {
  role: GrantableRole;
  /** ISO-8601 duration up to P30D; the server's default is P7D. */
  expiresIn?: string;
  /** 1 to 1,000; the server's default is 1,000. */
  maxUses?: number;
}

/** What an invite code shows before joining (`GET /invites/{code}`, no account needed). */
export interface InvitePreview {
  listName: string;
  role: GrantableRole;
  invitedBy: { displayName: string };
  expiresAt: string;
}
