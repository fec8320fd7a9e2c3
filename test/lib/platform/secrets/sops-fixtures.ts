import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The test clusters' age recipients (valid-looking, not real keys). */
export const CLUSTER_KEY = 'age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p';
export const BACKUP_KEY = 'age1lggyhqrw2nlhcxprm67z43rta597azn8gknawjehu9d9dl0jq3yqqvfafg';
export const OTHER_KEY = 'age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj';

const enc = (data: string) => `ENC[AES256_GCM,data:${data},iv:q0bhV9Rz1Z9p0fZ3o3b1oQbqQvnQy8nX9w7u0S2eF0I=,tag:Vt3M0nW8fB2x7kq1Yc5ZbA==,type:str]`;

/** A SOPS-encrypted Secret as `sops encrypt` writes it (values are ciphertext, the sops block has a MAC). */
export function encryptedSecret(name: string, namespace: string, recipients: readonly string[] = [CLUSTER_KEY]): string {
  return [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `    name: ${name}`,
    `    namespace: ${namespace}`,
    'type: Opaque',
    'stringData:',
    `    token: ${enc('c2VjcmV0LXRva2VuLWNpcGhlcnRleHQ=')}`,
    'sops:',
    '    age:',
    ...recipients.flatMap((r) => [
      `        - recipient: ${r}`,
      '          enc: |',
      '            -----BEGIN AGE ENCRYPTED FILE-----',
      '            YWdlLWVuY3J5cHRpb24ub3JnL3YxCi0+IFgyNTUxOSBmYWtlZmFrZWZha2UK',
      '            -----END AGE ENCRYPTED FILE-----',
    ]),
    '    lastmodified: "2026-11-23T10:00:00Z"',
    `    mac: ${enc('bWFjLWNpcGhlcnRleHQ=')}`,
    '    encrypted_regex: ^(data|stringData)$',
    '    version: 3.10.2',
    '',
  ].join('\n');
}

/** The same Secret in plaintext, as someone forgetting `sops encrypt` would commit it. */
export function plaintextSecret(name: string, namespace: string): string {
  return `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nstringData:\n  token: s.hunter2-root-token\n`;
}

/** An encrypted file where one value was added after encryption and left in plaintext. */
export function halfEncryptedSecret(name: string, namespace: string): string {
  return encryptedSecret(name, namespace).replace('stringData:\n', 'stringData:\n    extra: plaintext-value\n');
}

/** Writes a file (repository-relative) under a temp root, creating folders. */
export function writeRepoFile(root: string, path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}
