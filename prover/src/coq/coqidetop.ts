// The coqidetop driver: Coq's XML protocol (Init, Add, Goal, Status, Edit_at, Query) over stdin/stdout.
import { randomInt } from 'node:crypto';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { killGroup, sessionCpuSeconds, spawnLimited } from './process.js';
import { SessionError, type GoalsState, type ProtocolSession, type SessionConfig, type StepResult } from './session.js';
import { elementsOf, escapeXml, findElement, takeElements, textOf, type XmlElement } from './xml.js';

interface Pending {
  readonly resolve: (value: XmlElement) => void;
  readonly reject: (error: Error) => void;
}

/** A feedback message Coq sent while a call was running. */
interface Feedback {
  readonly route: string;
  readonly level: string;
  readonly text: string;
}

const maxBufferChars = 64 * 1024 * 1024;
const maxMessageChars = 256 * 1024;
const maxFeedback = 200;

const stateId = (id: number): string => `<state_id val="${id}"/>`;
const str = (text: string): string => `<string>${escapeXml(text)}</string>`;

/** Reads the state id carried by an answer, if any. */
function readStateId(node: XmlElement): number | undefined {
  const found = node.name === 'state_id' ? node : findElement(node, 'state_id');
  const value = found?.attrs.val;
  return value === undefined ? undefined : Number(value);
}

/** Renders a goal element (`<goal><string/><list>hyps</list><richpp>ccl</richpp>…`) as its conclusion. */
function renderGoal(goal: XmlElement): string {
  const parts = elementsOf(goal);
  const hyps = parts[1] === undefined ? [] : elementsOf(parts[1]).map(textOf);
  const conclusion = parts[2] === undefined ? '' : textOf(parts[2]);
  return [...hyps, '============================', conclusion].join('\n');
}

/** Collects every goal element below a node. */
function collectGoals(node: XmlElement, into: string[]): string[] {
  for (const child of elementsOf(node)) {
    if (child.name === 'goal') into.push(renderGoal(child));
    else collectGoals(child, into);
  }
  return into;
}

/** A coqidetop process speaking the XML protocol. */
export class CoqIdeTopSession implements ProtocolSession {
  readonly exited: Promise<void>;
  private buffer = '';
  private pending: Pending | undefined;
  private feedback: Feedback[] = [];
  private tip = 1;
  private checkpoint = 1;
  private dead: Error | undefined;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      this.onData(chunk);
    });
    child.stderr.resume();
    child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        this.fail(new SessionError(`coqidetop exited (code ${String(code)}, signal ${String(signal)})`));
        resolve();
      });
      child.on('error', (error) => {
        this.fail(new SessionError('coqidetop could not be started', { cause: error }));
        resolve();
      });
    });
  }

  /** Starts coqidetop, loads the kernel and takes the checkpoint. */
  static async start(config: SessionConfig): Promise<CoqIdeTopSession> {
    const args = ['-main-channel', 'stdfds', '-async-proofs', 'off', '-native-compiler', 'no', '-w', '-deprecated-native-compiler-option'];
    for (const [dir, logical] of config.loadPaths) args.push('-Q', dir, logical);
    const session = new CoqIdeTopSession(spawnLimited(config.program, args, config.cwd, { memoryKiB: config.memoryKiB, cpuSeconds: sessionCpuSeconds }));
    const timer = setTimeout(() => {
      session.kill();
    }, config.startTimeoutMs);
    try {
      const init = await session.call('<call val="Init"><option val="none"/></call>');
      session.tip = readStateId(init) ?? 1;
      const loaded = await session.exec(config.importSentence);
      if (!loaded.ok) throw new SessionError(`the kernel does not load: ${loaded.error}`);
      session.checkpoint = session.tip;
      return session;
    } catch (error) {
      session.kill();
      throw error instanceof SessionError ? error : new SessionError('coqidetop did not start', { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async exec(sentence: string): Promise<StepResult> {
    const added = await this.push(sentence);
    if (!added.ok) return added;
    // Status with force=true makes Coq execute (and fully check) everything up to the tip now.
    const status = await this.call('<call val="Status"><bool val="true"/></call>');
    if (status.attrs.val !== 'good') return this.failure(status);
    const errors = this.takeFeedback('0').filter((f) => f.level === 'error');
    if (errors.length > 0) return { ok: false, error: errors.map((f) => f.text).join('\n'), messages: [] };
    return { ok: true, messages: [] };
  }

  async push(sentence: string): Promise<StepResult> {
    const added = await this.call(
      `<call val="Add"><pair><pair><pair><pair>${str(sentence)}<int>-1</int></pair><pair>${stateId(this.tip)}<bool val="false"/></pair></pair><int>0</int></pair><pair><int>0</int><int>0</int></pair></pair></call>`,
    );
    if (added.attrs.val !== 'good') return this.failure(added);
    const next = readStateId(added);
    if (next === undefined) throw new SessionError('Add answered without a state id');
    this.tip = next;
    return { ok: true, messages: [] };
  }

  async goals(): Promise<GoalsState | { readonly error: string }> {
    // Goal executes every pushed sentence first; a failure names the first sentence that failed.
    const answer = await this.call('<call val="Goal"><unit/></call>');
    if (answer.attrs.val !== 'good') return { error: this.failure(answer).error };
    const errors = this.takeFeedback('0').filter((f) => f.level === 'error');
    if (errors.length > 0) return { error: errors.map((f) => f.text).join('\n') };
    const option = elementsOf(answer)[0];
    if (option?.attrs.val !== 'some') return { proving: false, remaining: [] };
    return { proving: true, remaining: collectGoals(option, []) };
  }

  async query(text: string): Promise<StepResult> {
    // A fresh route id per query: only Coq's answer to this query carries it, never text the proof printed.
    const route = String(randomInt(1_000_000, 2_000_000_000));
    const answer = await this.call(`<call val="Query"><pair><route_id val="${route}"/><pair>${str(text)}${stateId(this.tip)}</pair></pair></call>`);
    // Only notices are answers; info messages such as "Fetching opaque proofs from disk" are not.
    const messages = this.takeFeedback(route).filter((f) => f.level === 'notice').map((f) => f.text);
    if (answer.attrs.val !== 'good') return { ...this.failure(answer), messages };
    return { ok: true, messages };
  }

  async rollback(): Promise<void> {
    const answer = await this.call(`<call val="Edit_at">${stateId(this.checkpoint)}</call>`);
    if (answer.attrs.val !== 'good') throw new SessionError(`Edit_at failed: ${textOf(answer)}`);
    this.tip = this.checkpoint;
    this.feedback = [];
  }

  interrupt(): void {
    if (this.child.pid !== undefined && this.dead === undefined) this.child.kill('SIGINT');
  }

  kill(): void {
    // Once the process has exited its pid may be reused: never signal it again.
    if (this.child.exitCode === null && this.child.signalCode === null) killGroup(this.child);
    this.fail(new SessionError('coqidetop was killed'));
  }

  /** Turns a `fail` answer into a step failure, moving the tip back to the last good state Coq names. */
  private failure(answer: XmlElement): { ok: false; error: string; messages: readonly string[] } {
    this.takeFeedback('0');
    return { ok: false, error: textOf(answer).trim(), messages: [] };
  }

  /** Removes and returns the feedback messages of one route. */
  private takeFeedback(route: string): Feedback[] {
    const taken = this.feedback.filter((f) => f.route === route);
    this.feedback = this.feedback.filter((f) => f.route !== route);
    return taken;
  }

  private call(xml: string): Promise<XmlElement> {
    if (this.dead !== undefined) return Promise.reject(this.dead);
    if (this.pending !== undefined) return Promise.reject(new SessionError('a call is already in flight'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.stdin.write(xml);
    });
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    // One element larger than this is a flood from a hostile proof, not an answer worth reading.
    if (this.buffer.length > maxBufferChars) {
      this.fail(new SessionError('coqidetop sent more output than the engine keeps'));
      this.kill();
      return;
    }
    // Every top-level element Coq sends ends with </value> or </feedback>; parse only once one has arrived, so a
    // huge answer arriving in many chunks is not re-read from its start for each chunk.
    const tail = this.buffer.slice(-(chunk.length + 16));
    if (!tail.includes('</value>') && !tail.includes('</feedback>')) return;
    let parsed;
    try {
      parsed = takeElements(this.buffer);
    } catch (error) {
      this.fail(new SessionError('coqidetop sent malformed XML', { cause: error }));
      this.kill();
      return;
    }
    this.buffer = parsed.rest;
    for (const element of parsed.elements) this.onElement(element);
  }

  private onElement(element: XmlElement): void {
    if (element.name === 'feedback') {
      const content = findElement(element, 'feedback_content');
      if (content?.attrs.val !== 'message') return;
      const level = findElement(content, 'message_level')?.attrs.val ?? 'notice';
      const body = findElement(content, 'richpp') ?? content;
      const route = element.attrs.route ?? '0';
      // Of the proof's own output (route 0) only errors matter; everything it prints otherwise is dropped.
      if (route === '0' && level !== 'error') return;
      if (this.feedback.length >= maxFeedback) this.feedback.shift();
      this.feedback.push({ route, level, text: textOf(body).trim().slice(0, maxMessageChars) });
      return;
    }
    if (element.name === 'value') {
      const pending = this.pending;
      this.pending = undefined;
      pending?.resolve(element);
    }
  }

  private fail(error: Error): void {
    this.dead ??= error;
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }
}
