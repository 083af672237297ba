// A dozen lines of test runner, so the customizer's pure modules (no DOM)
// are tested under Node without a test framework in package.json: each
// *.test.ts file registers cases with test() and ends with run().
// cmd/webbuild's TestWebUnits bundles every such file with esbuild and
// runs it with node; a failing case sets a non-zero exit code.

type Case = [string, () => void | Promise<void>];

const cases: Case[] = [];

/** test registers a case. */
export function test(name: string, fn: () => void | Promise<void>): void {
  cases.push([name, fn]);
}

const show = (v: unknown): string => JSON.stringify(v);

/** eq fails unless got and want have the same JSON. */
export function eq(got: unknown, want: unknown, what = 'value'): void {
  if (show(got) !== show(want)) throw new Error(`${what}: got ${show(got)}, want ${show(want)}`);
}

/** near fails unless |got - want| ≤ eps. */
export function near(got: number, want: number, eps: number, what = 'value'): void {
  if (!(Math.abs(got - want) <= eps)) throw new Error(`${what}: got ${got}, want ${want} ± ${eps}`);
}

/** ok fails unless cond holds. */
export function ok(cond: boolean, what: string): void {
  if (!cond) throw new Error(what);
}

/** run runs the registered cases and reports. */
export async function run(): Promise<void> {
  let failed = 0;
  for (const [name, fn] of cases) {
    try {
      await fn();
      console.log('ok   ' + name);
    } catch (err) {
      failed++;
      console.log('FAIL ' + name + ': ' + ((err as Error)?.message ?? String(err)));
    }
  }
  console.log(`${cases.length - failed}/${cases.length} passed`);
  const proc = (globalThis as { process?: { exitCode?: number } }).process;
  if (failed > 0 && proc) proc.exitCode = 1;
}
