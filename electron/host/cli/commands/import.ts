// import: accounting from a file, for clusters the console cannot reach. The file is the output of
// `sacct -a -D -P -o <fields>` WITH its header line (fields in any order, identified by the header); it
// goes through the same ingest path as a live sync.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ClustersRepo } from '../../../core/store/clusters-repo';
import { ingestSacct } from '../../../core/store/sacct-ingest';
import { EXIT, UsageError, stringOption, type Command } from '../command';
import { printJson } from '../output';
import { isKnownZone } from '../../../core/collect/probe';

export const importCommand: Command = {
  path: ['import'],
  summary: "import accounting from a file of sacct output (for clusters the console cannot reach)",
  usage: 'import --cluster NAME --kind sacct [--tz ZONE] [--delimiter C] FILE',
  details:
    'FILE: output of sacct -a -D -P -o JobID,JobIDRaw,JobName,User,Account,Partition,QOS,State,ExitCode,\n' +
    'Submit,Start,End,ElapsedRaw,AllocTRES,NodeList[,Restarts,...] with its header line (no -n).\n' +
    "Times without a zone are read in --tz (default: the cluster's probed zone, else UTC).\n" +
    'The cluster must exist (clusters add, with any host if it cannot be reached). Importing the same file\n' +
    'again changes nothing: runs are keyed by job id and submit time.',
  options: {
    cluster: { type: 'string', help: 'NAME: the cluster the file comes from' },
    kind: { type: 'string', help: 'KIND: what the file holds (sacct)' },
    tz: { type: 'string', help: 'ZONE: IANA time zone of times in the file' },
    delimiter: { type: 'string', help: 'C: field delimiter used with sacct --delimiter (default |)' },
  },
  positionals: 'FILE',
  async run(ctx, args) {
    const cluster = stringOption(args, 'cluster');
    if (!cluster) throw new UsageError('--cluster is required');
    const kind = stringOption(args, 'kind') ?? 'sacct';
    if (kind !== 'sacct') throw new UsageError(`--kind ${kind}: only sacct files can be imported`);
    const [file, ...extra] = args.positionals;
    if (!file || extra.length) throw new UsageError('give exactly one FILE');
    if (!existsSync(file)) throw new UsageError(`${file}: no such file`);
    const tz = stringOption(args, 'tz');
    if (tz && !isKnownZone(tz)) throw new UsageError(`--tz ${tz}: not an IANA time zone (e.g. Europe/Berlin)`);
    const store = ctx.store();
    new ClustersRepo(store.db).idOf(cluster);
    const delimiter = stringOption(args, 'delimiter');
    const result = await ingestSacct(store, {
      cluster,
      input: { file: path.resolve(file) },
      source: 'import',
      ...(tz ? { timeZone: tz } : {}),
      ...(delimiter ? { delimiter } : {}),
      onProgress: (n) => ctx.progress(`${n} rows stored`),
    });
    if (ctx.json) printJson(ctx, result);
    else {
      ctx.io.stdout(
        `Imported ${result.rows} rows into ${cluster} in ${result.seconds.toFixed(1)} s: ${result.counts.inserted} new runs, ${result.counts.updated} updated, ${result.counts.unchanged} unchanged, ${result.skippedSteps} step rows skipped.\n`,
      );
      if (result.ignoredColumns.length) ctx.io.stdout(`Columns not used: ${result.ignoredColumns.join(', ')}\n`);
      for (const e of result.errors) ctx.io.stderr(`line ${e.line ?? '?'}: ${e.message}\n`);
      if (result.errorCount > result.errors.length) ctx.io.stderr(`… and ${result.errorCount - result.errors.length} more rows could not be read\n`);
    }
    if (result.errorCount === 0) return EXIT.ok;
    return result.rows > result.errorCount ? EXIT.partial : EXIT.error;
  },
};
