// The glob(3) subset ssh's Include uses: `*`, `?` and `[...]` within path components, results sorted, no
// match = no files (not an error). Hidden files only match a pattern that starts with a dot, as in glob(3).
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

const WILD = /[*?[]/;

function componentRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) {
        re += '\\[';
        continue;
      }
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

/** Absolute `pattern` → the regular files it names, sorted. */
export async function expandGlob(pattern: string): Promise<string[]> {
  if (!WILD.test(pattern)) return (await isFile(pattern)) ? [pattern] : [];
  const parts = path.resolve(pattern).split('/').filter((p) => p !== '');
  let bases = ['/'];
  for (const part of parts) {
    if (!WILD.test(part)) {
      bases = bases.map((b) => path.join(b, part));
      continue;
    }
    const re = componentRegExp(part);
    const next: string[] = [];
    for (const base of bases) {
      let names: string[];
      try {
        names = await readdir(base);
      } catch {
        continue;
      }
      for (const n of names) if ((n[0] !== '.' || part[0] === '.') && re.test(n)) next.push(path.join(base, n));
    }
    bases = next;
  }
  const files: string[] = [];
  for (const b of bases) if (await isFile(b)) files.push(b);
  return files.sort();
}
