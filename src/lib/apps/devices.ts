import { IConstruct } from 'constructs';
import type { HomelabCluster } from '../estate/cluster.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { nodeLabels, selectorMatches } from '../estate/scheduling.js';
import type { AppDevice, AppProps } from './app-props.js';
import type { AppVolume } from './volumes.js';

/**
 * Host devices (a Zigbee or Z-Wave stick, a serial adapter) handed to an App's pod: each becomes a
 * hostPath volume of type `CharDevice`, the pod is pinned to the node the device is plugged into,
 * and the privileges it needs are written as relaxations with the device's reason. A device that a
 * device plugin advertises (an Intel GPU's `gpu.intel.com/i915`, a generic device plugin's serial
 * ports) is asked for with `resources.extended` instead, and needs none of this.
 */

/** The kubelet's label naming a node (always set, so a device can be pinned by node name). */
const HOSTNAME_LABEL = 'kubernetes.io/hostname';

/** The volume name of the `i`-th device. */
export function deviceVolumeName(i: number): string {
  return `device-${i}`;
}

/** The node selector pinning the pod to its devices' node (empty without devices). */
export function deviceNodeSelector(devices: readonly AppDevice[]): Record<string, string> {
  return Object.assign({}, ...devices.map((dev) => (dev.node ? { [HOSTNAME_LABEL]: dev.node } : { ...dev.nodeLabel })));
}

/**
 * The props with the devices applied: a `CharDevice` hostPath volume each (the namespace becomes
 * `privileged`, as Pod Security requires for host paths), the pod's node selector joined with the
 * devices', their groups added to supplementalGroups, and `security.privileged` with the devices'
 * reasons: a host device mounted by path opens only in a privileged container, because the
 * runtime's device cgroup admits no other device node (a device plugin is the unprivileged way).
 * An explicit `security.privileged` is kept as given. Props without devices come back unchanged.
 */
/**
 * The device volumes whose privilege a container needs only if it mounts one: the pod's privilege
 * comes from its devices alone (no `security.privileged` of the user's). Empty otherwise.
 */
export function deviceOnlyPrivilege(p: AppProps): string[] {
  if (p.security?.privileged !== undefined) return [];
  return (p.devices ?? []).map((_, i) => deviceVolumeName(i));
}

export function withDevices(p: AppProps): AppProps {
  const devices = p.devices ?? [];
  if (devices.length === 0) return p;
  const volumes: Record<string, AppVolume> = Object.fromEntries(devices.map((dev, i) => [
    deviceVolumeName(i), { type: 'hostPath', path: dev.path, mountPath: dev.mountPath ?? dev.path, hostPathType: 'CharDevice' } satisfies AppVolume,
  ]));
  const groups = devices.flatMap((dev) => (dev.group !== undefined ? [dev.group] : []));
  const reason = devices.map((dev) => `${dev.path}: ${dev.reason?.trim() ?? ''}`).join('; ');
  const s = p.security ?? {};
  return {
    ...p,
    persistence: { ...p.persistence, ...volumes },
    nodeSelector: { ...p.nodeSelector, ...deviceNodeSelector(devices) },
    security: {
      ...s,
      supplementalGroups: [...new Set([...(s.supplementalGroups ?? []), ...groups])],
      privileged: s.privileged ?? { reason: `host device ${reason} (a device mounted by path opens only in a privileged container: the device cgroup admits no other)` },
    },
  };
}

/**
 * Checks of the devices as given (before {@link withDevices}): absolute paths, a reason each, one
 * node for all of them, a node selector that does not contradict theirs, and a node of the cluster
 * that matches (when the cluster lists its nodes).
 */
export function checkDevices(scope: IConstruct, cluster: HomelabCluster, p: AppProps): void {
  const d = Diagnostics.of(scope);
  const devices = p.devices ?? [];
  devices.forEach((dev, i) => {
    const at = `devices[${i}]`;
    if (!dev.path?.startsWith('/dev/')) d.error(scope, `${at}.path`, `device path '${dev.path}' is not under /dev`, "give the node's device path, e.g. '/dev/serial/by-id/usb-…' or '/dev/ttyUSB0'");
    if (!dev.reason?.trim()) d.error(scope, `${at}.reason`, `device ${dev.path} needs a reason: it makes the pod privileged`, "say what the app does with it, e.g. reason: 'Zigbee coordinator'");
    if ((dev.node === undefined) === (dev.nodeLabel === undefined)) {
      d.error(scope, `${at}.node`, `device ${dev.path} names ${dev.node === undefined ? 'no node' : 'both node and nodeLabel'}: the pod must be pinned to the node the device is plugged into`, "give node: '<node name>' or nodeLabel: { '<key>': '<value>' }, not both");
    }
    if (p.persistence && deviceVolumeName(i) in p.persistence) d.error(scope, `persistence.${deviceVolumeName(i)}`, `the volume name '${deviceVolumeName(i)}' is the one of devices[${i}]`, 'rename the volume');
  });
  const selector: Record<string, string> = { ...p.nodeSelector };
  for (const [key, value] of Object.entries(deviceNodeSelector(devices))) {
    const clash = devices.some((dev) => (dev.node ? key === HOSTNAME_LABEL && dev.node !== value : dev.nodeLabel?.[key] !== undefined && dev.nodeLabel[key] !== value));
    if (clash || (selector[key] !== undefined && selector[key] !== value)) {
      d.error(scope, 'devices', `the devices (and nodeSelector) ask for ${key}=${selector[key] ?? value} and ${key}=${value}: a pod runs on one node`, 'plug the devices into one node, or split the app');
    }
    selector[key] = value;
  }
  if (devices.length > 0 && cluster.nodes.length > 0 && !cluster.nodes.some((n) => selectorMatches(selector, nodeLabels(n)))) {
    d.error(scope, 'devices', `no node of cluster '${cluster.name}' matches ${JSON.stringify(selector)}, where the devices are said to be`, `name a node of the cluster (${cluster.nodes.map((n) => n.name).join(', ')}), or label the node that has the device`);
  }
}
