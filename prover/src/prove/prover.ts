// The proof pipeline: normalise, digest, cache, goal language, then Coq through the checking engine.
import { performance } from 'node:perf_hooks';
import type { CheckEngine, CheckOutcome, CheckRequest } from '../check/types.js';
import { LruCache } from '../cache/lru-cache.js';
import { AdmissionGate, BusyError } from './admission.js';
import { analyseGoal, deriveProof, type Countermodel } from './goal.js';
import { computeDigest, normaliseRequest, type NormalisedRequest, type RequestText } from './normalise.js';
import { decideFromOutcome, isDeterministic, trimMessages, type Decision, type ProveResult } from './result.js';

const defaultCacheBytes = 64 * 1024 * 1024;

/** Thrown when the engine is not ready (still starting, kernel hash mismatch): the service fails closed with 503. */
export class NotReadyError extends Error {
  override readonly name = 'NotReadyError';
}

/** A proof request as the pipeline takes it. */
export interface ProveRequest extends RequestText {
  readonly timeoutMs?: number | undefined;
}

/** The answer of `/countermodel`. */
export interface CountermodelAnswer {
  readonly found: boolean;
  readonly countermodel?: Countermodel;
  readonly atoms: Readonly<Record<string, number>>;
}

/** A goal that does not parse, with where and why. */
export class GoalParseError extends Error {
  override readonly name = 'GoalParseError';
}

/** Options of the pipeline. */
export interface ProverOptions {
  readonly engine: CheckEngine;
  /** Concurrent checks: the number of warm sessions. */
  readonly sessions: number;
  /** Requests allowed to wait for a session. */
  readonly queue: number;
  readonly cacheSize: number;
  /** Most bytes the cache may hold (estimated from the serialized results); default 64 MiB. */
  readonly cacheBytes?: number;
  readonly defaultTimeoutMs: number;
  /** This prover's name in results: the pod name or host name. */
  readonly proverName: string;
}

/** Runs proof requests through the goal language and the checking engine, with a cache and admission control. */
export class Prover {
  readonly gate: AdmissionGate;
  readonly #cache: LruCache<ProveResult>;

  /** Creates a pipeline around a started engine. */
  constructor(readonly options: ProverOptions) {
    this.gate = new AdmissionGate(options.sessions, options.queue);
    // Weighed by serialized size: a translated 16 KiB goal can yield a statement of megabytes.
    this.#cache = new LruCache({ capacity: options.cacheSize, maxWeight: options.cacheBytes ?? defaultCacheBytes, weigh: (result) => JSON.stringify(result).length * 2 });
  }

  /** Checks one request; throws NotReadyError or BusyError, otherwise resolves with a verdict for every input. */
  async prove(request: ProveRequest, signal?: AbortSignal): Promise<ProveResult> {
    const started = performance.now();
    const { engine } = this.options;
    assertServing(engine);
    const normalised = normaliseRequest(request);
    const digest = computeDigest(normalised, engine.kernelHash);
    const identity = { kernelHash: engine.kernelHash, backend: engine.backend, prover: this.options.proverName, digest };
    const hit = this.#cache.get(digest);
    if (hit !== undefined) return { ...hit, ...identity, cached: true, durationMs: elapsedMs(started) };
    const timing = { queuedMs: 0 };
    const decision = await this.#decide(normalised, request.timeoutMs ?? this.options.defaultTimeoutMs, timing, signal);
    const result: ProveResult = {
      verdict: decision.verdict,
      ok: decision.verdict === 'Proved',
      ...identity,
      // The CRD defines durationMs as checking time without queueing.
      durationMs: Math.max(0, elapsedMs(started) - Math.round(timing.queuedMs)),
      cached: false,
      statement: decision.statement,
      atoms: decision.atoms,
      assumptions: decision.assumptions,
      messages: trimMessages(decision.messages),
      ...(decision.countermodel === undefined ? {} : { countermodel: decision.countermodel }),
      reason: decision.reason,
      message: decision.message,
    };
    if (isDeterministic(decision)) this.#cache.set(digest, result);
    return result;
  }

  /** Searches a countermodel for a goal; throws GoalParseError when the goal does not parse. */
  countermodel(goal: string): CountermodelAnswer {
    const analysis = analyseGoal(goal.replace(/\r\n?/g, '\n').trim());
    if (analysis.kind === 'unparsable') throw new GoalParseError(`line ${analysis.line}, column ${analysis.column}: ${analysis.message}`);
    if (analysis.kind === 'refuted') return { found: true, countermodel: analysis.countermodel, atoms: analysis.atoms };
    return { found: false, atoms: analysis.atoms };
  }

  async #decide(request: NormalisedRequest, timeoutMs: number, timing: Timing, signal?: AbortSignal): Promise<Decision> {
    const untrusted = { ...pickProof(request), allowedAxioms: request.allowedAxioms, timeoutMs };
    if (request.goal === undefined) {
      const statement = request.statement ?? '';
      if (untrusted.proof === undefined && untrusted.source === undefined) {
        return rejected('MissingProof', 'a statement needs a proof or a source; automation is only available for goals', statement);
      }
      return decideFromOutcome(await this.#check({ statement, ...untrusted }, timing, signal), statement, {});
    }
    const analysis = analyseGoal(request.goal);
    switch (analysis.kind) {
      case 'unparsable':
        return rejected('ParseError', `goal: line ${analysis.line}, column ${analysis.column}: ${analysis.message}`, '');
      case 'refuted':
        return {
          ...rejected('Refuted', `a countermodel falsifies the goal at world ${analysis.countermodel.falsifiedAt}`, analysis.statement),
          verdict: 'Refuted',
          atoms: analysis.atoms,
          countermodel: analysis.countermodel,
        };
      case 'open':
        break;
    }
    const { statement, atoms } = analysis;
    if (untrusted.proof !== undefined || untrusted.source !== undefined) {
      return decideFromOutcome(await this.#check({ statement, ...untrusted }, timing, signal), statement, atoms);
    }
    const derivation = deriveProof(analysis.formula);
    if (!derivation.found) {
      return { ...rejected('NoDerivationFound', `no derivation was found automatically (${derivation.reason}); supply a proof or a source`, statement), verdict: 'Failed', atoms };
    }
    const outcome = await this.#check({ statement, proof: derivation.proof, allowedAxioms: request.allowedAxioms, timeoutMs }, timing, signal);
    if (outcome.verdict === 'Failed' && outcome.reason !== 'Timeout') {
      // Coq is the judge of the search's script too; a script it refuses is still "no derivation".
      return { ...decideFromOutcome(outcome, statement, atoms), reason: 'NoDerivationFound', message: `the automatic derivation was not accepted by Coq (${outcome.message}); supply a proof or a source` };
    }
    return decideFromOutcome(outcome, statement, atoms);
  }

  async #check(request: CheckRequest, timing: Timing, signal?: AbortSignal): Promise<CheckOutcome> {
    const queued = performance.now();
    const outcome = await this.gate.run(() => {
      timing.queuedMs += performance.now() - queued;
      return this.options.engine.check(request, signal);
    }, signal);
    // The engine has a gate of its own; if it is ever the fuller one, the client still gets 503 Busy.
    if (outcome.verdict === 'Error' && outcome.reason === 'Busy') throw new BusyError(outcome.message);
    return outcome;
  }
}

/**
 * Fails closed when the engine cannot check at all (kernel hash mismatch, kernel not compiled, closed);
 * a session that is merely restarting after a timeout or crash is waited for, not answered with 503.
 */
function assertServing(engine: CheckEngine): void {
  const readiness = engine.readiness();
  if (readiness.ready || engine.sessionStates().starting > 0) return;
  throw new NotReadyError(readiness.reason ?? 'the checking engine is not ready');
}

interface Timing {
  queuedMs: number;
}

function pickProof(request: NormalisedRequest): Pick<CheckRequest, 'proof' | 'source' | 'theorem'> {
  if (request.source !== undefined) return { source: request.source, ...(request.theorem === undefined ? {} : { theorem: request.theorem }) };
  return request.proof === undefined ? {} : { proof: request.proof };
}

function rejected(reason: string, message: string, statement: string): Decision {
  return { verdict: 'Rejected', reason, message, statement, atoms: {}, assumptions: [], messages: [] };
}

function elapsedMs(started: number): number {
  return Math.round(performance.now() - started);
}
