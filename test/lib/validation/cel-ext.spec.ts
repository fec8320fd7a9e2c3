import { compileRule } from '../../../src/lib/validation/cel-compile.js';
import { isKubernetesIP } from '../../../src/lib/validation/cel-ext.js';

/** Evaluates a rule with the given self. */
const run = (rule: string, self: unknown): unknown => {
  const c = compileRule(rule);
  if (c.kind !== 'program') throw new Error(`${rule}: ${c.kind}`);
  return c.program(self);
};

describe('Kubernetes CEL extension functions', () => {
  test('isIP: IPv4 and IPv6 addresses as Kubernetes parses them', () => {
    for (const ok of ['192.168.1.10', '0.0.0.0', '::1', '2001:db8::1', 'fe80::1']) expect(isKubernetesIP(ok)).toBe(true);
    for (const bad of ['192.168.1', '192.168.01.1', '256.1.1.1', 'fe80::1%eth0', '::ffff:1.2.3.4', '0:0:0:0:0:ffff:102:304', 'app.example.org', '*.example.org', '']) {
      expect(isKubernetesIP(bad)).toBe(false);
    }
    expect(run('self.all(h, !isIP(h))', ['app.example.org', '*.example.org'])).toBe(true);
    expect(run('self.all(h, !isIP(h))', ['app.example.org', '10.0.0.1'])).toBe(false);
  });

  test('the strings extension the rules use (split, substring) is bound', () => {
    expect(run("self.split('/')[0].size() < 5", 'abcd/efghij')).toBe(true);
    expect(run("self.substring(2) == 'cd'", 'abcd')).toBe(true);
  });

  test('matches() is RE2: the inline (?i) flag that Gateway API GRPCRoute rules use works', () => {
    expect(run(String.raw`self.matches(r"""^(?i)\.?[a-z_][a-z_0-9]*$""")`, 'MyService')).toBe(true);
    expect(run(String.raw`self.matches(r"""^(?i)\.?[a-z_][a-z_0-9]*$""")`, 'my-service')).toBe(false);
  });
});
