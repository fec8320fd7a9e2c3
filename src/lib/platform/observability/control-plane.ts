import { HomelabCluster } from '../../estate/cluster.js';
import { crdGroup } from '../../estate/capabilities.js';
import { componentNodeRequirements, nodeRequirements } from '../../estate/node-requirements.js';

/** Metrics ports of the control-plane components (Kubernetes ≥ 1.22 defaults). */
export const CONTROL_PLANE_METRICS_PORTS = { controllerManager: 10257, scheduler: 10259, etcd: 2381, kubeProxy: 10249 } as const;

/** How kube-prometheus-stack scrapes the control plane, and why. */
export interface ControlPlaneScrape {
  /** `kubeControllerManager`, `kubeScheduler`, `kubeEtcd`, `kubeProxy` chart values. */
  readonly values: Record<string, unknown>;
  /** One line per component that is not scraped, saying why (printed as a warning when it is a gap). */
  readonly notes: readonly string[];
  /** Whether every control-plane component (etcd included) is scraped. */
  readonly scraped: boolean;
}

/**
 * True when kube-proxy does not run: a component asked the OS config to disable it (Cilium's
 * kube-proxy replacement), or the cluster runs Cilium, which replaces it unless told otherwise.
 */
export function replacesKubeProxy(cluster: HomelabCluster): boolean {
  return nodeRequirements(cluster).disableKubeProxy || cluster.components.some((c) => c.provides.has(crdGroup('cilium.io')) && componentNodeRequirements(c).length === 0);
}

const disabled = { enabled: false };

/**
 * Control-plane scrape settings per distribution:
 * - Talos runs controller-manager and scheduler as static pods labelled `k8s-app: <component>`
 *   (the chart's Services select kubeadm's `component:` label, so the selector is set), and etcd
 *   as a host service reached on the control-plane node IPs. Talos binds all their metrics to
 *   localhost: the machine config must bind them to 0.0.0.0 ({@link talosMetricsPatch}). Without
 *   control-plane IPs in the model, etcd is not scraped (a warning says so).
 * - k3s embeds the control plane in one process and OKE manages it: not scraped.
 * - kube-proxy: scraped through its DaemonSet on Talos, except when Cilium replaces it.
 */
export function controlPlaneScrape(cluster: HomelabCluster): ControlPlaneScrape {
  const notes: string[] = [];
  const kubeProxy = cluster.distribution === 'talos' && !replacesKubeProxy(cluster)
    ? { enabled: true, service: { enabled: true, port: CONTROL_PLANE_METRICS_PORTS.kubeProxy, targetPort: CONTROL_PLANE_METRICS_PORTS.kubeProxy }, serviceMonitor: { enabled: true, https: false } }
    : disabled;
  if (cluster.distribution !== 'talos') {
    notes.push(cluster.distribution === 'oke'
      ? 'OKE manages the control plane: controller-manager, scheduler and etcd are not scraped'
      : 'k3s embeds the control plane in the server process: controller-manager, scheduler and etcd are not scraped');
    return { values: { kubeControllerManager: disabled, kubeScheduler: disabled, kubeEtcd: disabled, kubeProxy }, notes, scraped: false };
  }
  const staticPod = (app: string, port: number) => ({
    enabled: true,
    service: { enabled: true, port, targetPort: port, selector: { 'k8s-app': app } },
    // The components serve their metrics over HTTPS with a self-signed certificate.
    serviceMonitor: { enabled: true, https: true, insecureSkipVerify: true },
  });
  const ips = cluster.controlPlaneNodes.map((n) => n.ip);
  const known = ips.length > 0 && ips.every((ip) => ip !== undefined);
  if (!known) notes.push('etcd metrics are not scraped because the control-plane nodes have no ip in the model (Talos runs etcd outside Kubernetes); set nodes[].ip to scrape them');
  const kubeEtcd = known
    ? {
      enabled: true,
      endpoints: ips as string[],
      service: { enabled: true, port: CONTROL_PLANE_METRICS_PORTS.etcd, targetPort: CONTROL_PLANE_METRICS_PORTS.etcd },
      serviceMonitor: { enabled: true, scheme: 'http' },
    }
    : disabled;
  return {
    values: {
      kubeControllerManager: staticPod('kube-controller-manager', CONTROL_PLANE_METRICS_PORTS.controllerManager),
      kubeScheduler: staticPod('kube-scheduler', CONTROL_PLANE_METRICS_PORTS.scheduler),
      kubeEtcd,
      kubeProxy,
    },
    notes,
    scraped: known,
  };
}

/**
 * The Talos machine-config patch (for control-plane nodes) that makes the control plane
 * scrapeable: controller-manager and scheduler listen on all addresses (their metrics stay behind
 * authentication), etcd serves plain-HTTP metrics on 2381, kube-proxy (when it runs) on 10249.
 * KubePrometheusStack registers it as a node requirement (so the Talos config carries it); the
 * control-plane settings are ignored on workers. `undefined` when the cluster is not Talos.
 */
export function talosMetricsPatch(cluster: HomelabCluster): Record<string, unknown> | undefined {
  if (cluster.distribution !== 'talos') return undefined;
  const patch: Record<string, unknown> = {
    controllerManager: { extraArgs: { 'bind-address': '0.0.0.0' } },
    scheduler: { extraArgs: { 'bind-address': '0.0.0.0' } },
    etcd: { extraArgs: { 'listen-metrics-urls': `http://0.0.0.0:${CONTROL_PLANE_METRICS_PORTS.etcd}` } },
  };
  if (!replacesKubeProxy(cluster)) patch.proxy = { extraArgs: { 'metrics-bind-address': `0.0.0.0:${CONTROL_PLANE_METRICS_PORTS.kubeProxy}` } };
  return { cluster: patch };
}
