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
