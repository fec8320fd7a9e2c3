import { App, AppProps } from '../../../src/lib/apps/app.js';
import { HomelabCluster } from '../../../src/lib/estate/cluster.js';
import { withPlatform } from './fakes.js';
import { mountsOf, problemAt, problems, synth } from './harness.js';

const IMAGE = { repository: 'ghcr.io/example/web', tag: '1.2.3' };
const app = (c: HomelabCluster, props: Partial<AppProps> = {}) => new App(c, 'web', { image: IMAGE, ports: [{ name: 'http', port: 8080 }], ...props });
const HARDENED_POD = { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534, fsGroup: 65534, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } };

describe('App workload kinds: one hardened pod template, the controller around it', () => {
  test('Deployment by default, as before', () => {
    const s = synth((c) => app(c));
    expect(s.get('Deployment', 'web').spec.template.spec.securityContext).toEqual(HARDENED_POD);
    expect(s.find('StatefulSet', 'web')).toBeUndefined();
  });

  describe('StatefulSet', () => {
    const s = synth((c) => {
      withPlatform(c);
      app(c, { workload: 'StatefulSet', replicas: 3, persistence: { data: { type: 'claim', size: '5Gi', mountPath: '/data' } } });
    });
    const sts = s.get('StatefulSet', 'web', 'web');

    test('hardened template, headless governing Service, claims as templates kept on delete/scale', () => {
      expect(sts.spec).toMatchObject({
        serviceName: 'web-headless', replicas: 3, podManagementPolicy: 'OrderedReady', updateStrategy: { type: 'RollingUpdate' },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' }, selector: { matchLabels: { 'app.kubernetes.io/name': 'web' } },
      });
      expect(sts.spec.volumeClaimTemplates).toEqual([{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } }]);
      expect(sts.spec.template.spec.securityContext).toEqual(HARDENED_POD);
      expect(mountsOf(sts.spec.template.spec.containers[0])['/data']).toBe('data');
      // The claim template is not also a pod volume or a PVC of its own.
      expect(sts.spec.template.spec.volumes.map((v: any) => v.name)).toEqual(['tmp']);
      expect(s.find('PersistentVolumeClaim', 'web-data')).toBeUndefined();
      expect(s.get('Service', 'web-headless', 'web').spec).toEqual({
        clusterIP: 'None', selector: { 'app.kubernetes.io/name': 'web' }, ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }],
      });
      expect(s.get('Service', 'web', 'web').spec.type).toBe('ClusterIP');
    });

    test('three replicas with a claim each are fine; a disruption budget keeps two up', () => {
      expect(s.get('PodDisruptionBudget', 'web').spec.maxUnavailable).toBe(1);
      // The claim templates' StorageClass is still a dependency.
      expect(s.dependsOn('web')).toEqual(['storage']);
    });
  });

  test('DaemonSet: a pod per node, no replicas, no PodDisruptionBudget, counted per node', () => {
    const s = synth((c) => app(c, { workload: 'DaemonSet', tolerations: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] }));
    const ds = s.get('DaemonSet', 'web', 'web');
    expect(ds.spec).toMatchObject({ revisionHistoryLimit: 3, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } } });
    expect(ds.spec).not.toHaveProperty('replicas');
    expect(ds.spec.template.spec.securityContext).toEqual(HARDENED_POD);
    expect(ds.spec.template.spec.affinity.podAntiAffinity).toBeUndefined();
    expect(s.find('PodDisruptionBudget', 'web')).toBeUndefined();
    expect(s.cluster.component('web')!.workloads[0].perNode).toBe(true);
  });

  test('CronJob: schedule, Forbid by default, history limits, a Job template with restartPolicy Never; no Service', () => {
    const s = synth((c) => app(c, { ports: [], workload: { kind: 'CronJob', schedule: '30 3 * * *', timeZone: 'Europe/Berlin' } }));
    const cj = s.get('CronJob', 'web', 'web');
    expect(cj.spec).toMatchObject({ schedule: '30 3 * * *', timeZone: 'Europe/Berlin', concurrencyPolicy: 'Forbid', successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1 });
    expect(cj.spec).not.toHaveProperty('suspend');
    const job = cj.spec.jobTemplate.spec;
    expect(job.backoffLimit).toBe(6);
    expect(job.template.spec.restartPolicy).toBe('Never');
    expect(job.template.spec.securityContext).toEqual(HARDENED_POD);
    expect(job.template.spec.containers[0].securityContext).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(s.find('Service', 'web')).toBeUndefined();
  });

  test('a heavy CronJob or Job is suspended in gaming mode', () => {
    const s = synth((c) => app(c, { ports: [], heavy: true, workload: { kind: 'CronJob', schedule: '@daily' } }), { scaleDown: { name: 'gaming mode', active: true } });
    expect(s.get('CronJob', 'web').spec.suspend).toBe(true);
    const job = synth((c) => app(c, { ports: [], heavy: true, workload: { kind: 'Job' } }), { scaleDown: { name: 'gaming mode', active: true } });
    expect(job.get('Job', 'web').spec.suspend).toBe(true);
  });

  test('Job: run once, recreated by Flux when it changes (force), OnFailure when asked', () => {
    const s = synth((c) => app(c, { ports: [], workload: { kind: 'Job', restartPolicy: 'OnFailure', backoffLimit: 2 } }));
    const job = s.get('Job', 'web', 'web');
    expect(job.metadata.annotations['kustomize.toolkit.fluxcd.io/force']).toBe('enabled');
    expect(job.spec).toMatchObject({ backoffLimit: 2, template: { spec: { restartPolicy: 'OnFailure' } } });
    expect(job.spec).not.toHaveProperty('ttlSecondsAfterFinished');
  });

  test('what a kind cannot do is a problem on the field', () => {
    const cron = { kind: 'CronJob' as const, schedule: '0 4 * * *' };
    problemAt(problems((c) => app(c, { workload: { kind: 'CronJob', schedule: '61 * * * *' } })), 'workload.schedule', 'is not a cron expression');
    problemAt(problems((c) => app(c, { workload: { ...cron, timeZone: 'Berlin time' } })), 'workload.timeZone', 'is not an IANA time zone name');
    problemAt(problems((c) => { withPlatform(c); app(c, { workload: cron, expose: 'internal' }); }), 'expose', 'nothing can be routed to them');
    problemAt(problems((c) => app(c, { workload: cron, sidecars: [{ name: 'log' }] })), 'sidecars', 'the Job never completes');
    problemAt(problems((c) => app(c, { workload: 'DaemonSet', replicas: 2 })), 'replicas', 'a DaemonSet has no replica count');
    problemAt(problems((c) => { withPlatform(c); app(c, { workload: 'DaemonSet', persistence: { data: { type: 'claim', size: '1Gi', mountPath: '/data' } } }); }), 'persistence.data', 'can be attached to one node only');
    problemAt(problems((c) => app(c, { workload: { kind: 'Job', backoffLimit: -1 } })), 'workload.backoffLimit', 'out of range');
    problemAt(problems((c) => app(c, { workload: 'ReplicaSet' as any })), 'workload', '');
  });
});
