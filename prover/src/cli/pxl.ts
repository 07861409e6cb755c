// The `pxl` command: verify manifests locally, print a kernel hash, verify an audit log.
import { genesisHash } from '../audit/chain.js';
import { verifyAuditLog } from '../audit/verify-audit.js';
import { ArgumentError } from '../config.js';
import { hashKernelDir } from '../kernel/hash.js';
import { runVerify, verifyUsage } from './verify-command.js';

const usage = `Usage: pxl <command> [arguments]
  verify FILE...           check ProofRequest manifests with an embedded prover; exit 0 only if all are Proved
  kernel-hash DIR          print the kernel hash of a directory of .v files
  audit-verify FILE...     check an audit log's hash chain (rotated files oldest first); names the first broken record
${verifyUsage}`;

const write = (text: string): void => {
  process.stdout.write(text);
};

async function run(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'verify':
      return runVerify(rest, write);
    case 'kernel-hash':
      return printKernelHash(rest);
    case 'audit-verify':
      return checkAuditLog(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      write(usage);
      return command === undefined ? 2 : 0;
    default:
      throw new ArgumentError(`unknown command "${command}"; run pxl --help`);
  }
}

async function printKernelHash(args: readonly string[]): Promise<number> {
  const [dir, ...extra] = args;
  if (dir === undefined || extra.length > 0) throw new ArgumentError('usage: pxl kernel-hash DIR');
  try {
    write(`${await hashKernelDir(dir)}\n`);
  } catch (error) {
    throw new ArgumentError(`${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  return 0;
}

async function checkAuditLog(files: readonly string[]): Promise<number> {
  if (files.length === 0) throw new ArgumentError('usage: pxl audit-verify FILE... (oldest first, e.g. audit.jsonl.1 audit.jsonl)');
  let verification;
  try {
    verification = await verifyAuditLog(...files);
  } catch (error) {
    throw new ArgumentError(`${files.join(', ')}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  if (!verification.ok) {
    write(`broken: ${verification.file} record ${verification.line} ${verification.problem} (${verification.records} records before it are intact)\n`);
    return 1;
  }
  const start = verification.startsAfter === genesisHash ? '' : `, continuing a rotated file after ${verification.startsAfter}`;
  write(`ok: ${verification.records} records, chain intact${start}, last hash ${verification.lastHash}\n`);
  return 0;
}

run(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`pxl: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof ArgumentError ? 2 : 1;
  },
);
