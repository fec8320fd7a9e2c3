/** DNS-1123 label: what Kubernetes requires of namespaces, services and most names used as folders here. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** DNS-1123 subdomain: what Kubernetes requires of most object names. */
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** True when `name` is a valid DNS-1123 label (at most 63 characters). */
export function isDnsLabel(name: string): boolean {
  return name.length <= 63 && DNS_LABEL.test(name);
}

/** True when `name` is a valid DNS-1123 subdomain (at most 253 characters). */
export function isDnsSubdomain(name: string): boolean {
  return name.length <= 253 && DNS_SUBDOMAIN.test(name);
}

/** The fix text shared by every invalid-name problem. */
export function dnsLabelFix(name: string): string {
  const suggestion = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63) || 'name';
  return `use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters (for example '${suggestion}')`;
}
