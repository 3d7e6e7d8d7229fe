// The figures `bench:ab` compares: what a bench script printed, as numbers by path.

/** Every finite number in a JSON value, by its dotted path (array items by index). */
export function figures(value: unknown, prefix = '', out = new Map<string, number>()): Map<string, number> {
  if (typeof value === 'number' && Number.isFinite(value)) out.set(prefix, value);
  else if (value && typeof value === 'object') {
    // Arrays too: their items by index.
    for (const [k, v] of Object.entries(value)) figures(v, prefix ? `${prefix}.${k}` : k, out);
  }
  return out;
}

/** The last top-level JSON object a bench script printed (the scripts print one at the end). */
export function closingJson(stdout: string): unknown {
  for (let at = stdout.lastIndexOf('\n{'); at >= 0; at = stdout.lastIndexOf('\n{', at - 1)) {
    try {
      return JSON.parse(stdout.slice(at + 1));
    } catch {
      // a '{' inside the output that does not start the closing object: look further back
    }
  }
  return JSON.parse(stdout.slice(stdout.indexOf('{')));
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
