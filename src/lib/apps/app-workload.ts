import { k8s } from 'cdk8s-plus-28';
import type { Component } from '../estate/component.js';
import { hardenedContainerSecurityContext, hardenedPodFields } from '../estate/hardened-pod.js';
import type { Arch } from '../estate/node.js';
import { renderPlacement } from '../estate/scheduling.js';
import { allPodPorts, AppPort, AppProps, EnvSource, ExtraContainer } from './app-props.js';
import { DEFAULT_RESOURCES, renderResources, SIDECAR_RESOURCES } from './container-resources.js';
import { EnvValue, renderEnv, StoreSecrets } from './env.js';
import { renderFiles } from './config-files.js';
import { imageName } from './image.js';
import { headlessServiceName, renderController, wantsDisruptionBudget } from './app-controller.js';
import { derivedProbe, renderProbes, resolveProbes } from './probes.js';
import type { PeerPort } from './network.js';
import { RELAXATIONS_ANNOTATION, ResolvedSecurity } from './security.js';
import { AppVolume, renderVolumes } from './volumes.js';
import { renderExtraServices } from './extra-services.js';
import { runsToCompletion, workloadKind } from './workload-props.js';

/**
 * The objects an App renders for its pods (wire phase, once its connections are known): one
 * hardened pod template (main container, init containers, native sidecars and sidecars, volumes,
 * files) for whichever controller app-controller.ts puts around it, the Service of its published
 * ports (not for Jobs) and, for a replicated Deployment or StatefulSet, a PodDisruptionBudget.
 */

/** What the App construct resolved, as its workload renders it. */
export interface WorkloadApp extends Component {
  readonly selectorLabels: Record<string, string>;
  readonly portMap: ReadonlyMap<string, PeerPort>;
  readonly security: ResolvedSecurity;
  readonly replicas: number;
  readonly archs: readonly Arch[];
}

/** What the workload is rendered from beyond the app itself. */
export interface WorkloadInput {
  readonly props: AppProps;
  readonly volumes: Readonly<Record<string, AppVolume>>;
  /** Variables derived from the services the app uses (before the app's own). */
  readonly derivedEnv: readonly (readonly [string, EnvValue])[];
  /** The Secret holding the store-backed variables. @default - none */
  /** The Secret each store's ExternalSecret materialises, by store name. */
  readonly storeSecrets: StoreSecrets;
  /** The port the route targets: the HTTP health check's default. @default - the first port */
  readonly routePortName?: string;
  /**
   * Device volumes whose privilege is the pod's only one: an init container or sidecar mounting
   * none of them runs unprivileged (a config seeder need not open the Zigbee stick). @default []
   */
  readonly deviceVolumes?: readonly string[];
}

/** Renders the controller (Deployment, StatefulSet, DaemonSet, CronJob or Job), the Service and the PodDisruptionBudget of `app`. */
export function renderWorkload(app: WorkloadApp, input: WorkloadInput): void {
  const p = input.props;
  const kind = workloadKind(p.workload);
  const vols = renderVolumes(app, app.name, input.volumes, kind === 'StatefulSet');
  const mainEnv = mergeEnv([...input.derivedEnv, ...Object.entries(p.env ?? {})]);
  const files = renderFiles(app, p.files);
  const mounts = [...vols.mounts.values(), ...(files?.mounts ?? [])];
  const podVolumes = [...vols.volumes, ...(files ? [files.volume] : [])];
  const containers = new ContainerRenderer(app, input, mainEnv, mounts);
  const main = containers.main();
  const own = { ...p.annotations, ...(app.security.relaxations.length > 0 ? { [RELAXATIONS_ANNOTATION]: app.security.relaxations.join('\n') } : {}) };
  const annotations = Object.keys(own).length > 0 ? own : undefined;
  const podLabels = { ...p.podLabels, ...app.selectorLabels, 'app.kubernetes.io/instance': app.name };
  const podAnnotations = { ...p.podAnnotations, ...files?.podAnnotations };
  const template: k8s.PodTemplateSpec = {
    metadata: { labels: podLabels, annotations: Object.keys(podAnnotations).length > 0 ? podAnnotations : undefined },
    spec: {
      ...hardenedPodFields(app.security),
      hostNetwork: app.security.hostNetwork || undefined,
      dnsPolicy: app.security.hostNetwork ? 'ClusterFirstWithHostNet' : undefined,
      terminationGracePeriodSeconds: p.terminationGracePeriodSeconds ?? 30,
      ...renderPlacement({ nodeSelector: p.nodeSelector, tolerations: p.tolerations, archs: app.archs }, kind === 'DaemonSet' ? 1 : app.replicas, app.selectorLabels, p.spread),
      dnsConfig: renderDnsConfig(p.dnsConfig),
      initContainers: (p.initContainers ?? []).length > 0 ? p.initContainers!.map((c) => containers.extra(c)) : undefined,
      containers: [main, ...(p.sidecars ?? []).map((c) => containers.extra(c))],
      volumes: podVolumes.length > 0 ? podVolumes : undefined,
    },
  };
  renderController(app, {
    workload: p.workload,
    metadata: { name: app.name, namespace: app.namespace, labels: { ...podLabels, 'app.kubernetes.io/version': versionLabel(p.image.tag) }, annotations },
    template,
    selectorLabels: app.selectorLabels,
    replicas: app.replicas,
    singleNodeClaim: vols.singleNodeClaim,
    claimTemplates: vols.claimTemplates,
    stopped: app.replicas === 0,
  });
  if (!runsToCompletion(kind)) renderService(app, p, podLabels);
  if (!runsToCompletion(kind)) renderExtraServices(app, p, podLabels);
  if (kind === 'StatefulSet') renderHeadlessService(app, p, podLabels);
  if (wantsDisruptionBudget(p.workload, app.replicas)) {
    new k8s.KubePodDisruptionBudget(app, 'pdb', {
      metadata: { name: app.name, namespace: app.namespace },
      spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...app.selectorLabels } } },
    });
  }
}

/** A StatefulSet's governing Service: headless (no cluster IP), so each pod gets its own DNS name `<pod>.<app>-headless`. */
function renderHeadlessService(app: WorkloadApp, p: AppProps, podLabels: Record<string, string>): void {
  const ports = allPodPorts(p);
  new k8s.KubeService(app, 'headless', {
    metadata: { name: headlessServiceName(app.name), namespace: app.namespace, labels: podLabels },
    spec: {
      clusterIp: 'None',
      selector: { ...app.selectorLabels },
      ports: ports.length > 0 ? ports.map((port) => ({ name: port.name, port: port.port, targetPort: k8s.IntOrString.fromString(port.name), protocol: port.protocol ?? 'TCP' })) : undefined,
    },
  });
}

/** The ClusterIP Service of the pod's published ports (none when no port is published). */
function renderService(app: WorkloadApp, p: AppProps, podLabels: Record<string, string>): void {
  const servicePorts = allPodPorts(p).filter((port) => port.service ?? true);
  if (servicePorts.length === 0) return;
  new k8s.KubeService(app, 'service', {
    metadata: { name: app.name, namespace: app.namespace, labels: podLabels },
    spec: {
      type: 'ClusterIP',
      selector: { ...app.selectorLabels },
      ports: servicePorts.map((port) => ({ name: port.name, port: port.servicePort ?? port.port, targetPort: k8s.IntOrString.fromString(port.name), protocol: port.protocol ?? 'TCP', appProtocol: port.appProtocol })),
    },
  });
}

/** The containers of the pod: the main one and, sharing its variables and mounts, the extra ones. */
class ContainerRenderer {
  private readonly containerSecurity: k8s.SecurityContext;

  constructor(
    private readonly app: WorkloadApp,
    private readonly input: WorkloadInput,
    private readonly mainEnv: [string, EnvValue][],
    private readonly mounts: k8s.VolumeMount[],
  ) {
    this.containerSecurity = hardenedContainerSecurityContext(app.security);
  }

  public main(): k8s.Container {
    const p = this.input.props;
    return {
      name: this.app.name,
      image: imageName(p.image),
      imagePullPolicy: 'IfNotPresent',
      command: p.command ? [...p.command] : undefined,
      args: p.args ? [...p.args] : undefined,
      env: this.mainEnv.length > 0 ? renderEnv(this.mainEnv, this.input.storeSecrets) : undefined,
      envFrom: renderEnvFrom(p.envFrom),
      // On the host network every container port is a host port (the API server would default it):
      // written out, so the host-port clash check sees it.
      ports: (p.ports ?? []).map((port) => this.containerPort(port)),
      resources: renderResources(p.resources, DEFAULT_RESOURCES),
      securityContext: this.containerSecurity,
      volumeMounts: this.mounts.length > 0 ? this.mounts : undefined,
      ...renderProbes(resolveProbes(p.probes, derivedProbe(p, this.input.routePortName)), p.ports?.[0]?.name),
    };
  }

  public extra(c: ExtraContainer): k8s.Container {
    const env = mergeEnv([...((c.inheritEnv ?? true) ? this.mainEnv : []), ...Object.entries(c.env ?? {})]);
    const own = c.volumes ? this.mounts.filter((m) => c.volumes!.includes(m.name)) : this.mounts;
    const devices = this.input.deviceVolumes ?? [];
    const opensNoDevice = devices.length > 0 && !own.some((m) => devices.includes(m.name));
    const securityContext = opensNoDevice ? hardenedContainerSecurityContext({ ...this.app.security, privileged: false }) : this.containerSecurity;
    return {
      name: c.name,
      image: imageName(c.image ?? this.input.props.image),
      imagePullPolicy: 'IfNotPresent',
      command: c.command ? [...c.command] : undefined,
      args: c.args ? [...c.args] : undefined,
      env: env.length > 0 ? renderEnv(env, this.input.storeSecrets) : undefined,
      envFrom: renderEnvFrom(c.envFrom),
      ports: (c.ports ?? []).length > 0 ? c.ports!.map((port) => this.containerPort(port)) : undefined,
      resources: renderResources(c.resources, SIDECAR_RESOURCES),
      securityContext,
      volumeMounts: own.length > 0 ? own : undefined,
      ...renderProbes(resolveProbes(c.probes, undefined), c.ports?.[0]?.name),
      restartPolicy: c.restartPolicy,
    };
  }

  private containerPort(port: AppPort): k8s.ContainerPort {
    return { name: port.name, containerPort: port.port, hostPort: this.app.security.hostNetwork ? port.port : undefined, protocol: port.protocol ?? 'TCP' };
  }
}

/** Drops repeated names: a later value replaces an earlier one in its place (so `$(NAME)` order holds). */
function mergeEnv(entries: readonly (readonly [string, EnvValue])[]): [string, EnvValue][] {
  const merged = new Map<string, EnvValue>();
  for (const [name, value] of entries) merged.set(name, value);
  return [...merged.entries()];
}

function renderEnvFrom(sources: readonly EnvSource[] | undefined): k8s.EnvFromSource[] | undefined {
  if (!sources || sources.length === 0) return undefined;
  return sources.map((s) => ('secret' in s
    ? { prefix: s.prefix, secretRef: { name: s.secret, optional: s.optional } }
    : { prefix: s.prefix, configMapRef: { name: s.configMap, optional: s.optional } }));
}

function renderDnsConfig(dns: AppProps['dnsConfig']): k8s.PodDnsConfig | undefined {
  if (!dns) return undefined;
  return {
    nameservers: dns.nameservers?.length ? [...dns.nameservers] : undefined,
    searches: dns.searches?.length ? [...dns.searches] : undefined,
    options: dns.options?.length ? dns.options.map((o) => ({ ...o })) : undefined,
  };
}

/** A label value from an image tag (labels allow 63 characters of [A-Za-z0-9._-]). */
function versionLabel(tag: string): string {
  return tag.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '') || 'unknown';
}
