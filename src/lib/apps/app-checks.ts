import type { HomelabCluster } from '../estate/cluster.js';
import type { Component } from '../estate/component.js';
import { Diagnostics } from '../estate/diagnostics.js';
import { isDnsLabel } from '../estate/names.js';
import type { Arch } from '../estate/node.js';
import { archsAdmitted, eligibleNodes, nodeArchs } from '../estate/scheduling.js';
import type { Exposure } from '../estate/services.js';
import { checkAppInput } from './app-input.js';
import { AppPort, AppProps, runningExtras } from './app-props.js';
import { checkResources, DEFAULT_RESOURCES, SIDECAR_RESOURCES } from './container-resources.js';
import { checkEnv } from './env.js';
import { checkImage, ImageRef, imageName } from './image.js';
import { checkImageRuntime } from './image-runtime.js';
import type { PeerPort } from './network.js';
import { checkProbes, derivedProbe } from './probes.js';
import { checkWorkload } from './app-controller.js';
import { checkFiles, FILES_VOLUME } from './config-files.js';
import { workloadKind } from './workload-props.js';
import type { ResolvedSecurity } from './security.js';
import { AppVolume, checkVolumes } from './volumes.js';

/**
 * The App construct's checks of what it resolved from its props, run once in its constructor:
 * image and runtime facts, env, volumes, ports, containers, resources, exposure, and whether any
 * node of the cluster can run the pod. Each problem is reported on the field that causes it.
 */

/** What the App construct resolved, as its checks read it. */
export interface CheckedApp extends Component {
  readonly cluster: HomelabCluster;
  readonly image: ImageRef;
  readonly archs: readonly Arch[];
  readonly portMap: ReadonlyMap<string, PeerPort>;
  readonly exposure: Exposure;
  readonly security: ResolvedSecurity;
}

const PORT_NAME = /^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;
// The API server takes an IANA service name (http, h2c…) or a prefixed name (kubernetes.io/h2c, example.com/x).
const APP_PROTOCOL = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Every check of an App's props, in the order its errors are reported. */
export function checkApp(app: CheckedApp, p: AppProps, volumes: Readonly<Record<string, AppVolume>>): void {
  const d = Diagnostics.of(app);
  const imageOk = checkImage(app, 'image', p.image);
  checkEnv(app, 'env', p.env ?? {});
  checkVolumes(app, volumes);
  checkAppInput(app, app.name, app.namespace, p, volumes);
  if (imageOk) {
    checkImageRuntime(app, { image: p.image, security: app.security, volumes, ports: p.ports ?? [], env: p.env ?? {}, command: p.command, args: p.args });
  }
  checkPorts(app, p);
  checkProbes(app, 'probes', p.probes, p.ports ?? [], derivedProbe(p, undefined));
  for (const c of runningExtras(p)) checkProbes(app, `containers.${c.name}.probes`, c.probes, c.ports ?? [], undefined);
  if (p.replicas !== undefined && (!Number.isInteger(p.replicas) || p.replicas < 0)) d.error(app, 'replicas', `${p.replicas} is not a replica count`, 'use a whole number ≥ 0');
  checkResources(app, 'resources', p.resources, DEFAULT_RESOURCES);
  checkExtraContainers(app, p, volumes);
  checkExposure(app, p);
  checkNodes(app, p);
  checkUserNamespace(app, volumes);
  checkWorkload(app, p, volumes);
  checkFiles(app, p.files, Object.keys(volumes), Object.values(volumes).map((v) => v.mountPath));
  // A StatefulSet's `claim` volumes are one claim per pod; only the shared ones count.
  const shared = workloadKind(p.workload) === 'StatefulSet' ? Object.fromEntries(Object.entries(volumes).filter(([, v]) => v.type !== 'claim')) : volumes;
  if ((p.replicas ?? 1) > 1 && hasSingleNodeVolume(shared)) {
    d.error(app, 'replicas', `${p.replicas} replicas share a ReadWriteOnce volume, which only one node can mount`, 'use one replica, ReadWriteMany storage (NFS) for shared data, or a StatefulSet (a claim per pod)');
  }
}

/** Port names, numbers and application protocols of every container, and names unique in the pod. */
function checkPorts(app: CheckedApp, p: AppProps): void {
  const d = Diagnostics.of(app);
  const seen = new Set<string>();
  const portSites: [AppPort, string][] = [
    ...(p.ports ?? []).map((port, i): [AppPort, string] => [port, `ports[${i}]`]),
    ...runningExtras(p).flatMap((c) => (c.ports ?? []).map((port, i): [AppPort, string] => [port, `containers.${c.name}.ports[${i}]`])),
  ];
  for (const c of p.initContainers ?? []) {
    if (c.restartPolicy !== 'Always' && ((c.ports ?? []).length > 0 || c.probes)) d.error(app, `containers.${c.name}`, `init container '${c.name}' declares ports or probes: it runs to completion before the app starts, so nothing reaches or probes it`, "make it a native sidecar (restartPolicy: 'Always'), move it to sidecars, or drop ports/probes");
  }
  for (const c of p.sidecars ?? []) if (c.restartPolicy !== undefined) d.error(app, `containers.${c.name}.restartPolicy`, `sidecar '${c.name}' sets restartPolicy, which only init containers take (a sidecar restarts with the pod's policy)`, "drop it, or move the container to initContainers to make it a native sidecar");
  portSites.forEach(([port, at]) => {
    if (!PORT_NAME.test(port.name)) d.error(app, `${at}.name`, `port name '${port.name}' is not an IANA service name`, "use at most 15 lowercase letters, digits and '-', e.g. 'http'");
    if (seen.has(port.name)) d.error(app, `${at}.name`, `port name '${port.name}' is used twice`, 'name every port differently');
    seen.add(port.name);
    if (!isPortNumber(port.port)) d.error(app, `${at}.port`, `${port.port} is not a port number`, 'use 1–65535');
    if (port.servicePort !== undefined && !isPortNumber(port.servicePort)) d.error(app, `${at}.servicePort`, `${port.servicePort} is not a port number`, 'use 1–65535');
    if (port.appProtocol !== undefined && !APP_PROTOCOL.test(port.appProtocol)) {
      d.error(app, `${at}.appProtocol`, `'${port.appProtocol}' is not an application protocol name`, "use an IANA name like 'http' or a prefixed one like 'kubernetes.io/h2c' or 'kubernetes.io/ws'");
    }
  });
}

function isPortNumber(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** Names, images, env, volumes and resources of init containers and sidecars. */
function checkExtraContainers(app: CheckedApp, p: AppProps, volumes: Readonly<Record<string, AppVolume>>): void {
  const d = Diagnostics.of(app);
  for (const c of [...(p.initContainers ?? []), ...(p.sidecars ?? [])]) {
    if (!isDnsLabel(c.name) || c.name === app.name) d.error(app, `containers.${c.name}`, `container name '${c.name}' is not a DNS-1123 label distinct from the app's`, "use a short name like 'cron'");
    if (c.image) checkImage(app, `containers.${c.name}.image`, c.image);
    checkEnv(app, `containers.${c.name}.env`, c.env ?? {});
    for (const v of c.volumes ?? []) if (!(v in volumes) && !(v === FILES_VOLUME && (p.files ?? []).length > 0)) d.error(app, `containers.${c.name}.volumes`, `no volume named '${v}'`, `use one of: ${Object.keys(volumes).join(', ') || '(none)'}`);
    checkResources(app, `containers.${c.name}.resources`, c.resources, SIDECAR_RESOURCES);
  }
}

/** An exposed app needs a port, and `exposePort` must name one. */
function checkExposure(app: CheckedApp, p: AppProps): void {
  if (app.exposure === 'none') return;
  const d = Diagnostics.of(app);
  if (app.portMap.size === 0) d.error(app, 'expose', `the app is exposed '${app.exposure}' but declares no port`, 'add ports: [{ name: \'http\', port: … }] or set expose: \'none\'');
  else if (p.exposePort && !app.portMap.has(p.exposePort)) d.error(app, 'exposePort', `no port named '${p.exposePort}'`, `use one of: ${[...app.portMap.keys()].join(', ')}`);
}

/** Some schedulable node must admit the pod (labels, taints) and be of an architecture its image exists for. */
function checkNodes(app: CheckedApp, p: AppProps): void {
  const d = Diagnostics.of(app);
  const cluster = app.cluster;
  if (cluster.nodes.length === 0) return;
  const placement = { nodeSelector: p.nodeSelector, tolerations: p.tolerations, archs: app.archs };
  const nodes = eligibleNodes(cluster.schedulableNodes, placement);
  if (nodes.length === 0) {
    d.error(app, 'nodeSelector', `no schedulable node of cluster '${cluster.name}' matches the node selector ${JSON.stringify(p.nodeSelector ?? {})} and tolerates its taints`, 'fix nodeSelector / tolerations, or label a node to match');
    return;
  }
  if (!archsAdmitted(nodes, placement)) {
    const found = nodeArchs(nodes);
    d.error(app, 'image.archs', `image '${imageName(app.image)}' is published for ${app.archs.join(', ')} only, but the nodes it may run on are ${found.join(', ')}`, `use an image built for ${found.join('/')}, or run the app on a cluster (or nodeSelector) with ${app.archs.join('/')} nodes`);
  }
}

/** A pod in its own user namespace mounts volumes idmapped, which NFS cannot do (the kubelet fails the mount). */
function checkUserNamespace(app: CheckedApp, volumes: Readonly<Record<string, AppVolume>>): void {
  if (app.security.hostUsers) return;
  for (const [name, v] of Object.entries(volumes)) {
    if (v.type === 'nfs') Diagnostics.of(app).warn(app, 'user-namespace-nfs', `volume '${name}' is an NFS share, which cannot be idmapped for a pod with hostUsers: false: the pod may fail to start (Kubernetes user namespaces need idmapped mounts on ext4, xfs, btrfs, tmpfs or overlayfs)`);
  }
}

/** Whether some volume of the set can be attached to one node only. */
function hasSingleNodeVolume(volumes: Readonly<Record<string, AppVolume>>): boolean {
  return Object.values(volumes).some((v) =>
    (v.type === 'claim' && (v.accessMode ?? 'ReadWriteOnce') !== 'ReadWriteMany') ||
    (v.type === 'existingClaim' && ((v.accessMode ?? 'ReadWriteOnce') === 'ReadWriteOnce' || v.accessMode === 'ReadWriteOncePod')));
}
