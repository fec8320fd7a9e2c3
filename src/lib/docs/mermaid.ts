/**
 * Small builder for mermaid flowcharts that always produces parsable text: node ids are generated
 * (never user names, so `end` or dots cannot break the syntax), labels are quoted and escaped.
 */

/** A label with characters mermaid would read as syntax replaced by entities; `\n` becomes a line break. */
export function label(text: string): string {
  const escaped = text
    .replace(/&/g, '#amp;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\n/g, '<br/>');
  return `"${escaped}"`;
}

export type NodeShape = 'box' | 'round' | 'stadium' | 'cylinder';

interface FlowNode {
  readonly id: string;
  readonly text: string;
  readonly shape: NodeShape;
  readonly classes: readonly string[];
}

interface Subgraph {
  readonly id: string;
  readonly title: string;
  readonly parent?: string;
}

/** A flowchart under construction. Output order is insertion order: callers sort their input. */
export class Flowchart {
  private readonly nodes = new Map<string, FlowNode & { subgraph?: string }>();
  private readonly subgraphs = new Map<string, Subgraph>();
  private readonly edges: { from: string; to: string; text?: string; style: '-->' | '-.->' }[] = [];
  private readonly edgeKeys = new Set<string>();
  private readonly classDefs = new Map<string, string>();
  private readonly ids = new Map<string, string>();
  private counter = 0;

  constructor(private readonly direction: 'LR' | 'TB' = 'LR') {}

  /**
   * A stable id for a key (`component:jellyfin`): a readable prefix plus a counter, so ids never
   * collide or clash with mermaid keywords.
   */
  public id(key: string): string {
    let id = this.ids.get(key);
    if (!id) {
      // The readable part is the key's last segment (`component:jellyfin` → `jellyfin`).
      const stem = key.slice(key.lastIndexOf(':') + 1).replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 32) || 'n';
      id = `n${++this.counter}_${stem}`;
      this.ids.set(key, id);
    }
    return id;
  }

  public subgraph(key: string, title: string, parentKey?: string): string {
    const id = this.id(`subgraph:${key}`);
    if (!this.subgraphs.has(id)) this.subgraphs.set(id, { id, title, parent: parentKey === undefined ? undefined : this.id(`subgraph:${parentKey}`) });
    return id;
  }

  public node(key: string, text: string, options: { shape?: NodeShape; subgraph?: string; classes?: readonly string[] } = {}): string {
    const id = this.id(key);
    if (!this.nodes.has(id)) this.nodes.set(id, { id, text, shape: options.shape ?? 'box', classes: options.classes ?? [], subgraph: options.subgraph });
    return id;
  }

  public hasNode(key: string): boolean {
    return this.ids.has(key) && this.nodes.has(this.ids.get(key)!);
  }

  /** Adds an edge once (same endpoints and text). */
  public edge(from: string, to: string, text?: string, style: '-->' | '-.->' = '-->'): void {
    const key = `${from}\u0000${to}\u0000${text ?? ''}`;
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    this.edges.push({ from, to, text, style });
  }

  public classDef(name: string, style: string): void {
    this.classDefs.set(name, style);
  }

  public get edgeCount(): number {
    return this.edges.length;
  }

  public render(): string {
    const out: string[] = [`flowchart ${this.direction}`];
    const shape = (n: FlowNode): string => {
      const l = label(n.text);
      switch (n.shape) {
        case 'round': return `${n.id}(${l})`;
        case 'stadium': return `${n.id}([${l}])`;
        case 'cylinder': return `${n.id}[(${l})]`;
        default: return `${n.id}[${l}]`;
      }
    };
    const children = (parent: string | undefined): Subgraph[] => [...this.subgraphs.values()].filter((s) => s.parent === parent);
    const emit = (parent: string | undefined, indent: string): void => {
      for (const n of this.nodes.values()) if (n.subgraph === parent) out.push(`${indent}${shape(n)}`);
      for (const s of children(parent)) {
        out.push(`${indent}subgraph ${s.id} [${label(s.title)}]`);
        emit(s.id, `${indent}  `);
        out.push(`${indent}end`);
      }
    };
    emit(undefined, '  ');
    for (const e of this.edges) out.push(`  ${e.from} ${e.style}${e.text ? `|${label(e.text)}|` : ''} ${e.to}`);
    for (const [name, style] of this.classDefs) out.push(`  classDef ${name} ${style}`);
    const byClass = new Map<string, string[]>();
    for (const n of this.nodes.values()) for (const c of n.classes) byClass.set(c, [...(byClass.get(c) ?? []), n.id]);
    for (const [c, ids] of byClass) out.push(`  class ${ids.join(',')} ${c}`);
    return out.join('\n');
  }
}

/** A fenced mermaid block. */
export function mermaidBlock(diagram: string): string[] {
  return ['```mermaid', diagram, '```'];
}
