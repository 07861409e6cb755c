import { expect } from 'chai';
import { findBlocker } from '../../../../operator/src/controllers/proofrequest/checks.js';
import { choosePod, listReadyEndpoints } from '../../../../operator/src/controllers/proofrequest/endpoints.js';
import { buildProveBody } from '../../../../operator/src/controllers/proofrequest/request-body.js';
import { computeRetryDelayMs } from '../../../../operator/src/controllers/proofrequest/retry.js';
import {
  buildErrorStatus,
  buildPendingStatus,
  buildRunningStatus,
  buildVerdictStatus,
  isDecided,
} from '../../../../operator/src/controllers/proofrequest/status.js';

describe('findBlocker', () => {
  const cases = [
    { name: 'the core is missing', core: undefined, reason: 'CoreNotFound' },
    { name: 'the core has no ready prover', core: { ready: false, readyMessage: '0/1' }, reason: 'NoReadyProver' },
    { name: 'the core is ready', core: { ready: true, readyMessage: '1/1' }, reason: undefined },
  ];
  for (const c of cases) {
    it(`when ${c.name}, reports ${c.reason ?? 'nothing'}`, () => {
      expect(findBlocker({ coreName: 'core', core: c.core })?.reason).to.equal(c.reason);
    });
  }
});

describe('listReadyEndpoints', () => {
  it('keeps ready Pod endpoints only', () => {
    const slices = [
      {
        addressType: 'IPv4',
        ports: [{ name: 'http', port: 8088 }],
        endpoints: [
          { addresses: ['127.42.0.2'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'b' } },
          { addresses: ['127.42.0.3'], conditions: { ready: false }, targetRef: { kind: 'Pod', name: 'c' } },
          { addresses: ['127.42.0.1'], conditions: { ready: true }, targetRef: { kind: 'Pod', name: 'a' } },
        ],
      },
    ];
    expect(listReadyEndpoints(slices)).to.deep.equal([
      { podName: 'a', url: 'http://127.42.0.1:8088' },
      { podName: 'b', url: 'http://127.42.0.2:8088' },
    ]);
  });
});

describe('choosePod', () => {
  const endpoints = [{ podName: 'a', url: 'u' }, { podName: 'b', url: 'u' }];
  const cases = [
    { name: 'both idle', load: { a: 0, b: 0 }, avoid: [], expected: 'a' },
    { name: 'a busier', load: { a: 1, b: 0 }, avoid: [], expected: 'b' },
    { name: 'all full', load: { a: 2, b: 2 }, avoid: [], expected: undefined },
    { name: 'a failed last time', load: { a: 0, b: 1 }, avoid: ['a'], expected: 'b' },
    { name: 'only the failed Pod has room', load: { a: 0, b: 2 }, avoid: ['a'], expected: 'a' },
  ];
  for (const c of cases) {
    it(`when ${c.name}, picks ${c.expected ?? 'none'}`, () => {
      const load = (pod: string): number => (c.load as Record<string, number>)[pod] ?? 0;
      expect(choosePod(endpoints, load, 2, new Set(c.avoid))?.podName).to.equal(c.expected);
    });
  }
});

describe('buildProveBody', () => {
  it('takes the core timeout when the request sets none and omits empty axioms', () => {
    expect(buildProveBody({ goal: 'p -> p', allowedAxioms: [] }, 12, 'id')).to.deep.equal({ goal: 'p -> p', timeoutMs: 12_000, requestId: 'id' });
  });
});

describe('computeRetryDelayMs', () => {
  it('doubles from 1 s, caps at 30 s and honours a longer Retry-After', () => {
    expect([1, 2, 3, 10].map((a) => computeRetryDelayMs(a, undefined))).to.deep.equal([1000, 2000, 4000, 30_000]);
    expect(computeRetryDelayMs(1, 5000)).to.equal(5000);
  });
});

describe('ProofRequest status', () => {
  const proved = { verdict: 'Proved', reason: 'Proved', message: 'ok', ok: true, messages: ['x'.repeat(5000)], durationMs: 4.6 };

  it('when dispatched again, counts attempts and keeps the first start time', () => {
    const first = buildRunningStatus(undefined, 1, 'p', { attempts: 1, startTime: 't1' }, 't1');
    const second = buildRunningStatus(first, 1, 'q', { attempts: 2, startTime: 't2' }, 't2');
    expect(second).to.include({ attempts: 2, startTime: 't1', phase: 'Running' });
  });

  it('when a new generation starts, resets attempts and the result', () => {
    const verdict = buildVerdictStatus(buildRunningStatus(undefined, 1, 'p', { attempts: 1, startTime: 't1' }, 't1'), 1, proved, 'p', 't2');
    const running = buildRunningStatus(verdict, 2, 'p', { attempts: 1, startTime: 't3' }, 't3');
    expect(running).to.include({ attempts: 1, startTime: 't3', observedGeneration: 2 });
    expect(running.result).to.equal(undefined);
  });

  it('when proved, sets Succeeded True and bounds the messages', () => {
    const status = buildVerdictStatus(undefined, 3, proved, 'pod-a', 't');
    expect(status.conditions?.[0]).to.include({ type: 'Succeeded', status: 'True', reason: 'Proved', observedGeneration: 3 });
    expect(status.result?.messages?.[0]).to.have.length(1024);
    expect(status.result).to.include({ prover: 'pod-a', durationMs: 5, ok: true });
    expect(isDecided(status, 3)).to.equal(true);
    expect(isDecided(status, 4)).to.equal(false);
  });

  const verdictCases = [
    { verdict: 'Refuted', reason: 'Refuted', condition: 'False' },
    { verdict: 'Failed', reason: 'Timeout', condition: 'False' },
    { verdict: 'Rejected', reason: 'not a reason!', condition: 'False', expectedReason: 'Rejected' },
  ];
  for (const c of verdictCases) {
    it(`when ${c.verdict} (${c.reason}), sets Succeeded ${c.condition}`, () => {
      const status = buildVerdictStatus(undefined, 1, { verdict: c.verdict, reason: c.reason, ok: false }, 'p', 't');
      expect(status.phase).to.equal(c.verdict);
      expect(status.conditions?.[0]).to.include({ status: c.condition, reason: c.expectedReason ?? c.reason });
    });
  }

  it('when pending, is not decided and keeps Succeeded Unknown', () => {
    const status = buildPendingStatus(undefined, 1, 'CoreNotFound', 'waiting', 't');
    expect(status.conditions?.[0]).to.include({ status: 'Unknown', reason: 'CoreNotFound' });
    expect(isDecided(status, 1)).to.equal(false);
  });

  it('when infrastructure gave up, is a decided Error', () => {
    const status = buildErrorStatus(buildRunningStatus(undefined, 1, 'p', { attempts: 1, startTime: 't' }, 't'), 1, 'ProverUnreachable', 'gave up', 't2');
    expect(status).to.include({ phase: 'Error', attempts: 1, completionTime: 't2' });
    expect(isDecided(status, 1)).to.equal(true);
  });

  describe('when no Running was written for a quick check', () => {
    const dispatched = { attempts: 1, startTime: 't-dispatch' };

    it('the verdict carries the attempt and the dispatch time, as if Running had been written', () => {
      const direct = buildVerdictStatus(undefined, 1, proved, 'p', 't-done', dispatched);
      const viaRunning = buildVerdictStatus(buildRunningStatus(undefined, 1, 'p', dispatched, 't-late'), 1, proved, 'p', 't-done', dispatched);
      expect(direct).to.include({ phase: 'Proved', attempts: 1, startTime: 't-dispatch', completionTime: 't-done' });
      expect(viaRunning).to.include({ attempts: direct.attempts, startTime: direct.startTime, completionTime: direct.completionTime });
    });

    it('a retried attempt keeps the first attempt\'s start time through the Retrying status', () => {
      const retrying = buildPendingStatus(undefined, 1, 'Retrying', 'attempt 1 failed', 't2', dispatched);
      expect(retrying).to.include({ phase: 'Pending', attempts: 1, startTime: 't-dispatch' });
      const verdict = buildVerdictStatus(retrying, 1, proved, 'q', 't3', { attempts: 2, startTime: 't-later' });
      expect(verdict).to.include({ attempts: 2, startTime: 't-dispatch', completionTime: 't3' });
    });

    it('the status of an older generation neither lowers nor replaces what the flight knows', () => {
      const old = buildVerdictStatus(undefined, 1, proved, 'p', 't1', { attempts: 3, startTime: 't0' });
      const verdict = buildVerdictStatus(old, 2, proved, 'p', 't5', { attempts: 1, startTime: 't4' });
      expect(verdict).to.include({ observedGeneration: 2, attempts: 1, startTime: 't4' });
    });

    it('giving up counts the attempts no status recorded', () => {
      const status = buildErrorStatus(undefined, 1, 'ProverUnreachable', 'gave up', 't9', { attempts: 5, startTime: 't1' });
      expect(status).to.include({ phase: 'Error', attempts: 5, startTime: 't1', completionTime: 't9' });
    });
  });
});
