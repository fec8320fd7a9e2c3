/** One problem found in a manifest or in a chart's Helm values. */
export interface SchemaIssue {
  /**
   * Where the problem is: a dotted path with `[i]` for list items, e.g. `spec.instances` or
   * `spec.template.spec.containers[0].image`; keys that are not plain identifiers are written
   * `["a.b/c"]`. An empty string means the object as a whole.
   */
  field: string;
  /** What is wrong, in a sentence that names the offending field where it helps. */
  message: string;
}
