import { describe, expect, it } from 'vitest';
import { Leadership, type LockManagerLike } from './leader';

/** Web Locks' exclusive mode, in memory: one holder at a time, the next waiter gets it when the holder's promise settles. */
function fakeLocks(): LockManagerLike {
  const queues = new Map<string, (() => void)[]>();
  const held = new Set<string>();
  const grant = (name: string) => {
    const next = queues.get(name)?.shift();
    if (next) next();
    else held.delete(name);
  };
  return {
    request(name, callback) {
      return new Promise((resolve) => {
        const run = () => {
          held.add(name);
          void Promise.resolve(callback({ name })).finally(() => grant(name)).then(resolve);
        };
        if (held.has(name)) queues.set(name, [...(queues.get(name) ?? []), run]);
        else run();
      });
    },
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('leader election over Web Locks', () => {
  it('makes exactly one tab the leader, and hands over when it closes', async () => {
    const locks = fakeLocks();
    const tabs = [new Leadership(locks), new Leadership(locks), new Leadership(locks)];
    const led: number[] = [];
    tabs.forEach((tab, i) => tab.start(() => led.push(i)));
    await flush();
    expect(tabs.map((t) => t.isLeader)).toEqual([true, false, false]);
    expect(led).toEqual([0]);

    tabs[0]!.stop();
    await flush();
    expect(tabs.map((t) => t.isLeader)).toEqual([false, true, false]);
    expect(led).toEqual([0, 1]);

    tabs[2]!.stop(); // a waiting tab that closes never leads
    tabs[1]!.stop();
    await flush();
    expect(tabs.map((t) => t.isLeader)).toEqual([false, false, false]);
    expect(led).toEqual([0, 1]);
  });

  it('leads alone where the browser has no Web Locks', () => {
    const tab = new Leadership(undefined);
    let led = false;
    tab.start(() => { led = true; });
    expect(tab.isLeader && led).toBe(true);
  });
});
