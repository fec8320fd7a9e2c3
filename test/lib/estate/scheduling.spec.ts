import type { NodeSpec } from '../../../src/lib/estate/node.js';
import {
  admitsPod, archsAdmitted, eligibleNodes, nodeArchs, nodeLabels, renderPlacement, renderToleration, repellingTaint, toleratesTaint,
} from '../../../src/lib/estate/scheduling.js';

const PHONE = { key: 'homelab/phone', value: 'yes', effect: 'NoSchedule' } as const;
const amd: NodeSpec = { name: 'n100', role: 'worker', cpu: 4, memory: '16Gi', labels: { disk: 'ssd', 'kubernetes.io/hostname': 'spoofed' } };
const phone: NodeSpec = { name: 'phone-1', role: 'worker', cpu: 8, memory: '8Gi', arch: 'arm64', taints: [PHONE] };
const soft: NodeSpec = { name: 'pi', role: 'worker', cpu: 4, memory: '4Gi', arch: 'arm64', taints: [{ key: 'slow', effect: 'PreferNoSchedule' }] };

describe('scheduling', () => {
  test('node labels: kubelet labels win over the node\'s own', () => {
    expect(nodeLabels(amd)).toEqual({ disk: 'ssd', 'kubernetes.io/hostname': 'n100', 'kubernetes.io/arch': 'amd64', 'kubernetes.io/os': 'linux' });
  });

  test.each([
    [{ key: 'homelab/phone' }, true],
    [{ key: 'homelab/phone', value: 'yes' }, true],
    [{ key: 'homelab/phone', value: 'no' }, false],
    [{ key: 'homelab/phone', operator: 'Exists', effect: 'NoExecute' }, false],
    [{ key: 'other', operator: 'Exists' }, false],
    [{ key: '', operator: 'Exists' }, false],
  ] as const)('toleration %j of the phone taint: %s', (t, expected) => {
    expect(toleratesTaint(t, PHONE)).toBe(expected);
  });

  test('PreferNoSchedule never repels; an untolerated NoSchedule does', () => {
    expect(repellingTaint(soft.taints!, [])).toBeUndefined();
    expect(repellingTaint(phone.taints!, [])).toEqual(PHONE);
    expect(repellingTaint(phone.taints!, [{ key: 'homelab/phone' }])).toBeUndefined();
  });

  test('eligible nodes by selector and taints; architecture apart', () => {
    const nodes = [amd, phone, soft];
    expect(eligibleNodes(nodes, {}).map((n) => n.name)).toEqual(['n100', 'pi']);
    expect(eligibleNodes(nodes, { nodeSelector: { disk: 'ssd' } }).map((n) => n.name)).toEqual(['n100']);
    expect(admitsPod(phone, { tolerations: [{ key: 'homelab/phone', operator: 'Exists' }] })).toBe(true);
    expect(nodeArchs(nodes)).toEqual(['amd64', 'arm64']);
    expect(archsAdmitted([amd], { archs: ['arm64'] })).toBe(false);
    expect(archsAdmitted([amd, soft], { archs: ['arm64'] })).toBe(true);
    expect(archsAdmitted([amd], {})).toBe(true);
  });

  test('rendered placement: operator explicit, empty fields left out, anti-affinity from 2 replicas', () => {
    expect(renderToleration({ key: 'a', value: 'b' })).toEqual({ key: 'a', operator: 'Equal', value: 'b', effect: undefined });
    const one = renderPlacement({ archs: ['amd64'] }, 1, { app: 'x' }, undefined);
    expect(one.nodeSelector).toBeUndefined();
    expect(one.tolerations).toBeUndefined();
    expect(one.topologySpreadConstraints).toBeUndefined();
    expect(one.affinity?.podAntiAffinity).toBeUndefined();
    expect(one.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms).toEqual([{ matchExpressions: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['amd64'] }] }]);
    const two = renderPlacement({ archs: ['amd64'], nodeSelector: { disk: 'ssd' } }, 2, { app: 'x' }, {});
    expect(two.nodeSelector).toEqual({ disk: 'ssd' });
    expect(two.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.[0].weight).toBe(100);
    expect(two.topologySpreadConstraints).toEqual([{ maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { app: 'x' } } }]);
  });
});
