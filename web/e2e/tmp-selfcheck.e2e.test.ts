import { afterAll, it } from 'vitest';
import { addItem, createSharedList, registerUser } from './support/api';
import { launchBrowser, screenshot, signIn } from './support/browser';
import { everyActionAppearsOnTheOtherScreen } from './support/scenario';
import { startH2Server } from './support/servers';

let cleanup: Array<() => Promise<void>> = [];
afterAll(async () => { for (const c of cleanup.reverse()) await c(); });
it('self', async () => {
  const env = await startH2Server('self'); cleanup.push(env.dispose);
  const browser = await launchBrowser(); cleanup.push(() => browser.close());
  const ann = await registerUser(env.server.url, 'Ann');
  const listId = await createSharedList(env.server.url, ann, 'Self', []);
  await addItem(env.server.url, ann, listId, 'Seed');
  await fetch(`${env.server.url}/api/v1/lists/${listId}/categories`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ann.accessToken}` }, body: JSON.stringify({ name: 'Seedcat' }) });
  const s = await signIn(browser, env.server.url, ann, `/lists/${listId}`);
  try {
    console.log(await everyActionAppearsOnTheOtherScreen(s.page, s.page));
  } finally { await screenshot(s.page, 'self'); }
});
