// validate.mjs runs the Khronos glTF-Validator (the reference implementation)
// on GLB or glTF files and prints one JSON array with a summary per file.
// Luneo's Go tests use it as an oracle: it is a test tool, never part of the
// product. External resources are deliberately not loaded (the files under
// test must be self-contained, like everything Luneo stores).
//
// Usage: node validate.mjs [--repeat N] FILE...
// Output: [{"file", "numErrors", "numWarnings", "numInfos", "messages",
//           "totalTriangleCount", "totalVertexCount", "drawCallCount", "ms"}]
// "ms" is the mean wall time of validateBytes over N runs (default 1), so the
// Go benchmarks can be compared with the reference on the same files.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import * as validator from 'gltf-validator';

const args = process.argv.slice(2);
let repeat = 1;
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--repeat') {
    repeat = Math.max(1, parseInt(args[++i], 10) || 1);
  } else {
    files.push(args[i]);
  }
}
if (files.length === 0) {
  console.error('usage: node validate.mjs [--repeat N] FILE...');
  process.exit(2);
}

const out = [];
for (const file of files) {
  const bytes = new Uint8Array(await readFile(file));
  let report;
  let error = null;
  const start = performance.now();
  for (let i = 0; i < repeat; i++) {
    try {
      // maxIssues 0 = unlimited, so counts are exact.
      report = await validator.validateBytes(bytes, { maxIssues: 0, writeTimestamp: false });
    } catch (e) {
      // The validator rejects the promise when it cannot even detect a format.
      error = String(e);
      break;
    }
  }
  const ms = (performance.now() - start) / repeat;
  if (error !== null) {
    out.push({ file, numErrors: 1, numWarnings: 0, numInfos: 0, messages: [{ code: 'VALIDATOR_REJECTED', severity: 0, message: error }], ms });
    continue;
  }
  const info = report.info || {};
  out.push({
    file,
    numErrors: report.issues.numErrors,
    numWarnings: report.issues.numWarnings,
    numInfos: report.issues.numInfos,
    messages: report.issues.messages,
    totalTriangleCount: info.totalTriangleCount ?? 0,
    totalVertexCount: info.totalVertexCount ?? 0,
    drawCallCount: info.drawCallCount ?? 0,
    ms,
  });
}
process.stdout.write(JSON.stringify(out) + '\n');
