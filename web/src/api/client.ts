import type { SessionStore } from '../auth/session';
import { ApiError } from './ApiError';
import { sendJson, type FetchLike, type Method } from './http';
import type {
  ActivityEvent, AuthResponse, CategoriesPage, Category, CategoryPatch, Id, Invite, InvitePreview, Item, ItemPatch,
  ItemsPage, Member, NewInvite, NewItem, Role, ShoppingList, Suggestion, User,
} from './types';

const BASE = '/api/v1';
const seg = (id: Id) => encodeURIComponent(String(id));

/**
 * The typed REST client. Authenticated calls use the session's token; a 401 triggers one refresh and one retry, and a
 * second 401 (or a refused refresh) ends the session, which sends the app to sign-in.
 */
export class ApiClient {
  constructor(
    private readonly session: SessionStore,
    private readonly fetchImpl: FetchLike = (input, init) => fetch(input, init),
    private readonly headers: Record<string, string> = {},
  ) {}

  /** The same client, sending `Idempotency-Key: key` with every call (contract 1.1): a retry can never apply twice. */
  withIdempotencyKey = (key: string): ApiClient =>
    new ApiClient(this.session, this.fetchImpl, { ...this.headers, 'Idempotency-Key': key });

  // Auth
  register = (body: { email: string; password: string; displayName: string }) =>
    sendJson<AuthResponse>(this.fetchImpl, 'POST', `${BASE}/auth/register`, body, null);
  login = (body: { email: string; password: string }) =>
    sendJson<AuthResponse>(this.fetchImpl, 'POST', `${BASE}/auth/login`, body, null);
  me = () => this.call<User>('GET', '/me');

  // Lists and sharing
  lists = () => this.call<ShoppingList[]>('GET', '/lists');
  createList = (name: string) => this.call<ShoppingList>('POST', '/lists', { name });
  list = (listId: Id) => this.call<ShoppingList>('GET', `/lists/${seg(listId)}`);
  renameList = (listId: Id, name: string) => this.call<ShoppingList>('PATCH', `/lists/${seg(listId)}`, { name });
  deleteList = (listId: Id) => this.call<void>('DELETE', `/lists/${seg(listId)}`);
  members = (listId: Id) => this.call<Member[]>('GET', `/lists/${seg(listId)}/members`);
  addMember = (listId: Id, email: string, role: Role) =>
    this.call<Member>('POST', `/lists/${seg(listId)}/members`, { email, role });
  changeRole = (listId: Id, userId: Id, role: Role) =>
    this.call<Member>('PATCH', `/lists/${seg(listId)}/members/${seg(userId)}`, { role });
  removeMember = (listId: Id, userId: Id) => this.call<void>('DELETE', `/lists/${seg(listId)}/members/${seg(userId)}`);

  // Items
  items = (listId: Id, includeChecked: boolean) =>
    this.call<ItemsPage>('GET', `/lists/${seg(listId)}/items?includeChecked=${includeChecked}`);
  createItem = (listId: Id, item: NewItem) => this.call<Item>('POST', `/lists/${seg(listId)}/items`, item);
  updateItem = (listId: Id, itemId: Id, patch: ItemPatch) =>
    this.call<Item>('PATCH', `/lists/${seg(listId)}/items/${seg(itemId)}`, patch);
  deleteItem = (listId: Id, itemId: Id) => this.call<void>('DELETE', `/lists/${seg(listId)}/items/${seg(itemId)}`);
  setChecked = (listId: Id, itemId: Id, checked: boolean) =>
    this.call<Item>('POST', `/lists/${seg(listId)}/items/${seg(itemId)}/${checked ? 'check' : 'uncheck'}`);
  deleteChecked = (listId: Id) =>
    this.call<{ deletedIds: Id[] }>('POST', `/lists/${seg(listId)}/items/bulk-delete`, { checked: true });

  // Categories
  categories = (listId: Id) => this.call<CategoriesPage>('GET', `/lists/${seg(listId)}/categories`);
  createCategory = (listId: Id, name: string, position?: number) =>
    this.call<Category>('POST', `/lists/${seg(listId)}/categories`, position === undefined ? { name } : { name, position });
  updateCategory = (listId: Id, categoryId: Id, patch: CategoryPatch) =>
    this.call<Category>('PATCH', `/lists/${seg(listId)}/categories/${seg(categoryId)}`, patch);
  deleteCategory = (listId: Id, categoryId: Id) =>
    this.call<void>('DELETE', `/lists/${seg(listId)}/categories/${seg(categoryId)}`);

  // Contract 1.1: suggestions, activity, invite links
  suggestions = (listId: Id, q: string, limit = 8) =>
    this.call<{ suggestions: Suggestion[] }>('GET',
      `/lists/${seg(listId)}/suggestions?q=${encodeURIComponent(q)}&limit=${limit}`);
  activity = (listId: Id, before: number | null, limit = 30) =>
    this.call<{ events: ActivityEvent[] }>('GET',
      `/lists/${seg(listId)}/activity?limit=${limit}${before === null ? '' : `&before=${before}`}`);
  /** Re-creates a deleted category with its old id (client-chosen ids), for undo. */
  restoreCategory = (listId: Id, category: { id: Id; name: string; position?: number }) =>
    this.call<Category>('POST', `/lists/${seg(listId)}/categories`, category);
  invites = (listId: Id) => this.call<Invite[]>('GET', `/lists/${seg(listId)}/invites`);
  createInvite = (listId: Id, invite: NewInvite) => this.call<Invite>('POST', `/lists/${seg(listId)}/invites`, invite);
  revokeInvite = (listId: Id, inviteId: Id) =>
    this.call<void>('DELETE', `/lists/${seg(listId)}/invites/${seg(inviteId)}`);
  /** Needs no session: the invite page shows it before sign-in. */
  invitePreview = (code: string) =>
    sendJson<InvitePreview>(this.fetchImpl, 'GET', `${BASE}/invites/${encodeURIComponent(code)}`, undefined, null);
  acceptInvite = (code: string) => this.call<ShoppingList>('POST', `/invites/${encodeURIComponent(code)}/accept`);

  private async call<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const token = await this.session.accessToken();
    if (!token) throw signedOut();
    try {
      return await sendJson<T>(this.fetchImpl, method, BASE + path, body, token, this.headers);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) throw error;
    }
    const fresh = await this.session.refresh();
    if (!fresh) throw signedOut();
    try {
      return await sendJson<T>(this.fetchImpl, method, BASE + path, body, fresh, this.headers);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.session.signOut();
      throw error;
    }
  }
}

function signedOut(): ApiError {
  return new ApiError(401, { status: 401, title: 'Signed out', detail: 'Your session has ended. Please sign in again.' });
}
