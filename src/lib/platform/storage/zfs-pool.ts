import { createHash } from 'node:crypto';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { Component } from '../../estate/component.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import type { NodePrerequisite } from '../../estate/node-requirements.js';
import type { NodeSpec } from '../../estate/node.js';
import { SECURITY_REASON_ANNOTATION } from '../../tree/manifests.js';

/**
 * Image of the pool-creating DaemonSet: it needs a POSIX shell, `nsenter` and `blkid` (util-linux,
 * an Essential package of Debian 12, so in the slim image), nothing else: `zpool` itself is the
 * host's. Also the image the manual recipe debugs the node with.
 */
// renovate: datasource=docker depName=docker.io/library/debian
export const ZFS_POOL_INIT_IMAGE = { repository: 'docker.io/library/debian', tag: '12.11-slim' } as const;

/** Where the siderolabs/zfs Talos extension installs the ZFS tools (built with prefix /usr/local). */
export const TALOS_ZFS_SBIN = '/usr/local/sbin';

/** How the disks of a pool are combined. */
export type ZfsPoolLayout = 'stripe' | 'mirror';

/**
 * The disks a ZFS pool is created from, so the pool is part of the model: a privileged DaemonSet
 * creates it on each pool node the first time it runs there, and does nothing once it exists.
 * It never forces: a disk holding anything (partition table, filesystem, ZFS label) is refused and
 * the pod fails with the reason, so a wrong path cannot erase data.
 */
export interface ZfsPoolDisks {
  /**
   * Whole, blank disks by a stable path (`/dev/disk/by-id/…`; `/dev/sdX` names can change between
   * boots). A list: the same paths on every storage node. A map from node name to list: only those
   * nodes get the pool (and the StorageClass is limited to them).
   */
  readonly disks: readonly string[] | Readonly<Record<string, readonly string[]>>;
  /**
   * `mirror` keeps every block on each disk of the node (survives losing all but one); `stripe`
   * adds their capacity (losing one loses the pool). For raidz, create the pool by hand (`'manual'`).
   * @default 'mirror' on a node with two or more disks, 'stripe' on a node with one
   */
  readonly layout?: ZfsPoolLayout;
  /** Pool sector size as a power of two (12 = 4 KiB, right for current HDDs and SSDs). Fixed at creation. @default 12 */
  readonly ashift?: number;
}

/** Inclusive range of `ashift` OpenZFS accepts (512 B to 64 KiB sectors). */
const ASHIFT_MIN = 9;
const ASHIFT_MAX = 16;
/** A device path safe to write unquoted into the script: no spaces, quotes or shell characters. */
const DEVICE_PATH = /^\/dev\/[A-Za-z0-9._:+@=,-]+(\/[A-Za-z0-9._:+@=,-]+)*$/;

/** The pool a `poolName` (`pool` or `pool/dataset`) lives in. */
export function poolRoot(poolName: string): string {
  return poolName.split('/')[0];
}

/** `zpool create` arguments for one node's disks. `-m none`: Talos's root is read-only and the driver mounts each volume itself. */
export function zpoolCreateArgs(pool: string, layout: ZfsPoolLayout, ashift: number, disks: readonly string[]): string[] {
  return ['create', '-m', 'none', '-o', `ashift=${ashift}`, pool, ...(layout === 'mirror' ? ['mirror'] : []), ...disks];
}

/** What {@link checkPoolDisks} resolved: disks and layout per pool node, in node order. */
export interface ResolvedPoolDisks {
  readonly nodes: readonly { readonly name: string; readonly disks: readonly string[]; readonly layout: ZfsPoolLayout }[];
  readonly ashift: number;
  /** Whether `disks` named nodes (only those get the pool) rather than one list for every storage node. */
  readonly perNode: boolean;
}

/**
 * Checks `pool` against the storage nodes (schedulable nodes matching the node selector) and
 * resolves each node's disks and layout. Mistakes are reported on `component` under `pool.…`.
 */
export function checkPoolDisks(component: Component, pool: ZfsPoolDisks, storageNodes: readonly NodeSpec[]): ResolvedPoolDisks {
  const d = Diagnostics.of(component);
  const ashift = pool.ashift ?? 12;
  if (!Number.isInteger(ashift) || ashift < ASHIFT_MIN || ashift > ASHIFT_MAX) {
    d.error(component, 'pool.ashift', `ashift ${ashift} is not a whole number from ${ASHIFT_MIN} to ${ASHIFT_MAX}`, 'use 12 (4 KiB sectors) unless the disks need otherwise');
  }
  const perNode = !Array.isArray(pool.disks);
  const wanted: [string, readonly string[], string][] = perNode
    ? Object.entries(pool.disks as Record<string, readonly string[]>).map(([node, disks]) => [node, disks, `pool.disks.${node}`])
    : storageNodes.map((n) => [n.name, pool.disks as readonly string[], 'pool.disks']);
  if (wanted.length === 0 && perNode) d.error(component, 'pool.disks', 'no node is given disks', "list each storage node's disks, e.g. { worker0: ['/dev/disk/by-id/…'] }");
  const storage = new Set(storageNodes.map((n) => n.name));
  const nodes: { name: string; disks: readonly string[]; layout: ZfsPoolLayout }[] = [];
  const reported = new Set<string>();
  for (const [node, disks, field] of wanted) {
    if (perNode && !component.cluster.nodes.some((n) => n.name === node)) {
      d.error(component, field, `'${node}' is not a node of cluster '${component.cluster.name}'`, `use node names from the cluster model: ${component.cluster.nodes.map((n) => n.name).join(', ')}`);
      continue;
    }
    if (perNode && !storage.has(node)) {
      d.error(component, field, `node '${node}' is not a storage node (a schedulable node matching nodeSelector), so no volume could use its pool`, `give disks only to ${[...storage].join(', ') || 'schedulable nodes'}, or change nodeSelector`);
      continue;
    }
    if (reported.has(field)) continue; // one list for every node: report its mistakes once
    const problems = diskProblems(disks);
    for (const p of problems) d.error(component, p.index === undefined ? field : `${field}[${p.index}]`, p.message, p.fix);
    if (problems.length > 0) {
      reported.add(field);
      continue;
    }
    const layout = pool.layout ?? (disks.length > 1 ? 'mirror' : 'stripe');
    if (layout === 'mirror' && disks.length < 2) {
      d.error(component, 'pool.layout', `a mirror needs two or more disks, but node '${node}' has ${disks.length}`, "add a disk, or use layout: 'stripe'");
      reported.add(field);
      continue;
    }
    for (const disk of disks) {
      if (!disk.startsWith('/dev/disk/')) {
        d.warn(component, 'zfs-disk-unstable-path', `disk '${disk}' is named by the kernel, which can give the name to another disk after a reboot or a new disk: the pool is created on whichever disk holds the name when it first runs; use /dev/disk/by-id/…`);
      }
    }
    nodes.push({ name: node, disks, layout });
  }
  const order = component.cluster.nodes.map((n) => n.name);
  nodes.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  return { nodes, ashift, perNode };
}

function diskProblems(disks: readonly string[]): { index?: number; message: string; fix: string }[] {
  if (!Array.isArray(disks) || disks.length === 0) return [{ message: 'no disk is given', fix: "list at least one disk, e.g. ['/dev/disk/by-id/ata-…']" }];
  const out: { index?: number; message: string; fix: string }[] = [];
  disks.forEach((disk, i) => {
    if (typeof disk !== 'string' || !DEVICE_PATH.test(disk)) {
      out.push({ index: i, message: `'${String(disk)}' is not a device path under /dev`, fix: "use the disk's path from 'ls -l /dev/disk/by-id' (talosctl get disks), e.g. '/dev/disk/by-id/ata-…'" });
    } else if (disks.indexOf(disk) !== i) {
      out.push({ index: i, message: `disk '${disk}' is listed twice`, fix: 'list each disk once' });
    }
  });
  return out;
}

/** The host's `zpool` next to the given `zfs` binary (a bare name stays a bare name, found on PATH). */
export function zpoolBeside(zfsBinary: string): string {
  const at = zfsBinary.lastIndexOf('/');
  return at < 0 ? 'zpool' : `${zfsBinary.slice(0, at)}/zpool`;
}

export interface ZfsPoolInitProps {
  /** Pool (or `pool/dataset`) the StorageClass uses; a missing dataset is created too. */
  readonly poolName: string;
  readonly disks: ResolvedPoolDisks;
  /** Host path (or bare name) of `zpool`. */
  readonly zpoolBinary: string;
  /** Host path (or bare name) of `zfs`. */
  readonly zfsBinary: string;
  /** Name of the DaemonSet and its script ConfigMap. */
  readonly name: string;
}

/**
 * Creates the pool on each pool node: a DaemonSet pinned to those nodes whose init container runs
 * an idempotent script. It enters the host's mount namespace (`hostPID`, `nsenter`) to run the
 * host's own `zpool`, since the tools must match the kernel module (on Talos, the siderolabs/zfs
 * extension's). Nothing happens when the pool is listed; the script refuses when a pool of that
 * name is waiting to be imported, or when a disk is missing or holds anything `blkid` recognises.
 * The main container only sleeps, so a Ready pod means "pool present" and Flux's health check fails
 * loudly when a node's pool cannot be created. Must live in a namespace admitting privileged pods.
 */
export class ZfsPoolInit extends Construct {
  public readonly script: string;

  constructor(scope: Component, id: string, props: ZfsPoolInitProps) {
    super(scope, id);
    this.script = poolScript(props);
    const hash = createHash('sha256').update(this.script).digest('hex').slice(0, 16);
    const labels = { 'app.kubernetes.io/name': props.name, 'app.kubernetes.io/component': 'zfs-pool' };
    const image = `${ZFS_POOL_INIT_IMAGE.repository}:${ZFS_POOL_INIT_IMAGE.tag}`;
    new ApiObject(this, 'script', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: props.name, namespace: scope.namespace, labels },
      data: { 'create-pool.sh': this.script },
    });
    new ApiObject(this, 'daemonset', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: {
        name: props.name,
        namespace: scope.namespace,
        labels,
        annotations: {
          [SECURITY_REASON_ANNOTATION]: `creates ZFS pool '${poolRoot(props.poolName)}' with the host's zpool (privileged nsenter into the host mount namespace, hostPID) after checking the raw disks are blank (/dev)`,
        },
      },
      spec: {
        selector: { matchLabels: labels },
        template: {
          // A changed script (new disks, layout) restarts the pods, so it runs again.
          metadata: { labels, annotations: { 'homelab.arpa/script-sha256': hash } },
          spec: {
            hostPID: true,
            automountServiceAccountToken: false,
            terminationGracePeriodSeconds: 1,
            affinity: {
              nodeAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: {
                  nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: props.disks.nodes.map((n) => n.name) }] }],
                },
              },
            },
            initContainers: [{
              name: 'create-pool',
              image,
              command: ['/bin/sh', '/scripts/create-pool.sh'],
              env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
              securityContext: { privileged: true },
              resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { memory: '128Mi' } },
              volumeMounts: [
                { name: 'scripts', mountPath: '/scripts', readOnly: true },
                // The host's /dev, for the /dev/disk/by-id links blkid reads through.
                { name: 'dev', mountPath: '/dev' },
              ],
            }],
            containers: [{
              name: 'pool-present',
              image,
              command: ['sleep', 'infinity'],
              securityContext: {
                runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' },
              },
              resources: { requests: { cpu: '1m', memory: '8Mi' }, limits: { memory: '16Mi' } },
            }],
            volumes: [
              { name: 'scripts', configMap: { name: props.name, defaultMode: 0o555 } },
              { name: 'dev', hostPath: { path: '/dev', type: 'Directory' } },
            ],
          },
        },
      },
    });
  }
}

/** The idempotent create script (POSIX sh; values are validated names and paths, safe unquoted). */
function poolScript(props: ZfsPoolInitProps): string {
  const pool = poolRoot(props.poolName);
  const dataset = props.poolName === pool ? '' : props.poolName;
  const cases = props.disks.nodes.map((n) => `  ${n.name}) LAYOUT='${n.layout}'; DISKS='${n.disks.join(' ')}' ;;`);
  const create = zpoolCreateArgs(pool, 'stripe', props.disks.ashift, []).map((a) => (a === pool ? '"$POOL"' : a)).join(' ');
  return [
    '#!/bin/sh',
    `# Creates ZFS pool ${pool} on this node once, from the disks the cluster model gives it. Never forces.`,
    'set -eu',
    `POOL='${pool}'`,
    `DATASET='${dataset}'`,
    `ZPOOL='${props.zpoolBinary}'`,
    `ZFS='${props.zfsBinary}'`,
    'host() { nsenter --mount=/proc/1/ns/mnt -- "$@"; }',
    'case "$NODE_NAME" in',
    ...cases,
    '  *) echo "node $NODE_NAME has no disks for pool $POOL in the cluster model" >&2; exit 1 ;;',
    'esac',
    'if host "$ZPOOL" list -H -o name "$POOL" >/dev/null 2>&1; then',
    '  echo "pool $POOL exists on $NODE_NAME: nothing to do"',
    'else',
    '  # A pool of that name on disks but not imported holds data: never create over it.',
    '  if host "$ZPOOL" import 2>/dev/null | sed -n \'s/^ *pool: //p\' | grep -Fxq "$POOL"; then',
    '    echo "pool $POOL exists on $NODE_NAME but is not imported: import it by hand (zpool import $POOL); refusing to create it" >&2; exit 1',
    '  fi',
    '  for disk in $DISKS; do',
    '    [ -b "$disk" ] || { echo "$disk is not a block device on $NODE_NAME: fix the disk path in the cluster model" >&2; exit 1; }',
    '    # blkid -p exits 2 when it finds nothing: no partition table, filesystem, RAID or ZFS label.',
    '    rc=0; found=$(blkid -p -o export "$disk" 2>&1) || rc=$?',
    '    if [ "$rc" -ne 2 ]; then',
    '      echo "$disk on $NODE_NAME is not blank (blkid exit $rc: $found): refusing to create pool $POOL on it; wipe it by hand only if it holds nothing you need" >&2; exit 1',
    '    fi',
    '  done',
    '  if [ "$LAYOUT" = mirror ]; then VDEV=mirror; else VDEV=; fi',
    `  host "$ZPOOL" ${create} $VDEV $DISKS`,
    '  echo "created pool $POOL ($LAYOUT of $DISKS) on $NODE_NAME"',
    'fi',
    'if [ -n "$DATASET" ] && ! host "$ZFS" list -H -o name "$DATASET" >/dev/null 2>&1; then',
    '  host "$ZFS" create -p "$DATASET"',
    '  echo "created dataset $DATASET on $NODE_NAME"',
    'fi',
    '',
  ].join('\n');
}

/** Options of {@link manualPoolPrerequisite}. */
export interface ManualPoolOptions {
  readonly poolName: string;
  readonly storageClassName: string;
  readonly nodes: readonly string[];
  readonly talos: boolean;
  readonly zpoolBinary: string;
  readonly zfsBinary: string;
}

/**
 * The README/runbook step creating the pool by hand, when its disks are not in the model. The
 * command is the one the DaemonSet would run, with the disks left for the person to fill in.
 */
export function manualPoolPrerequisite(o: ManualPoolOptions): NodePrerequisite {
  const pool = poolRoot(o.poolName);
  const nodes = o.nodes.length > 0 ? o.nodes.join(', ') : 'every storage node';
  const create = zpoolCreateArgs(pool, 'mirror', 12, ['/dev/disk/by-id/<disk-1>', '/dev/disk/by-id/<disk-2>']);
  const dataset = o.poolName === pool ? [] : [[o.zfsBinary, 'create', '-p', o.poolName]];
  const commands = [[o.zpoolBinary, ...create], ...dataset, [o.zpoolBinary, 'list', pool]];
  const caution = "# blank disks only: zpool refuses one holding a filesystem, partition table or pool (never add -f unless you mean to erase it); one disk: drop 'mirror'";
  const howTo = o.talos
    ? [
      `# on each of ${nodes}; find the disks with: talosctl -n <node> get disks`,
      caution,
      `kubectl -n kube-system debug -it --profile sysadmin --image=${ZFS_POOL_INIT_IMAGE.repository}:${ZFS_POOL_INIT_IMAGE.tag} node/<node>`,
      '# then, in the debug shell:',
      ...commands.map((c) => `chroot /host ${c.join(' ')}`),
    ]
    : [`# on each of ${nodes} (ssh); find the disks with: ls -l /dev/disk/by-id`, caution, ...commands.map((c) => `sudo ${c.join(' ')}`)];
  return {
    name: `zfs-pool ${pool}`,
    reason: `OpenEBS ZFS LocalPV only creates volumes inside an existing pool: until '${o.poolName}' exists on ${nodes}, every claim on StorageClass '${o.storageClassName}' stays Pending (or give the disks in the model, ZfsLocalPv pool: { disks }, and a DaemonSet creates it)`,
    howTo: howTo.join('\n'),
  };
}
