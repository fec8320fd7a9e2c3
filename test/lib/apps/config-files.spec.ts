import { App, AppProps } from '../../../src/lib/apps/app.js';
import { FILES_HASH_ANNOTATION, filesHash } from '../../../src/lib/apps/config-files.js';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { mainContainer, problemAt, problems, synth } from './harness.js';

const IMAGE = { repository: 'eclipse-mosquitto', tag: '2.0.22' };
const CONF = 'listener 1883\nallow_anonymous true\n';
const app = (c: HomelabCluster, props: Partial<AppProps> = {}) =>
  new App(c, 'mqtt', { image: IMAGE, ports: [{ name: 'mqtt', port: 1883 }], files: [{ path: '/mosquitto/config/mosquitto.conf', content: CONF }], ...props });

describe('App files: a generated ConfigMap mounted by subPath, a hash that rolls the pods', () => {
  const s = synth((c) => app(c, { sidecars: [{ name: 'exporter', volumes: ['config-files'] }] }));
  const deploy = s.get('Deployment', 'mqtt', 'mqtt');
  const pod = deploy.spec.template.spec;

  test('the ConfigMap holds the files under their base names', () => {
    expect(s.get('ConfigMap', 'mqtt-files', 'mqtt').data).toEqual({ 'mosquitto.conf': CONF });
    expect(pod.volumes).toContainEqual({ name: 'config-files', configMap: { name: 'mqtt-files', defaultMode: 0o444, items: [{ key: 'mosquitto.conf', path: 'mosquitto.conf' }] } });
  });

  test('each file is mounted read-only by subPath at its path, in the sidecars that name the volume too', () => {
    const mount = { name: 'config-files', mountPath: '/mosquitto/config/mosquitto.conf', subPath: 'mosquitto.conf', readOnly: true };
    expect(mainContainer(deploy).volumeMounts).toContainEqual(mount);
    expect(pod.containers[1].volumeMounts).toEqual([mount]);
  });

  test('the pod template carries the hash of the files, and a change changes it', () => {
    const hash = deploy.spec.template.metadata.annotations[FILES_HASH_ANNOTATION];
    expect(hash).toBe(filesHash([{ path: '/mosquitto/config/mosquitto.conf', content: CONF }]));
    const changed = synth((c) => app(c, { files: [{ path: '/mosquitto/config/mosquitto.conf', content: `${CONF}log_type all\n` }] }));
    expect(changed.get('Deployment', 'mqtt').spec.template.metadata.annotations[FILES_HASH_ANNOTATION]).not.toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
  });

  test('no files: no ConfigMap, no annotation', () => {
    const plain = synth((c) => new App(c, 'mqtt', { image: IMAGE, ports: [{ name: 'mqtt', port: 1883 }] }));
    expect(plain.find('ConfigMap', 'mqtt-files')).toBeUndefined();
    expect(plain.get('Deployment', 'mqtt').spec.template.metadata.annotations).toBeUndefined();
  });

  test('two files of one base name get distinct keys; a mode is kept', () => {
    const two = synth((c) => app(c, { files: [{ path: '/a/config.yaml', content: 'a: 1\n' }, { path: '/b/config.yaml', content: 'b: 2\n', mode: 0o555 }] }));
    expect(Object.keys(two.get('ConfigMap', 'mqtt-files').data).sort()).toEqual(['2-config.yaml', 'config.yaml']);
    expect(two.get('Deployment', 'mqtt').spec.template.spec.volumes.find((v: any) => v.name === 'config-files').configMap.items[1]).toEqual({ key: '2-config.yaml', path: '2-config.yaml', mode: 0o555 });
  });

  test('mistakes: a relative path, one path twice, a path a volume is mounted at, a volume of the reserved name', () => {
    problemAt(problems((c) => app(c, { files: [{ path: 'mosquitto.conf', content: CONF }] })), 'files[0].path', 'is not an absolute file path');
    problemAt(problems((c) => app(c, { files: [{ path: '/a', content: '' }, { path: '/a', content: '' }] })), 'files[1].path', 'is given twice');
    problemAt(problems((c) => app(c, { files: [{ path: '/data', content: '' }], persistence: { data: { type: 'emptyDir', mountPath: '/data' } } })), 'files[0].path', 'is also the mount path of a volume');
    problemAt(problems((c) => app(c, { persistence: { 'config-files': { type: 'emptyDir', mountPath: '/x' } } })), 'persistence.config-files', 'is the volume the files are mounted from');
  });
});
