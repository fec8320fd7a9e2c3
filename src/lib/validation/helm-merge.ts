function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Merges user values over chart defaults the way Helm does before it validates them: maps
 * merge key by key, anything else (lists included) replaces the default, and a null removes
 * the key. Neither input is modified.
 */
export function mergeHelmValues(defaults: unknown, values: unknown): unknown {
  if (!isPlainObject(defaults) || !isPlainObject(values)) return values === undefined ? defaults : values;
  const out: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(values)) {
    if (value === null) delete out[key];
    else if (value !== undefined) out[key] = key in defaults ? mergeHelmValues(defaults[key], value) : value;
  }
  return out;
}
