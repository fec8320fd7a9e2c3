import { parse } from 'yaml';

/**
 * Tells whether a file is really SOPS-encrypted: it has a `sops` block with a MAC and at least one
 * age recipient, and every value under `data`/`stringData` is a SOPS `ENC[…]` string.
 * Returns the reason when it is not, `undefined` when it is.
 */
export function sopsProblem(content: string): string | undefined {
  let doc: any;
  try {
    doc = parse(content);
  } catch (e) {
    return `it is not valid YAML (${(e as Error).message.split('\n')[0]})`;
  }
  if (!doc || typeof doc !== 'object' || !doc.sops) return 'it has no sops metadata block: it is plaintext';
  if (typeof doc.sops.mac !== 'string' || !doc.sops.mac.startsWith('ENC[')) return 'its sops block has no MAC';
  if (!Array.isArray(doc.sops.age) || doc.sops.age.length === 0) return 'its sops block has no age recipient';
  for (const key of ['data', 'stringData']) {
    for (const [k, v] of Object.entries(doc[key] ?? {})) {
      if (typeof v !== 'string' || !v.startsWith('ENC[')) return `${key}.${k} is not encrypted`;
    }
  }
  return undefined;
}

/** The age recipients a SOPS file is encrypted for (empty when it has none or does not parse). */
export function sopsAgeRecipients(content: string): string[] {
  try {
    const doc = parse(content) as any;
    const age = doc?.sops?.age;
    return Array.isArray(age) ? age.map((a: any) => String(a?.recipient ?? '')).filter((r: string) => r !== '') : [];
  } catch {
    return [];
  }
}
