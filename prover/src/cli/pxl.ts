// The `pxl` command: verify manifests locally, print a kernel hash, verify an audit log.
import { verifyAuditLog } from '../audit/verify-audit.js';
import { ArgumentError } from '../config.js';
import { hashKernelDir } from '../kernel/hash.js';
import { runVerify, verifyUsage } from './verify-command.js';

const usage = `Usage: pxl <command> [arguments]
  verify FILE...           check ProofRequest manifests with an embedded prover; exit 0 only if all are Proved
  kernel-hash DIR          print the kernel hash of a directory of .v files
  audit-verify FILE        check an audit log's hash chain; names the first broken record
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

async function checkAuditLog(args: readonly string[]): Promise<number> {
  const [file, ...extra] = args;
  if (file === undefined || extra.length > 0) throw new ArgumentError('usage: pxl audit-verify FILE');
  let verification;
  try {
    verification = await verifyAuditLog(file);
  } catch (error) {
    throw new ArgumentError(`${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
  }
  if (verification.ok) {
    write(`ok: ${verification.records} records, chain intact, last hash ${verification.lastHash}\n`);
    return 0;
  }
  write(`broken: record ${verification.line} ${verification.problem} (${verification.records} records before it are intact)\n`);
  return 1;
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
