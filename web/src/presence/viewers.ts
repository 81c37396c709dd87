import type { Id, Viewer } from '../api/types';

/** The others: the contract lists the caller among the viewers (once, however many tabs), so "who else" drops them. */
export function otherViewers(viewers: readonly Viewer[] | null, me: Id | undefined): Viewer[] {
  if (!viewers) return [];
  return viewers.filter((v) => me === undefined || String(v.userId) !== String(me));
}

/** "A" for Ann, "BO" for Bo Olsen: the first letters of the first and last words (whole characters, not halves). */
export function initials(displayName: string): string {
  const words = displayName.trim().split(/\s+/).filter(Boolean);
  const first = (word: string | undefined) => (word ? Array.from(word)[0]!.toLocaleUpperCase() : '');
  if (words.length === 0) return '?';
  return words.length === 1 ? first(words[0]) : first(words[0]) + first(words.at(-1));
}

/** "Ann", "Ann and Bo", "Ann, Bo and Cy", "Ann, Bo, Cy and 2 others". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length > 4) return `${names.slice(0, 3).join(', ')} and ${names.length - 3} others`;
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** The sentence for screen readers: "Ann and Bo are viewing", or "" when nobody else is. */
export function viewingSentence(others: readonly Viewer[]): string {
  if (others.length === 0) return '';
  const names = joinNames(others.map((v) => v.displayName));
  return `${names} ${others.length === 1 ? 'is' : 'are'} viewing`;
}

/** What to read out when the set of others changed: "Bo opened this list. Cy left this list". "" when nothing did. */
export function describeChange(before: readonly Viewer[], after: readonly Viewer[]): string {
  const ids = (viewers: readonly Viewer[]) => new Set(viewers.map((v) => String(v.userId)));
  const had = ids(before);
  const has = ids(after);
  const joined = after.filter((v) => !had.has(String(v.userId))).map((v) => v.displayName);
  const left = before.filter((v) => !has.has(String(v.userId))).map((v) => v.displayName);
  const parts: string[] = [];
  if (joined.length > 0) parts.push(`${joinNames(joined)} opened this list`);
  if (left.length > 0) parts.push(`${joinNames(left)} left this list`);
  return parts.join('. ');
}

/** How many avatar colours styles.css has (`.avatar-c0` …): dark enough for white initials (at least 4.5:1). */
export const AVATAR_COLOURS = 8;

/** The same colour for a user on every screen (a class, not an inline style: the CSP allows no inline styles). */
export function avatarClass(userId: Id): string {
  let hash = 0;
  for (const ch of String(userId)) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `avatar-c${hash % AVATAR_COLOURS}`;
}
