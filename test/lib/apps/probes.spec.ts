import { App, AppProps } from '../../../src/lib/apps/app.js';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { mainContainer, problemAt, problems, synth } from './harness.js';

const IMAGE = { repository: 'ghcr.io/example/web', tag: '1.2.3' };
const web = (c: HomelabCluster, props: Partial<AppProps> = {}) =>
  new App(c, 'web', { image: IMAGE, ports: [{ name: 'http', port: 8080 }, { name: 'grpc', port: 9090 }], ...props });
const container = (props: Partial<AppProps>) => mainContainer(synth((c) => web(c, props)).get('Deployment', 'web'));
const TIMINGS = { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 3 };

describe('App probes: http, tcp, grpc, exec; startup, liveness and readiness each on its own', () => {
  test('each kind takes its own handler; the others keep the derived one', () => {
    const main = container({
      healthCheck: { path: '/healthz' },
      probes: {
        startup: { exec: ['/bin/check', '--started'], failureThreshold: 60 },
        readiness: { grpc: { port: 9090, service: 'ready' }, successThreshold: 2 },
      },
    });
    expect(main.startupProbe).toEqual({ exec: { command: ['/bin/check', '--started'] }, ...TIMINGS, failureThreshold: 60 });
    expect(main.readinessProbe).toEqual({ grpc: { port: 9090, service: 'ready' }, ...TIMINGS, failureThreshold: 3, successThreshold: 2 });
    // Liveness was not given: the derived HTTP handler on the route port.
    expect(main.livenessProbe).toEqual({ httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' }, ...TIMINGS, failureThreshold: 3 });
  });

  test('a probe with timings only keeps the derived handler; false switches one kind off', () => {
    const main = container({ probes: { startup: { failureThreshold: 90, periodSeconds: 5 }, readiness: false } });
    expect(main.startupProbe).toEqual({ tcpSocket: { port: 'http' }, initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 90 });
    expect(main).not.toHaveProperty('readinessProbe');
    expect(main.livenessProbe.tcpSocket).toEqual({ port: 'http' });
  });

  test('a TCP probe on a named port, an HTTPS probe with headers', () => {
    const main = container({ probes: { liveness: { tcp: { port: 'grpc' } }, readiness: { http: { path: '/ready', port: 'http', scheme: 'HTTPS', headers: { Host: 'web.lan' } } } } });
    expect(main.livenessProbe.tcpSocket).toEqual({ port: 'grpc' });
    expect(main.readinessProbe.httpGet).toEqual({ path: '/ready', port: 'http', scheme: 'HTTPS', httpHeaders: [{ name: 'Host', value: 'web.lan' }] });
  });

  test('sidecars: only the probes given, every handler, on their own ports', () => {
    const s = synth((c) => web(c, {
      sidecars: [{
        name: 'exporter', image: { repository: 'ghcr.io/example/exporter', tag: '1.0.0' }, ports: [{ name: 'metrics', port: 9100 }],
        probes: { startup: { tcp: {} }, liveness: { exec: ['true'] } },
      }],
    }));
    const side = s.get('Deployment', 'web').spec.template.spec.containers[1];
    expect(side.startupProbe).toEqual({ tcpSocket: { port: 'metrics' }, ...TIMINGS, failureThreshold: 30 });
    expect(side.livenessProbe).toEqual({ exec: { command: ['true'] }, ...TIMINGS, failureThreshold: 3 });
    expect(side).not.toHaveProperty('readinessProbe');
  });

  test('mistakes the API server or the kubelet would find late are problems on the probe', () => {
    problemAt(problems((c) => web(c, { probes: { liveness: { http: { path: '/' }, tcp: { port: 'http' } } } })), 'probes.liveness', 'names http and tcp; a probe has exactly one handler');
    problemAt(problems((c) => web(c, { probes: { liveness: { exec: ['true'], successThreshold: 2 } } })), 'probes.liveness.successThreshold', 'must be 1');
    problemAt(problems((c) => web(c, { probes: { startup: { exec: [] } } })), 'probes.startup.exec', 'the probe command is empty');
    problemAt(problems((c) => web(c, { probes: { readiness: { grpc: { port: 0 } } } })), 'probes.readiness.grpc.port', 'is not a port number');
    problemAt(problems((c) => web(c, { ports: [{ name: 'dns', port: 53, protocol: 'UDP' }], probes: { liveness: { tcp: { port: 'dns' } } } })), 'probes.liveness.tcp.port', 'which is UDP');
    const sidecar = { name: 'exporter', ports: [{ name: 'metrics', port: 9100 }] };
    // The kubelet resolves a named port among the probed container's own ports.
    problemAt(problems((c) => web(c, { sidecars: [sidecar], probes: { liveness: { http: { path: '/', port: 'metrics' } } } })), 'probes.liveness.http.port', "port 'metrics', which this container does not declare");
    problemAt(problems((c) => web(c, { sidecars: [{ ...sidecar, probes: { readiness: { periodSeconds: 5 } } }] })), 'containers.exporter.probes.readiness', 'names no handler');
  });
});
