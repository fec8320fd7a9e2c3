import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SECURITY_REASON_ANNOTATION } from '../../../../src/lib/tree/manifests.js';
import { ZfsLocalPv } from '../../../../src/lib/platform/storage/zfs-localpv.js';
import { ZFS_POOL_INIT_IMAGE, ZfsPoolDisks } from '../../../../src/lib/platform/storage/zfs-pool.js';
import { synthesize } from '../../../../src/lib/synth/synth.js';
import { tempRoot, testCluster } from '../../../helpers.js';
import { problems, synth } from './util.js';

const BY_ID = '/dev/disk/by-id/';

/** The rendered pool script of a ZfsLocalPv on the default test cluster (w1, w2). */
function scriptOf(pool: ZfsPoolDisks, poolName = 'tank'): string {
  const { estate, cluster } = testCluster();
  new ZfsLocalPv(cluster, 'zfs', { poolName, pool });
  return synth(estate).get('ConfigMap', 'zfs-pool', 'openebs').data['create-pool.sh'];
}

/**
 * Runs the script under /bin/sh against a fake host: `nsenter` runs its command directly, `zpool`
 * and `zfs` keep pools and datasets as files, `blkid -p` finds a signature in any non-empty file.
 * Disks are plain files under `<root>/disks` (the test has no block devices, so `[ -b` becomes `[ -f`).
 */
class FakeHost {
  public readonly root = tempRoot('zfs-host-');
  private readonly bin = join(this.root, 'bin');
  constructor() {
    for (const d of ['bin', 'disks', 'pools', 'datasets', 'importable']) mkdirSync(join(this.root, d));
    const stub = (name: string, body: string) => {
      writeFileSync(join(this.bin, name), `#!/bin/sh\nS='${this.root}'\n${body}\n`);
      chmodSync(join(this.bin, name), 0o755);
    };
    stub('nsenter', '[ "$1" = --mount=/proc/1/ns/mnt ] && [ "$2" = -- ] || exit 99\nshift 2\nexec "$@"');
    stub('zpool', [
      'echo "zpool $*" >> "$S/log"',
      'case "$1" in',
      '  list) [ -e "$S/pools/$5" ] ;;',
      '  import) found=1; for p in "$S"/importable/*; do [ -e "$p" ] || continue; echo "   pool: $(basename "$p")"; echo " state: ONLINE"; found=0; done; exit $found ;;',
      '  create) shift 5; touch "$S/pools/$1" ;;',
      '  *) exit 2 ;;',
      'esac',
    ].join('\n'));
    stub('zfs', [
      'echo "zfs $*" >> "$S/log"',
      'case "$1" in',
      '  list) [ -e "$S/datasets/$(echo "$5" | tr / _)" ] ;;',
      '  create) touch "$S/datasets/$(echo "$3" | tr / _)" ;;',
      'esac',
    ].join('\n'));
    stub('blkid', 'for last; do :; done\nif [ -s "$last" ]; then echo TYPE=ext4; exit 0; fi\nexit 2');
  }

  public disk(name: string, content = ''): void {
    writeFileSync(join(this.root, 'disks', name), content);
  }

  public run(script: string, node: string): { status: number | null; out: string; log: string[] } {
    const local = script
      .replaceAll(BY_ID, `${this.root}/disks/`)
      .replace('[ -b "$disk" ]', '[ -f "$disk" ]')
      .replace("ZPOOL='/usr/local/sbin/zpool'", `ZPOOL='${this.bin}/zpool'`)
      .replace("ZFS='/usr/local/sbin/zfs'", `ZFS='${this.bin}/zfs'`);
    const r = spawnSync('/bin/sh', ['-c', local], { env: { PATH: `${this.bin}:/usr/bin:/bin`, NODE_NAME: node }, encoding: 'utf8' });
    const logFile = join(this.root, 'log');
    return { status: r.status, out: `${r.stdout}${r.stderr}`, log: existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n') : [] };
  }

  public has(kind: 'pools' | 'datasets', name: string): boolean {
    return existsSync(join(this.root, kind, name.replaceAll('/', '_')));
  }
}

describe('ZFS pool creation (pool: { disks })', () => {
  test('the script creates the pool once from blank disks, mirrored by default, and is a no-op afterwards', () => {
    const script = scriptOf({ disks: [`${BY_ID}ata-A`, `${BY_ID}ata-B`] });
    expect(execFileSync('/bin/sh', ['-n', '-c', script]).toString()).toBe('');
    const host = new FakeHost();
    host.disk('ata-A');
    host.disk('ata-B');
    const first = host.run(script, 'w1');
    expect(first.status).toBe(0);
    expect(first.log).toContain(`zpool create -m none -o ashift=12 tank mirror ${host.root}/disks/ata-A ${host.root}/disks/ata-B`);
    expect(host.has('pools', 'tank')).toBe(true);
    const second = host.run(script, 'w1');
    expect(second.status).toBe(0);
    expect(second.out).toContain('pool tank exists on w1: nothing to do');
    expect(second.log.filter((l) => l.startsWith('zpool create'))).toHaveLength(1);
    expect(second.log.some((l) => / -f( |$)/.test(l))).toBe(false);
  });

  test('the script never touches a disk holding anything, and names the disk', () => {
    const host = new FakeHost();
    host.disk('ata-A');
    host.disk('ata-B', 'ext4 superblock');
    const r = host.run(scriptOf({ disks: [`${BY_ID}ata-A`, `${BY_ID}ata-B`] }), 'w1');
    expect(r.status).toBe(1);
    expect(r.out).toContain(`${host.root}/disks/ata-B on w1 is not blank (blkid exit 0: TYPE=ext4): refusing to create pool tank`);
    expect(r.log.some((l) => l.startsWith('zpool create'))).toBe(false);
  });

  test('the script refuses a missing disk, a node without disks, and a pool of that name waiting for import', () => {
    const script = scriptOf({ disks: { w1: [`${BY_ID}ata-A`] } });
    const host = new FakeHost();
    const missing = host.run(script, 'w1');
    expect([missing.status, missing.out]).toEqual([1, expect.stringContaining('is not a block device on w1')]);
    host.disk('ata-A');
    const stranger = host.run(script, 'w2');
    expect([stranger.status, stranger.out]).toEqual([1, expect.stringContaining('node w2 has no disks for pool tank')]);
    writeFileSync(join(host.root, 'importable', 'tank'), '');
    const exported = host.run(script, 'w1');
    expect([exported.status, exported.out]).toEqual([1, expect.stringContaining('is not imported: import it by hand (zpool import tank)')]);
    expect(host.run(script, 'w1').log.some((l) => l.startsWith('zpool create'))).toBe(false);
  });

  test('one disk is a stripe; per-node disks, ashift and the dataset of a pool/dataset name are honoured', () => {
    const script = scriptOf({ disks: { w1: [`${BY_ID}ata-A`], w2: [`${BY_ID}ata-B`, `${BY_ID}ata-C`] }, layout: 'stripe', ashift: 13 }, 'tank/k8s');
    const host = new FakeHost();
    for (const d of ['ata-A', 'ata-B', 'ata-C']) host.disk(d);
    const w2 = host.run(script, 'w2');
    expect(w2.status).toBe(0);
    expect(w2.log).toContain(`zpool create -m none -o ashift=13 tank ${host.root}/disks/ata-B ${host.root}/disks/ata-C`);
    expect(w2.log).toContain('zfs create -p tank/k8s');
    expect(host.has('datasets', 'tank/k8s')).toBe(true);
    expect(host.run(script, 'w2').log.filter((l) => l.startsWith('zfs create'))).toHaveLength(1);
    const single = scriptOf({ disks: [`${BY_ID}ata-A`] });
    expect(single).toContain("w1) LAYOUT='stripe'; DISKS='/dev/disk/by-id/ata-A' ;;");
  });

  test('the DaemonSet: privileged init with a stated reason in the privileged namespace, restarted when the script changes', () => {
    const { estate, cluster } = testCluster();
    new ZfsLocalPv(cluster, 'zfs', { poolName: 'tank', pool: { disks: [`${BY_ID}ata-A`] } });
    const result = synthesize(estate, { root: tempRoot() });
    const objects = result.trees.flatMap((t) => t.manifests.map((m) => m.object as Record<string, any>));
    const ds = objects.find((o) => o.kind === 'DaemonSet' && o.metadata.name === 'zfs-pool')!;
    const ns = objects.find((o) => o.kind === 'Namespace' && o.metadata.name === 'openebs')!;
    expect(ds.metadata.namespace).toBe('openebs');
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    expect(ds.metadata.annotations[SECURITY_REASON_ANNOTATION]).toContain("creates ZFS pool 'tank'");
    const pod = ds.spec.template.spec;
    expect(pod).toMatchObject({ hostPID: true, automountServiceAccountToken: false });
    expect(pod.initContainers[0]).toMatchObject({ image: `${ZFS_POOL_INIT_IMAGE.repository}:${ZFS_POOL_INIT_IMAGE.tag}`, securityContext: { privileged: true } });
    expect(pod.initContainers[0].volumeMounts).toContainEqual({ name: 'dev', mountPath: '/dev' });
    expect(pod.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true });
    expect(pod.containers[0].securityContext.privileged).toBeUndefined();
    expect(result.warnings.map((w) => w.code)).not.toContain('privileged-without-reason');
    expect(result.warnings.map((w) => w.code)).not.toContain('runs-as-root');
    const hash = ds.spec.template.metadata.annotations['homelab.arpa/script-sha256'];
    const other = testCluster();
    new ZfsLocalPv(other.cluster, 'zfs', { poolName: 'tank', pool: { disks: [`${BY_ID}ata-B`] } });
    expect(synth(other.estate).get('DaemonSet', 'zfs-pool').spec.template.metadata.annotations['homelab.arpa/script-sha256']).not.toBe(hash);
  });

  test('ImageRef pin of the init image carries a Renovate marker', () => {
    const source = readFileSync(new URL('../../../../src/lib/platform/storage/zfs-pool.ts', import.meta.url), 'utf8').split('\n');
    const at = source.findIndex((l) => l.startsWith('export const ZFS_POOL_INIT_IMAGE'));
    expect(source[at - 1]).toBe(`// renovate: datasource=docker depName=${ZFS_POOL_INIT_IMAGE.repository}`);
  });

  test('mistakes in the pool are problems naming the field, each reported once', () => {
    const cases: [ZfsPoolDisks, string, string][] = [
      [{ disks: [] }, 'pool.disks', 'no disk is given'],
      [{ disks: {} }, 'pool.disks', 'no node is given disks'],
      [{ disks: { w1: [] } }, 'pool.disks.w1', 'no disk is given'],
      [{ disks: ['sdb'] }, 'pool.disks[0]', "'sdb' is not a device path under /dev"],
      [{ disks: [`${BY_ID}a b`] }, 'pool.disks[0]', 'is not a device path under /dev'],
      [{ disks: [`${BY_ID}a`, `${BY_ID}a`] }, 'pool.disks[1]', 'is listed twice'],
      [{ disks: { w9: [`${BY_ID}a`] } }, 'pool.disks.w9', "'w9' is not a node of cluster 'test'"],
      [{ disks: { cp: [`${BY_ID}a`] } }, 'pool.disks.cp', "node 'cp' is not a storage node"],
      [{ disks: [`${BY_ID}a`], layout: 'mirror' }, 'pool.layout', "a mirror needs two or more disks, but node 'w1' has 1"],
      [{ disks: [`${BY_ID}a`], ashift: 17 }, 'pool.ashift', 'ashift 17 is not a whole number from 9 to 16'],
      [{ disks: [`${BY_ID}a`], ashift: 12.5 }, 'pool.ashift', 'is not a whole number'],
    ];
    for (const [pool, field, message] of cases) {
      const { estate, cluster } = testCluster();
      new ZfsLocalPv(cluster, 'zfs', { poolName: 'tank', pool });
      expect([pool, problems(estate).map((p) => [p.path, p.field, p.message])]).toEqual([pool, [['test/zfs', field, expect.stringContaining(message)]]]);
    }
  });

  test('a kernel disk name (/dev/sdb) is a warning: it may name another disk after a reboot', () => {
    const { estate, cluster } = testCluster();
    new ZfsLocalPv(cluster, 'zfs', { poolName: 'tank', pool: { disks: ['/dev/sdb'] } });
    const warnings = synthesize(estate, { root: tempRoot() }).warnings.filter((w) => w.code === 'zfs-disk-unstable-path');
    expect(warnings.map((w) => [w.path, w.message])).toEqual([['test/zfs', expect.stringContaining("disk '/dev/sdb' is named by the kernel")]]);
    const stable = testCluster();
    new ZfsLocalPv(stable.cluster, 'zfs', { poolName: 'tank', pool: { disks: [`${BY_ID}ata-A`] } });
    expect(synthesize(stable.estate, { root: tempRoot() }).warnings.map((w) => w.code)).not.toContain('zfs-disk-unstable-path');
  });
});
