import { IConstruct } from 'constructs';
import { k8s } from 'cdk8s-plus-28';
import { Diagnostics } from '../estate/diagnostics.js';
import type { AppPort, AppProps, ProbeSpec, Probes } from './app-props.js';

/**
 * Probes of a container: each of startup, liveness and readiness on its own, with one handler
 * each (HTTP GET, TCP connect, gRPC health or a command). The main container derives a handler
 * when it is given none (HTTP on `healthCheck`, else TCP on its first port); a sidecar has only the
 * probes it is given. Checked here against the rules the API server and the kubelet apply late.
 */

/** The three probe kinds, in the order the kubelet runs them. */
export const PROBE_KINDS = ['startup', 'liveness', 'readiness'] as const;
export type ProbeKind = (typeof PROBE_KINDS)[number];

const HANDLERS = ['http', 'tcp', 'grpc', 'exec'] as const;

/** The handlers a probe names (more than one is a problem, none takes the derived one). */
export function probeHandlers(spec: ProbeSpec): (typeof HANDLERS)[number][] {
  return HANDLERS.filter((h) => spec[h] !== undefined);
}

/** The main container's derived handler: HTTP GET on the health check, else TCP on its first port. */
export function derivedProbe(p: AppProps, routePortName: string | undefined): ProbeSpec | undefined {
  const own = (p.ports ?? []).map((x) => x.name);
  if (p.healthCheck) return { http: { path: p.healthCheck.path, port: p.healthCheck.port ?? (routePortName && own.includes(routePortName) ? routePortName : own[0]) } };
  return own[0] ? { tcp: { port: own[0] } } : undefined;
}

/**
 * The probe of `kind` as given, completed: `false` switches it off; a spec without a handler keeps
 * `base`'s handler with its own timings (`probes: { startup: { failureThreshold: 60 } }` gives a
 * slow image ten minutes on the derived handler); no spec at all is `base` itself.
 */
export function effectiveProbe(given: ProbeSpec | false | undefined, base: ProbeSpec | undefined): ProbeSpec | undefined {
  if (given === false) return undefined;
  if (!given) return base;
  if (probeHandlers(given).length > 0 || !base) return given;
  const { http, tcp, grpc, exec } = base;
  return { http, tcp, grpc, exec, ...given };
}

/**
 * One probe as the pod spec writes it, every default explicit. Defaults are the Kubernetes API's
 * (period 10 s, failure threshold 3, success threshold 1) except the timeout, 3 s rather than 1 s
 * (a homelab node under load answers slower), and the startup probe's failure threshold, 30
 * (five minutes to start before liveness takes over).
 */
export function renderProbe(spec: ProbeSpec, kind: ProbeKind, defaultPort: string | undefined): k8s.Probe {
  const port = (name: string | undefined): k8s.IntOrString => k8s.IntOrString.fromString(name ?? defaultPort ?? 'http');
  const [handler] = probeHandlers(spec);
  return {
    httpGet: handler === 'http' && spec.http
      ? {
        path: spec.http.path,
        port: port(spec.http.port),
        scheme: spec.http.scheme ?? 'HTTP',
        httpHeaders: spec.http.headers ? Object.entries(spec.http.headers).map(([name, value]) => ({ name, value })) : undefined,
      }
      : undefined,
    tcpSocket: handler === 'tcp' && spec.tcp ? { port: port(spec.tcp.port) } : undefined,
    // gRPC probes take a port number, not a name (core/v1 GRPCAction.port is an int32).
    grpc: handler === 'grpc' && spec.grpc ? { port: spec.grpc.port, service: spec.grpc.service } : undefined,
    exec: handler === 'exec' && spec.exec ? { command: [...spec.exec] } : undefined,
    initialDelaySeconds: spec.initialDelaySeconds ?? 0,
    periodSeconds: spec.periodSeconds ?? 10,
    timeoutSeconds: spec.timeoutSeconds ?? 3,
    failureThreshold: spec.failureThreshold ?? (kind === 'startup' ? 30 : 3),
    ...(spec.successThreshold !== undefined ? { successThreshold: spec.successThreshold } : {}),
  };
}

/** The rendered startup, liveness and readiness probes of a container (absent ones left out); a port left out is `defaultPort`, the container's first. */
export function renderProbes(probes: Partial<Record<ProbeKind, ProbeSpec | undefined>>, defaultPort: string | undefined): Pick<k8s.Container, 'livenessProbe' | 'readinessProbe' | 'startupProbe'> {
  const r = (kind: ProbeKind) => (probes[kind] ? renderProbe(probes[kind]!, kind, defaultPort) : undefined);
  return { livenessProbe: r('liveness'), readinessProbe: r('readiness'), startupProbe: r('startup') };
}

/** The probes of `given` completed with `base` (the main container's derived handler; none for a sidecar). */
export function resolveProbes(given: Probes | undefined, base: ProbeSpec | undefined): Record<ProbeKind, ProbeSpec | undefined> {
  return {
    startup: effectiveProbe(given?.startup, base),
    liveness: effectiveProbe(given?.liveness, base),
    readiness: effectiveProbe(given?.readiness, base),
  };
}

/**
 * Checks the probes of one container (`at` is the field prefix: `probes` or `containers.<name>.probes`):
 * one handler each, numbers within the API server's bounds, success threshold 1 except on readiness,
 * HTTP paths absolute, commands not empty, and ports the container itself declares — the kubelet
 * resolves a probe's named port among the container's own ports, not the pod's.
 */
export function checkProbes(scope: IConstruct, at: string, probes: Probes | undefined, ports: readonly AppPort[], base: ProbeSpec | undefined): void {
  const d = Diagnostics.of(scope);
  for (const kind of PROBE_KINDS) {
    const given = probes?.[kind];
    if (!given) continue;
    const field = `${at}.${kind}`;
    checkBounds(d, scope, field, given);
    const handlers = probeHandlers(given);
    if (handlers.length > 1) d.error(scope, field, `the ${kind} probe names ${handlers.join(' and ')}; a probe has exactly one handler`, `keep one of ${handlers.map((h) => `'${h}'`).join(', ')}`);
    if (handlers.length === 0 && !base) d.error(scope, field, `the ${kind} probe names no handler, and this container has no derived one`, "give one: http: { path: '/healthz', port: '…' }, tcp: { port: '…' }, grpc: { port: … } or exec: ['cmd', …]");
    if (given.successThreshold !== undefined && given.successThreshold !== 1 && kind !== 'readiness') {
      d.error(scope, `${field}.successThreshold`, `the ${kind} probe's successThreshold must be 1 (the API server refuses any other value outside readiness)`, 'drop it, or set it on the readiness probe');
    }
    const spec = effectiveProbe(given, base);
    if (spec) checkHandler(d, scope, field, spec, ports);
  }
}

function checkBounds(d: Diagnostics, scope: IConstruct, field: string, probe: ProbeSpec): void {
  const bounds: [keyof ProbeSpec, number][] = [['periodSeconds', 1], ['timeoutSeconds', 1], ['failureThreshold', 1], ['successThreshold', 1], ['initialDelaySeconds', 0]];
  for (const [key, min] of bounds) {
    const v = probe[key] as number | undefined;
    if (v !== undefined && (!Number.isInteger(v) || v < min)) d.error(scope, `${field}.${key}`, `${key} ${v} is out of range`, `use a whole number ≥ ${min}`);
  }
}

/** The handler's own rules: an absolute path, a command, a TCP port of this container. */
function checkHandler(d: Diagnostics, scope: IConstruct, field: string, spec: ProbeSpec, ports: readonly AppPort[]): void {
  if (spec.http && !spec.http.path?.startsWith('/')) d.error(scope, `${field}.http.path`, `probe path '${spec.http.path}' does not start with '/'`, `write it as '/${spec.http.path ?? ''}'`);
  if (spec.exec && spec.exec.length === 0) d.error(scope, `${field}.exec`, 'the probe command is empty', "give the command and its arguments, e.g. ['pg_isready', '-q']");
  if (spec.grpc && (!Number.isInteger(spec.grpc.port) || spec.grpc.port < 1 || spec.grpc.port > 65535)) {
    d.error(scope, `${field}.grpc.port`, `gRPC probe port ${spec.grpc.port} is not a port number (gRPC probes take a number, not a port name)`, 'use the number the gRPC health service listens on, 1–65535');
  }
  const named = spec.http ? ['http', spec.http.port] as const : spec.tcp ? ['tcp', spec.tcp.port] as const : undefined;
  if (!named) return;
  const [handler, name] = named;
  const port = ports.find((x) => x.name === (name ?? ports[0]?.name));
  if (!port) {
    d.error(scope, `${field}.${handler}.port`, `the probe uses port '${name ?? '(first)'}', which this container does not declare (the kubelet looks a named port up among the container's own ports)`, `use one of: ${ports.map((x) => x.name).join(', ') || '(none: declare the port on this container, or probe with exec)'}`);
  } else if ((port.protocol ?? 'TCP') === 'UDP') {
    d.error(scope, `${field}.${handler}.port`, `the probe connects over TCP to port '${port.name}', which is UDP`, 'probe a TCP port, or use an exec probe');
  }
}
