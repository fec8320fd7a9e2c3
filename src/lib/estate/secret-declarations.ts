import type { IConstruct } from 'constructs';
import { FactKind, Ledger } from '../model/ledger.js';
import { Diagnostics } from './diagnostics.js';
import { isDnsLabel, isDnsSubdomain } from './names.js';

/**
 * What a component says about the Secrets it uses that the generated tree alone does not show, as
 * data. Three kinds of statements, each per component (like node-requirements.ts):
 *
 * - {@link declareUserSecret}: a Secret a person creates before Flux reconciles (an API token, tunnel
 *   credentials). The cluster README lists it under "Prerequisites" with the command that creates
 *   it as a SOPS file, and the bootstrap runbook lists it before Flux's first reconcile.
 * - {@link declareSecretUse}: a Secret the component reads where no Kubernetes field says so, e.g. a
 *   chart value (`admin.existingSecret`). The secret-reference check then requires a provider for it
 *   like for a `secretKeyRef`. Constructs declare these instead of the check guessing from values.
 * - {@link declareSecretSource}: a Secret something creates at runtime that the tree does not show
 *   as an object (an operator, a chart, a Job). It satisfies references to it.
 *
 * ```ts
 * // in a construct reading an existing Secret through a chart value:
 * declareSecretUse(this, { name: secret, field: 'spec.values.admin.existingSecret', keys: ['password'] });
 * declareUserSecret(this, { name: secret, keys: ['password'], reason: 'password of the admin user' });
 * // in the README / runbook generators:
 * for (const s of userSecrets(cluster)) …
 * ```
 */

/**
 * What a Secret declaration reads of the component making it (a Component; kept structural so the
 * component class can offer `declareUserSecret` without an import cycle).
 */
export interface SecretOwner extends IConstruct {
  readonly name: string;
  readonly namespace: string;
  readonly cluster: { readonly ledger: Ledger };
}

/** A Secret a person creates in the cluster (or commits as a SOPS file) before Flux can reconcile. */
export interface UserSecret {
  /** Name of the Secret. */
  readonly name: string;
  /** Namespace of the Secret. @default - the component's namespace */
  readonly namespace?: string;
  /** Keys the component reads; each becomes a `--from-file=<key>=…` of the generated command. At least one. */
  readonly keys: readonly string[];
  /** What it holds and why the component needs it, as the README says it ("Cloudflare API token (Zone:DNS:Edit)"). */
  readonly reason: string;
  /** Where to get the values, as a person would (a console page, a command). @default - none */
  readonly howTo?: string;
}

/** A Secret the component reads where no Kubernetes field shows it (a chart value naming an existing Secret). */
export interface SecretUse {
  /** Name of the Secret. */
  readonly name: string;
  /** Namespace of the Secret. @default - the component's namespace */
  readonly namespace?: string;
  /** Where the name is given, for messages (`spec.values.admin.existingSecret`). */
  readonly field: string;
  /** Keys read. @default [] (not known) */
  readonly keys?: readonly string[];
}

/** A Secret created at runtime by something the tree does not show as a Secret (an operator, a chart, a Job). */
export interface SecretSource {
  /** Name of the Secret. */
  readonly name: string;
  /** Namespace of the Secret. @default - the component's namespace */
  readonly namespace?: string;
  /** What creates it, for messages and docs ("the Tailscale operator", "SOPS file token.sops.yaml"). */
  readonly by: string;
  /**
   * The component's SOPS file (relative to its folder) holding this Secret, when that is the source:
   * the secret-reference check then warns if the file defines no Secret of this name.
   * @default - not a SOPS file
   */
  readonly sopsFile?: string;
}

/** A {@link UserSecret} with its namespace filled in and the component declaring it. */
export interface DeclaredUserSecret extends UserSecret {
  readonly namespace: string;
  readonly component: SecretOwner;
}

/** A {@link SecretUse} with its namespace filled in and the component declaring it. */
export interface DeclaredSecretUse extends SecretUse {
  readonly namespace: string;
  readonly component: SecretOwner;
}

/** A {@link SecretSource} with its namespace filled in and the component declaring it. */
export interface DeclaredSecretSource extends SecretSource {
  readonly namespace: string;
  readonly component: SecretOwner;
}


/** Ledger fact: a Secret a person provides (recorded under the declaring component). */
export const USER_SECRET = new FactKind<DeclaredUserSecret>('user-provided Secret');
/** Ledger fact: a Secret a component reads where no Kubernetes field shows it. */
export const SECRET_USE = new FactKind<DeclaredSecretUse>('Secret use');
/** Ledger fact: a Secret something creates at runtime for a component. */
export const SECRET_SOURCE = new FactKind<DeclaredSecretSource>('Secret source');

/**
 * Ledger fact: a Secret declaration that was refused with a problem (recorded under the declaring
 * component), so the secret-reference check does not report its readers again.
 */
export const REFUSED_SECRET_DECLARATION = new FactKind<{ readonly name: string }>('refused Secret declaration');

/** Records that `component`'s declaration of Secret `name` was refused (its problem is already reported). */
function refused(component: SecretOwner, name: string): void {
  component.cluster.ledger.record(REFUSED_SECRET_DECLARATION, { name }, component);
}

/** Secret data keys: what the API server accepts (`[-._a-zA-Z0-9]+`). */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** Reports a bad name or namespace at `field`; returns whether both are usable. */
function checkRef(component: SecretOwner, field: string, name: string, namespace: string): boolean {
  const d = Diagnostics.of(component);
  let ok = true;
  if (!isDnsSubdomain(name)) {
    d.error(component, `${field}.name`, `'${name}' is not a valid Secret name`, "use lowercase letters, digits, '-' and '.'");
    ok = false;
  }
  if (!isDnsLabel(namespace)) {
    d.error(component, `${field}.namespace`, `'${namespace}' is not a valid namespace`, "use lowercase letters, digits and '-'");
    ok = false;
  }
  if (!ok) refused(component, name);
  return ok;
}

/**
 * Declares a Secret a person provides for `component` (listed in the README's Prerequisites and the
 * runbook). Declaring the same Secret twice, from one or several components, merges the keys.
 */
export function declareUserSecret(component: SecretOwner, secret: UserSecret): void {
  const namespace = secret.namespace ?? component.namespace;
  const field = `userSecrets.${secret.name}`;
  if (!checkRef(component, field, secret.name, namespace)) return;
  const d = Diagnostics.of(component);
  if (secret.keys.length === 0) {
    d.error(component, `${field}.keys`, `user-provided Secret '${secret.name}' lists no key`, 'list the keys the component reads, e.g. keys: [\'password\']');
    refused(component, secret.name);
    return;
  }
  const bad = secret.keys.filter((k) => !SECRET_KEY.test(k));
  if (bad.length > 0) {
    d.error(component, `${field}.keys`, `${bad.map((k) => `'${k}'`).join(', ')} ${bad.length === 1 ? 'is not a valid Secret key' : 'are not valid Secret keys'}`, "use letters, digits, '-', '_' and '.' only");
    refused(component, secret.name);
    return;
  }
  if (secret.reason.trim() === '') {
    d.error(component, `${field}.reason`, `user-provided Secret '${secret.name}' gives no reason`, 'say what it holds, e.g. reason: \'Cloudflare API token (Zone:DNS:Edit)\': the README shows it to whoever creates the Secret');
    refused(component, secret.name);
    return;
  }
  component.cluster.ledger.record(USER_SECRET, { ...secret, namespace, keys: [...secret.keys], component }, component);
}

/** Declares that `component` reads a Secret where no Kubernetes field of its objects shows it (a chart value). */
export function declareSecretUse(component: SecretOwner, use: SecretUse): void {
  const namespace = use.namespace ?? component.namespace;
  if (!checkRef(component, use.field, use.name, namespace)) return;
  component.cluster.ledger.record(SECRET_USE, { ...use, namespace, keys: [...(use.keys ?? [])], component }, component);
}

/** Declares that something creates a Secret at runtime for `component` (an operator, a chart, a Job). */
export function declareSecretSource(component: SecretOwner, source: SecretSource): void {
  const namespace = source.namespace ?? component.namespace;
  if (!checkRef(component, `secretSources.${source.name}`, source.name, namespace)) return;
  component.cluster.ledger.record(SECRET_SOURCE, { ...source, namespace, component }, component);
}

/** What one component declared, in declaration order. */
export function componentSecretDeclarations(component: SecretOwner): { readonly secrets: readonly DeclaredUserSecret[]; readonly uses: readonly DeclaredSecretUse[]; readonly sources: readonly DeclaredSecretSource[] } {
  const ledger = component.cluster.ledger;
  return { secrets: ledger.of(USER_SECRET, component), uses: ledger.of(SECRET_USE, component), sources: ledger.of(SECRET_SOURCE, component) };
}
