import { randomBytes } from 'node:crypto';

/** Just enough of the REST API to set up scenarios quickly; the actions under test go through the browser. */
export interface TestUser {
  id: string | number;
  email: string;
  password: string;
  displayName: string;
  accessToken: string;
}

async function call<T>(baseUrl: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export async function registerUser(baseUrl: string, name: string): Promise<TestUser> {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomBytes(4).toString('hex')}@example.com`; // 'Bob Builder' too
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const auth = await call<{ user: { id: string | number }; accessToken: string }>(baseUrl, 'POST', '/auth/register',
    { email, password, displayName: name });
  return { id: auth.user.id, email, password, displayName: name, accessToken: auth.accessToken };
}

/** Signs in again: with short-lived test tokens, an old `accessToken` may have expired. */
export async function freshToken(baseUrl: string, user: TestUser): Promise<TestUser> {
  const auth = await call<{ accessToken: string }>(baseUrl, 'POST', '/auth/login', { email: user.email, password: user.password });
  return { ...user, accessToken: auth.accessToken };
}

export async function createSharedList(baseUrl: string, owner: TestUser, name: string,
  members: { user: TestUser; role: 'editor' | 'viewer' }[]): Promise<string> {
  const list = await call<{ id: string | number }>(baseUrl, 'POST', '/lists', { name }, owner.accessToken);
  for (const { user, role } of members) {
    await call(baseUrl, 'POST', `/lists/${list.id}/members`, { email: user.email, role }, owner.accessToken);
  }
  return String(list.id);
}

export function addItem(baseUrl: string, user: TestUser, listId: string, name: string,
  extra: { quantity?: string; note?: string; categoryId?: string | number } = {}) {
  return call<{ id: string | number }>(baseUrl, 'POST', `/lists/${listId}/items`, { name, ...extra }, user.accessToken);
}

export function checkItem(baseUrl: string, user: TestUser, listId: string, itemId: string | number) {
  return call(baseUrl, 'POST', `/lists/${listId}/items/${itemId}/check`, undefined, user.accessToken);
}

export function createCategory(baseUrl: string, user: TestUser, listId: string, name: string, position: number) {
  return call<{ id: string | number }>(baseUrl, 'POST', `/lists/${listId}/categories`, { name, position }, user.accessToken);
}

export function removeMember(baseUrl: string, owner: TestUser, listId: string, userId: string | number) {
  return call(baseUrl, 'DELETE', `/lists/${listId}/members/${userId}`, undefined, owner.accessToken);
}

export interface ServerItem { id: string | number; name: string; checked: boolean; categoryId: string | number | null }
export interface ServerCategory { id: string | number; name: string; position: number }

export async function readList(baseUrl: string, user: TestUser, listId: string) {
  const items = await call<{ version: number; items: ServerItem[] }>(baseUrl, 'GET', `/lists/${listId}/items?includeChecked=true`,
    undefined, user.accessToken);
  const categories = await call<{ version: number; categories: ServerCategory[] }>(baseUrl, 'GET',
    `/lists/${listId}/categories`, undefined, user.accessToken);
  return { items: items.items, categories: categories.categories };
}

export function listsOf(baseUrl: string, user: TestUser) {
  return call<{ id: string | number; name: string; role: string }[]>(baseUrl, 'GET', '/lists', undefined, user.accessToken);
}
