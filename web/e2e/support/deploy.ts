import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { serverJar } from './servers';

function run(command: string, args: string[], cwd: string): void {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr}`);
}

const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');

/**
 * A next release of the built server in `dir`: the same server jar and libraries, but a web app whose main script is
 * another file (a new hashed name, starting with `window.__LISTSYNC_BUILD__ = marker`), whose index.html loads that
 * file, and whose service worker precaches it (and the new index.html's revision) instead of the old one: what a
 * redeploy with a changed front end looks like to a browser. Returns the jar to run and the new script's path.
 */
export function nextRelease(dir: string, marker: string): { jar: string; script: string } {
  const libs = join(dirname(serverJar), 'libs');
  const webJar = readdirSync(libs).find((name) => name.startsWith('listsync-web-') && name.endsWith('.jar'));
  if (!webJar) throw new Error(`no listsync-web jar in ${libs}`);
  mkdirSync(join(dir, 'libs'), { recursive: true });
  copyFileSync(serverJar, join(dir, 'listsync.jar')); // its Class-Path names libs/ next to it
  for (const name of readdirSync(libs)) {
    if (name !== webJar) symlinkSync(join(libs, name), join(dir, 'libs', name));
  }

  const tree = join(dir, 'web-tree');
  mkdirSync(tree);
  run('unzip', ['-q', join(libs, webJar)], tree);
  const web = join(tree, 'web');
  const indexHtml = readFileSync(join(web, 'index.html'), 'utf8');
  const old = /\/(assets\/index-[\w-]+\.js)"/.exec(indexHtml)?.[1];
  if (!old) throw new Error('no main script in the built index.html');
  const script = `assets/index-${marker}${md5(marker).slice(0, 6)}.js`;
  const code = readFileSync(join(web, old), 'utf8');
  writeFileSync(join(web, script), `window.__LISTSYNC_BUILD__ = ${JSON.stringify(marker)};\n${code}`);
  renameSync(join(web, old), join(tree, 'removed.js')); // gone from the new release, as after a real deploy
  const newIndex = indexHtml.replace(`/${old}"`, `/${script}"`);
  writeFileSync(join(web, 'index.html'), newIndex);
  const sw = readFileSync(join(web, 'sw.js'), 'utf8');
  const newSw = sw.replace(`url:"${old}"`, `url:"${script}"`)
    .replace(/(url:"index\.html",revision:")[0-9a-f]+"/, `$1${md5(newIndex)}"`);
  if (newSw === sw || !newSw.includes(script) || !newSw.includes(md5(newIndex))) {
    throw new Error('the service worker precache manifest did not change as expected');
  }
  writeFileSync(join(web, 'sw.js'), newSw);
  run('zip', ['-q', '-r', join(dir, 'libs', webJar), 'META-INF', 'web'], tree);
  return { jar: join(dir, 'listsync.jar'), script: `/${script}` };
}
