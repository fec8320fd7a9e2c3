/**
 * Kubernetes exposes an object's properties to CEL under escaped names, so that a property
 * called `namespace` (a CEL reserved word) or `x-y` (not a CEL identifier) can still be selected:
 * Gateway API's rules read a parentRef's namespace as `p.__namespace__`. Only schema properties
 * are escaped; keys of maps (additionalProperties) are data and keep their spelling.
 */

/** CEL's reserved words, which Kubernetes escapes as `__word__`. */
const RESERVED = new Set([
  'true', 'false', 'null', 'in', 'as', 'break', 'const', 'continue', 'else', 'for', 'function', 'if',
  'import', 'let', 'loop', 'package', 'namespace', 'return', 'var', 'void', 'while',
]);

/** Characters Kubernetes spells out inside a property name (applied left to right). */
const SPELLED: ReadonlyArray<[string, string]> = [
  ['__', '__underscores__'],
  ['.', '__dot__'],
  ['-', '__dash__'],
  ['/', '__slash__'],
];

/** A name CEL can select once escaped: letters, digits and `_ . - /`, not starting with a digit. */
const ESCAPABLE = /^[A-Za-z_./-][A-Za-z0-9_./-]*$/;

/**
 * The name under which CEL rules see the schema property `name`, or undefined when Kubernetes
 * does not expose it at all (a rule cannot refer to it, so it is left out of `self`).
 */
export function escapePropertyName(name: string): string | undefined {
  if (RESERVED.has(name)) return `__${name}__`;
  if (!ESCAPABLE.test(name)) return undefined;
  let out = '';
  for (let i = 0; i < name.length; ) {
    const hit = SPELLED.find(([raw]) => name.startsWith(raw, i));
    if (hit) {
      out += hit[1];
      i += hit[0].length;
    } else {
      out += name[i];
      i += 1;
    }
  }
  return out;
}
