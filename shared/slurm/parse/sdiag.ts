// `sdiag` into `ControllerHealth`. sdiag prints `Label: value` lines in titled sections (the same label,
// e.g. `Last cycle:`, appears under both the main scheduler and backfill), then RPC tables:
//   `\tREQUEST_JOB_INFO    ( 2003) count:15   ave_time:10073  total_time:151102`
//   `\troot                (    0) count:72   ave_time:9538   total_time:686801`
// Counters are read by section and label; unknown lines (newer versions add sections) are ignored.
import type { ControllerHealth } from '../../model/controller';
import { SlurmParseError } from './errors';
import { outputLines } from './result';

type Section = 'top' | 'main' | 'backfill' | 'rpcType' | 'rpcUser' | 'other';

const RPC_LINE = /^\s+(\S+)\s*\(\s*(\d+)\)\s+count:(\d+)\s+ave_time:(\d+)\s+total_time:(\d+)/;

function sectionOf(title: string): Section {
  if (/^Main schedule statistics/.test(title)) return 'main';
  if (/^Backfilling stats/.test(title)) return 'backfill';
  if (/^Remote Procedure Call statistics by message type/.test(title)) return 'rpcType';
  if (/^Remote Procedure Call statistics by user/.test(title)) return 'rpcUser';
  return 'other';
}

export function parseSdiag(output: string): ControllerHealth {
  const health: ControllerHealth = {
    statsSince: null,
    serverThreadCount: null,
    agentQueueSize: null,
    jobsSubmitted: null,
    jobsStarted: null,
    jobsCompleted: null,
    jobsFailed: null,
    mainSchedulerLastCycleUs: null,
    mainSchedulerMeanCycleUs: null,
    backfillLastCycleUs: null,
    backfillMeanCycleUs: null,
    rpcByType: [],
    rpcByUser: [],
  };
  let section: Section = 'top';
  let recognised = false;
  outputLines(output).forEach((line, i) => {
    if (line.trim() === '' || line.startsWith('****')) return;
    const since = /^Data since\s+.*\((\d+)\)\s*$/.exec(line);
    if (since) {
      health.statsSince = Number(since[1]);
      recognised = true;
      return;
    }
    if (!/^\s/.test(line) && !/:\s*\S/.test(line)) {
      // A section title (`Backfilling stats`, `Remote Procedure Call statistics by user`, ...).
      section = sectionOf(line.trim());
      return;
    }
    if (section === 'rpcType' || section === 'rpcUser') {
      const m = RPC_LINE.exec(line);
      if (!m) return;
      const count = Number(m[3]);
      const totalTimeUs = Number(m[5]);
      if (section === 'rpcType') health.rpcByType.push({ name: m[1] as string, count, totalTimeUs });
      else health.rpcByUser.push({ user: m[1] as string, count, totalTimeUs });
      return;
    }
    const kv = /^\s*([^:]+?):\s+(-?\d+)\s*$/.exec(line);
    if (!kv) return;
    const label = kv[1] as string;
    const value = Number(kv[2]);
    if (!Number.isSafeInteger(value)) throw new SlurmParseError('sdiag', 'counter out of range', line, i + 1);
    if (section === 'top') {
      recognised = true;
      if (label === 'Server thread count') health.serverThreadCount = value;
      else if (label === 'Agent queue size') health.agentQueueSize = value;
      else if (label === 'Jobs submitted') health.jobsSubmitted = value;
      else if (label === 'Jobs started') health.jobsStarted = value;
      else if (label === 'Jobs completed') health.jobsCompleted = value;
      else if (label === 'Jobs failed') health.jobsFailed = value;
    } else if (section === 'main') {
      if (label === 'Last cycle') health.mainSchedulerLastCycleUs = value;
      else if (label === 'Mean cycle') health.mainSchedulerMeanCycleUs = value;
    } else if (section === 'backfill') {
      if (label === 'Last cycle') health.backfillLastCycleUs = value;
      else if (label === 'Mean cycle') health.backfillMeanCycleUs = value;
    }
  });
  if (!recognised) throw new SlurmParseError('sdiag', 'not sdiag output', output);
  return health;
}
