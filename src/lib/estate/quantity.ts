/**
 * Kubernetes resource quantities, parsed to plain numbers so capacity can be summed.
 * CPU is counted in millicores, memory in bytes.
 */

const MEMORY_SUFFIXES: Record<string, number> = {
  '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50,
};

/** Parses a CPU quantity (`2`, `0.5`, `500m`) into millicores, or `undefined` if it does not parse. */
export function parseCpu(q: string | number): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? Math.round(q * 1000) : undefined;
  const m = /^([0-9]+(?:\.[0-9]+)?)(m?)$/.exec(q.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return Math.round(m[2] === 'm' ? n : n * 1000);
}

/** Parses a memory quantity (`512Mi`, `4Gi`, `1G`, `1048576`) into bytes, or `undefined`. */
export function parseMemory(q: string | number): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  const m = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/.exec(q.trim());
  if (!m) return undefined;
  return Math.round(Number(m[1]) * MEMORY_SUFFIXES[m[2] ?? '']);
}

/** Formats millicores for humans: `1500m` → `1.5`. */
export function formatCpu(milli: number): string {
  return (milli / 1000).toFixed(milli % 1000 === 0 ? 0 : 2).replace(/\.?0+$/, '') || '0';
}

/** Formats bytes for humans in GiB/MiB. */
export function formatMemory(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1).replace(/\.0$/, '')}Gi`;
  return `${Math.round(bytes / 2 ** 20)}Mi`;
}
