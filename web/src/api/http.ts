import { ApiError } from './ApiError';
import type { Problem } from './types';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/**
 * One JSON request. Resolves with the parsed body (undefined for 204); rejects with {@link ApiError} for any non-2xx answer,
 * or with the fetch's own TypeError when the network is down.
 */
export async function sendJson<T>(
  fetchImpl: FetchLike,
  method: Method,
  url: string,
  body: unknown,
  accessToken: string | null,
  extraHeaders: Record<string, string> = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...extraHeaders };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  const response = await fetchImpl(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    throw new ApiError(response.status, await readProblem(response), response.headers.get('Retry-After'));
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

async function readProblem(response: Response): Promise<Problem> {
  try {
    const text = await response.text();
    const parsed: unknown = text ? JSON.parse(text) : {};
    if (parsed && typeof parsed === 'object') return { status: response.status, ...(parsed as Problem) };
  } catch {
    // Not JSON (a proxy's HTML error page, say): fall through to a generic problem.
  }
  return { status: response.status, title: response.statusText || `HTTP ${response.status}` };
}
