#!/usr/bin/env node
// Usage: node scripts/complete-lockfile.mjs package-lock.json  (run after any `npm install` that changes the lockfile)
// Adds lockfile entries for unrs-resolver's platform bindings that this machine's registry mirror
// does not serve (npm leaves them out, then `npm ci` refuses the lockfile as out of sync).
import { readFileSync, writeFileSync } from 'node:fs';
const file = process.argv[2];
const lock = JSON.parse(readFileSync(file, 'utf8'));
const resolver = lock.packages['node_modules/unrs-resolver'];
const platform = (name) => {
  const [os, cpu, abi] = name.replace('@unrs/resolver-binding-', '').split('-');
  const e = { os: [os], cpu: [cpu === 'arm' ? 'arm' : cpu] };
  if (abi && os === 'linux') e.libc = [abi.startsWith('musl') ? 'musl' : 'glibc'];
  return e;
};
let added = 0;
for (const [name, version] of Object.entries(resolver.optionalDependencies)) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const p = platform(name);
  lock.packages[key] = { version, cpu: p.cpu, dev: true, ...(p.libc ? { libc: p.libc } : {}), license: 'MIT', optional: true, os: p.os };
  added++;
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(file, JSON.stringify(lock, null, 2) + '\n');
console.log(`added ${added} entries`);
