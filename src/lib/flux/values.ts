/** A plain object (not an array, not null). */
function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Deep-merges the user's extra Helm values over the values a construct derives: maps merge key by
 * key, anything else (lists, scalars) is replaced. Neither input is modified. The merged result is
 * what the chart values are validated against, so a misspelt extra key is still reported.
 */
export function mergeValues(base: Record<string, unknown>, extra: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!extra) return base;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    const current = out[k];
    out[k] = isPlainObject(current) && isPlainObject(v) ? mergeValues(current, v) : v;
  }
  return out;
}
