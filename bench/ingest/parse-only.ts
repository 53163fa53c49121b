// Child process of ingest.bench.ts: the same parser and row conversion on one thread, storing nothing,
// for the breakdown (how fast the worker side can go at most).
//   parse-only.ts <sacct file>
import { createReadStream } from 'node:fs';
import { SacctStreamParser } from '../../shared/slurm/parse/sacct';
import { runToRow } from '../../electron/core/store/run-row';

const [file] = process.argv.slice(2) as [string];
let rows = 0;
const parser = new SacctStreamParser({ timeZone: 'UTC' }, (run) => {
  runToRow(1, run);
  rows++;
});
const started = performance.now();
let carry = Buffer.alloc(0);
for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
  const buf = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
  let from = 0;
  for (let nl = buf.indexOf(10); nl !== -1; nl = buf.indexOf(10, from)) {
    parser.write(`${buf.toString('utf8', from, nl)}\n`);
    from = nl + 1;
  }
  carry = Buffer.from(buf.subarray(from));
}
parser.end();
console.log(JSON.stringify({ rows, seconds: (performance.now() - started) / 1000 }));
