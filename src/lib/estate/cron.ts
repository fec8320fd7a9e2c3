/**
 * Cron expressions as the schedulers the library writes for read them: CloudNativePG's
 * ScheduledBackup (robfig/cron with a seconds field first: six fields) and Longhorn's RecurringJob
 * (standard five fields). A field is `*`, `?` (day fields), a value, a range `a-b`, any of those
 * with a step `/n`, or a comma list of them; values are checked against each field's range, month
 * and weekday names included.
 */

interface FieldRule {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly question?: boolean;
}

const SECOND: FieldRule = { name: 'seconds', min: 0, max: 59 };
const MINUTE: FieldRule = { name: 'minutes', min: 0, max: 59 };
const HOUR: FieldRule = { name: 'hours', min: 0, max: 23 };
const DAY: FieldRule = { name: 'day of month', min: 1, max: 31, question: true };
const MONTH: FieldRule = { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] };
const WEEKDAY: FieldRule = { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'], question: true };

const FIVE = [MINUTE, HOUR, DAY, MONTH, WEEKDAY];
const SIX = [SECOND, ...FIVE];

/** Why `expr` is not a valid cron expression of `fields` fields, or undefined. Predefined `@daily`-style names pass. */
export function cronProblem(expr: string, fields: 5 | 6): string | undefined {
  const text = expr.trim();
  if (/^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(text) || /^@every \d+[smh]/.test(text)) return undefined;
  const parts = text.split(/\s+/);
  if (parts.length !== fields) return `it has ${parts.length} fields, not ${fields}`;
  const rules = fields === 6 ? SIX : FIVE;
  for (let i = 0; i < parts.length; i++) {
    const problem = fieldProblem(parts[i], rules[i]);
    if (problem) return `its ${rules[i].name} field '${parts[i]}' ${problem}`;
  }
  return undefined;
}

function fieldProblem(field: string, rule: FieldRule): string | undefined {
  for (const item of field.split(',')) {
    const [range, step, extra] = item.split('/');
    if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) return `has a bad step in '${item}'`;
    if (range === '*' || (range === '?' && rule.question)) continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return `has a bad range '${range}'`;
    const values = bounds.map((b) => value(b, rule));
    if (values.some((v) => v === undefined)) return `is outside ${rule.min}–${rule.max}${rule.names ? ` (or ${rule.names[0]}–${rule.names[rule.names.length - 1]})` : ''}`;
    if (values.length === 2 && values[0]! > values[1]!) return `has a range '${range}' that runs backwards`;
  }
  return undefined;
}

function value(text: string, rule: FieldRule): number | undefined {
  const named = rule.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return rule.names === MONTH.names ? named + 1 : named;
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= rule.min && n <= rule.max ? n : undefined;
}
