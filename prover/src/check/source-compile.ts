// Checking an untrusted document on its own: compiled by coqc in a private directory, like any library.
import { compileInUnit, type CoqcOptions, type UntrustedUnit } from '../coq/coqc.js';
import type { Conclusion } from './outcome.js';

/** Splits coqc's diagnostics into messages (one per `File …` block). */
export function splitCoqcMessages(stderr: string): string[] {
  return stderr
    .split(/\n(?=File ")/)
    .map((block) => block.trim())
    // Coq warns about -native-compiler before it reads -w; the flag is required here, so the warning is noise.
    .map((block) => block.replace(/^While loading initial state:\nWarning: The native-compiler option is deprecated\.[\s\S]*?\[deprecated-native-compiler-option,deprecated\]\s*/, ''))
    .filter((block) => block !== '');
}

/** Compiles the untrusted document of a unit; returns a conclusion only when it does not compile. */
export async function compileUntrustedSource(options: CoqcOptions, unit: UntrustedUnit, source: string, timeoutMs: number): Promise<Conclusion | undefined> {
  const result = await compileInUnit(options, unit, unit.module, source, timeoutMs);
  if (result.timedOut) return { verdict: 'Failed', reason: 'Timeout', message: `checking the source took longer than ${timeoutMs} ms` };
  if (result.code === 0) return undefined;
  const messages = splitCoqcMessages(result.stderr + result.stdout);
  const incomplete = messages.some((m) => /incomplete proof|given up/i.test(m));
  return {
    verdict: 'Failed',
    reason: incomplete ? 'Incomplete' : 'CoqError',
    message: incomplete ? 'the source leaves a proof unfinished' : 'Coq rejected the source',
    messages: messages.length > 0 ? messages : [`coqc exited with code ${String(result.code)}`],
  };
}
