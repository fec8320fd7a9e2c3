import { cronProblem } from '../../../src/lib/estate/cron.js';

describe('cron expressions', () => {
  test.each([
    ['0 3 * * *', 5], ['*/15 0-6,22-23 * * MON-FRI', 5], ['0 0 1 JAN,jul ?', 5], ['30 2 * * 0', 5], ['0 0 * * 7', 5],
    ['0 0 3 * * *', 6], ['0 30 2 * * 0', 6], ['*/10 * * * * *', 6], ['@daily', 5], ['@every 1h', 6],
  ] as const)('%s (%d fields) is accepted', (expr, n) => {
    expect(cronProblem(expr, n)).toBeUndefined();
  });

  test.each([
    ['0 3 * *', 5, 'it has 4 fields, not 5'],
    ['0 3 * * *', 6, 'it has 5 fields, not 6'],
    ['0 0 25 * * *', 6, "its hours field '25' is outside 0–23"],
    ['60 * * * *', 5, "its minutes field '60' is outside 0–59"],
    ['0 0 0 * *', 5, "its day of month field '0' is outside 1–31"],
    ['0 0 * 13 *', 5, "its month field '13' is outside 1–12 (or JAN–DEC)"],
    ['0 0 * * FUN', 5, "its day of week field 'FUN' is outside 0–7 (or SUN–SAT)"],
    ['*/0 * * * *', 5, "its minutes field '*/0' has a bad step in '*/0'"],
    ['0 9-5 * * *', 5, "its hours field '9-5' has a range '9-5' that runs backwards"],
    ['0 ? * * *', 5, "its hours field '?' is outside 0–23"],
  ] as const)('%s (%d fields): %s', (expr, n, problem) => {
    expect(cronProblem(expr, n)).toBe(problem);
  });
});
