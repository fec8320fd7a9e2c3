import { IConstruct } from 'constructs';
import { labelKeyProblem, labelValueProblem } from '../../estate/cluster-checks.js';
import { Diagnostics } from '../../estate/diagnostics.js';
import { HeaderChanges, HeaderFilters, RouteRule, RouteSpec } from '../../estate/services.js';

/**
 * Checks of what a route asks for beyond its hostnames, the same for every ingress: paths, header
 * filters, the route object's own labels and annotations. What one ingress cannot render (headers
 * on ingress-nginx, appended headers on Traefik) is reported by that ingress.
 */

/** An HTTP header name: an RFC 9110 token (the pattern Gateway API's HTTPHeaderName enforces). */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;
/** A path as the renderers accept it: `/`, then RFC 3986 path characters (no query, fragment, space or backtick). */
const PATH = /^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/;

/** Number of header changes a filter set asks for (0: none). */
export function headerChangeCount(h: HeaderFilters | undefined): number {
  const n = (c: HeaderChanges | undefined) => Object.keys(c?.set ?? {}).length + Object.keys(c?.add ?? {}).length + (c?.remove ?? []).length;
  return n(h?.request) + n(h?.response);
}

/** The rules of a route that change headers. */
export function rulesWithHeaders(route: RouteSpec): RouteRule[] {
  return (route.rules ?? []).filter((r) => headerChangeCount(r.headers) > 0);
}

/** Where a rule's headers were given, for messages. */
export function headersFieldOf(rule: RouteRule): string {
  return rule.headersField ?? 'headers';
}

/** A path a rule may match: absolute, plain path characters, no empty, `.` or `..` segment. */
export function checkRoutePath(scope: IConstruct, field: string, path: string): boolean {
  const d = Diagnostics.of(scope);
  if (typeof path !== 'string' || !PATH.test(path)) {
    d.error(scope, field, `path ${JSON.stringify(path)} is not an absolute URL path`, "start it with '/' and use only path characters (no query '?', fragment '#', space or backtick), e.g. '/api'");
    return false;
  }
  if (/\/\/|\/\.\.?(\/|$)/.test(path)) {
    d.error(scope, field, `path '${path}' has an empty, '.' or '..' segment, which proxies normalise away before matching`, `write the normalised path, e.g. '${path.replace(/\/+/g, '/').replace(/\/\.\.?(?=\/|$)/g, '') || '/'}'`);
    return false;
  }
  return true;
}

/** Header filters: valid names, non-empty single-line values, each header changed once per direction. */
export function checkHeaderFilters(scope: IConstruct, field: string, filters: HeaderFilters): void {
  for (const dir of ['request', 'response'] as const) {
    const c = filters[dir];
    if (!c) continue;
    const seen = new Map<string, string>();
    const note = (name: string, at: string): void => {
      const d = Diagnostics.of(scope);
      if (!HEADER_NAME.test(name)) {
        d.error(scope, at, `'${name}' is not an HTTP header name`, "use letters, digits and '-' (e.g. 'X-Forwarded-Prefix')");
        return;
      }
      const key = name.toLowerCase();
      const first = seen.get(key);
      if (first) d.error(scope, at, `header '${name}' is changed twice in the ${dir} (also at ${first})`, 'change each header once: set replaces, add appends, remove deletes');
      else seen.set(key, at);
    };
    for (const op of ['set', 'add'] as const) {
      for (const [name, value] of Object.entries(c[op] ?? {})) {
        const at = `${field}.${dir}.${op}.${name}`;
        note(name, at);
        if (typeof value !== 'string' || value === '' || /[\r\n]/.test(value)) {
          Diagnostics.of(scope).error(scope, at, `header '${name}' needs a one-line, non-empty value, got ${JSON.stringify(value)}`, `to delete the header, list it in ${dir}.remove`);
        }
      }
    }
    (c.remove ?? []).forEach((name, i) => note(name, `${field}.${dir}.remove[${i}]`));
  }
}

/** Labels and annotations of a route object as the user gave them: keys (and label values) the API server accepts. */
export function checkRouteMetadata(scope: IConstruct, field: string, labels: Readonly<Record<string, string>> | undefined, annotations: Readonly<Record<string, string>> | undefined): void {
  const d = Diagnostics.of(scope);
  for (const [key, value] of Object.entries(labels ?? {})) {
    const problem = labelKeyProblem(key) ?? (typeof value === 'string' ? labelValueProblem(value) : 'its value is not a string');
    if (problem) d.error(scope, `${field}.labels.${key}`, `label '${key}' is invalid: ${problem}`, "write keys like 'example.com/team' and values of at most 63 letters, digits, '-', '_' or '.'");
  }
  for (const [key, value] of Object.entries(annotations ?? {})) {
    const problem = labelKeyProblem(key);
    if (problem) d.error(scope, `${field}.annotations.${key}`, `annotation key '${key}' is invalid: ${problem}`, "write keys like 'example.com/setting' (prefix/name)");
    if (typeof value !== 'string') d.error(scope, `${field}.annotations.${key}`, `annotation '${key}' has a ${typeof value} value; annotation values are strings`, 'quote it');
  }
}

/** Rules sharing a path and match: the second of each pair is reported (a route object cannot route one path twice). */
export function checkDistinctRules(scope: IConstruct, field: string, rules: readonly RouteRule[]): void {
  const seen = new Map<string, number>();
  rules.forEach((r, i) => {
    const key = `${r.match} ${r.path}`;
    const first = seen.get(key);
    if (first !== undefined) {
      Diagnostics.of(scope).error(scope, `${field}.rules[${i}].path`, `rules[${first}] and rules[${i}] both match ${r.match} '${r.path}'`, 'give each path one rule (merge them, or change the path or match)');
    } else {
      seen.set(key, i);
    }
  });
}
