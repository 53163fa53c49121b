// How should a page of jobs cross the web host's WebSocket? Rows as JSON objects vs columns (one array
// per field, strings dictionary-coded). Prints the time ratio and the size ratio of both encodings.
const N = 50_000;
const states = ['RUNNING', 'PENDING', 'COMPLETING', 'SUSPENDED'];
const users = Array.from({ length: 300 }, (_, i) => `user${i}`);
const partitions = ['gpu', 'gpu-low', 'cpu', 'preemptible'];

const rows = Array.from({ length: N }, (_, i) => ({
  jobId: 1_000_000 + i,
  state: states[i % states.length] as string,
  user: users[(i * 7) % users.length] as string,
  partition: partitions[i % partitions.length] as string,
  gpus: i % 9,
  submit: 1_760_000_000 + i,
  priority: (i * 7919) % 100_000,
}));

function toColumns(input: typeof rows) {
  const dict: string[] = [];
  const index = new Map<string, number>();
  const code = (s: string) => {
    let k = index.get(s);
    if (k === undefined) {
      k = dict.length;
      dict.push(s);
      index.set(s, k);
    }
    return k;
  };
  return {
    dict,
    jobId: input.map((r) => r.jobId),
    state: input.map((r) => code(r.state)),
    user: input.map((r) => code(r.user)),
    partition: input.map((r) => code(r.partition)),
    gpus: input.map((r) => r.gpus),
    submit: input.map((r) => r.submit),
    priority: input.map((r) => r.priority),
  };
}

function time(fn: () => number, repeat = 7): { ms: number; bytes: number } {
  let best = Infinity;
  let bytes = 0;
  for (let i = 0; i < repeat; i++) {
    const t = performance.now();
    bytes = fn();
    best = Math.min(best, performance.now() - t);
  }
  return { ms: best, bytes };
}

const asRows = time(() => {
  const text = JSON.stringify(rows);
  const back = JSON.parse(text) as unknown[];
  if (back.length !== N) throw new Error('round trip lost rows');
  return text.length;
});
const asColumns = time(() => {
  const text = JSON.stringify(toColumns(rows));
  const back = JSON.parse(text) as { jobId: unknown[] };
  if (back.jobId.length !== N) throw new Error('round trip lost rows');
  return text.length;
});

console.log(`${N} jobs, encode + decode, best of 7`);
console.log(`rows as objects: ${asRows.ms.toFixed(1)} ms, ${(asRows.bytes / 1e6).toFixed(2)} MB`);
console.log(`columns:         ${asColumns.ms.toFixed(1)} ms, ${(asColumns.bytes / 1e6).toFixed(2)} MB`);
console.log(`ratio rows/columns: time ${(asRows.ms / asColumns.ms).toFixed(2)}x, size ${(asRows.bytes / asColumns.bytes).toFixed(2)}x`);
