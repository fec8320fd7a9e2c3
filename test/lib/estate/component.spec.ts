import { Chart } from 'cdk8s';
import { Component } from '../../../src/lib/estate/component.js';
import { Ledger } from '../../../src/lib/model/ledger.js';
import { testCluster } from '../../helpers.js';

class Alpha extends Component {}
class Beta extends Component {}

describe('Component instanceof', () => {
  // cdk8s' Chart answers instanceof for any chart; Component restores the prototype-chain meaning.
  test('a plain cdk8s Chart is not a Component, a Component is still a Chart', () => {
    const { cluster } = testCluster();
    const plain = new Chart(cluster, 'plain');
    const alpha = new Alpha(cluster, { name: 'alpha', namespace: 'alpha' });
    expect(plain instanceof Component).toBe(false);
    expect(alpha instanceof Component).toBe(true);
    expect(alpha instanceof Chart).toBe(true);
  });

  test('one Component subclass is not another', () => {
    const { cluster } = testCluster();
    const alpha = new Alpha(cluster, { name: 'alpha', namespace: 'alpha' });
    expect(alpha instanceof Alpha).toBe(true);
    expect(alpha instanceof Beta).toBe(false);
  });

  test('Component.containing finds the nearest component above a construct', () => {
    const { cluster } = testCluster();
    const alpha = new Alpha(cluster, { name: 'alpha', namespace: 'alpha' });
    const inner = new Chart(alpha, 'inner');
    expect(Component.containing(inner)).toBe(alpha);
  });
});

describe('ledger of a cluster', () => {
  test('facts are per cluster: two clusters in one process never share them', () => {
    const a = testCluster({ name: 'a' }).cluster;
    const b = testCluster({ name: 'b' }).cluster;
    expect(a.ledger).toBeInstanceOf(Ledger);
    expect(a.ledger).not.toBe(b.ledger);
  });
});
