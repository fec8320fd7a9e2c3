import { App } from '../../../src/lib/apps/app.js';
import { declareUserSecret } from '../../../src/lib/estate/user-secrets.js';
import { requestExternalSecret } from '../../../src/lib/platform/secrets/request.js';
import { withPlatform } from '../apps/fakes.js';
import { problems } from '../apps/harness.js';

/**
 * A Secret whose producer already reported what is wrong with it is not reported again by the
 * secret-reference check ("nothing provides it"): one mistake, one error. The producers record a
 * `secret-reported` fact (estate/self-checks.ts); no check searches earlier messages.
 */
const IMAGE = { repository: 'ghcr.io/example/web', tag: '1.2.3' };
const mentioning = (list: { message: string; fix: string }[], name: string) => list.filter((p) => `${p.message} ${p.fix}`.includes(`'${name}'`));

describe('one error per Secret mistake', () => {
  test('a store-backed variable on a cluster with no secret store', () => {
    const list = problems((c) => {
      withPlatform(c, { secrets: false });
      new App(c, 'web', { image: IMAGE, ports: [{ name: 'http', port: 8080 }], env: { TOKEN: { fromStore: { key: 'apps/web', property: 'token' } } } });
    });
    expect(mentioning(list, 'web-env').map((p) => p.message)).toEqual([expect.stringContaining('has no secret store')]);
  });

  test('an ExternalSecret asked of a store name the cluster does not have', () => {
    const list = problems((c) => {
      withPlatform(c);
      const app = new App(c, 'web', { image: IMAGE, ports: [{ name: 'http', port: 8080 }], envFrom: [{ secret: 'web-extra' }] });
      requestExternalSecret(app, 'web-extra', { token: { key: 'apps/web' } }, { store: 'vault' });
    });
    expect(mentioning(list, 'web-extra').map((p) => p.message)).toEqual([expect.stringContaining("asks ClusterSecretStore 'vault'")]);
  });

  test('a user Secret declared with an unusable key is reported once, at the declaration', () => {
    const list = problems((c) => {
      withPlatform(c);
      const app = new App(c, 'web', { image: IMAGE, ports: [{ name: 'http', port: 8080 }], envFrom: [{ secret: 'web-creds' }] });
      declareUserSecret(app, { name: 'web-creds', keys: ['bad key'], reason: 'API token' });
    });
    expect(list.filter((p) => p.message.includes("'bad key' is not a valid Secret key"))).toHaveLength(1);
    expect(mentioning(list, 'web-creds').filter((p) => p.message.includes('has no provider'))).toEqual([]);
  });
});
