// The SerAPI driver: sertop's S-expression protocol (Add, Exec, Cancel, Query) over stdin/stdout.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { killGroup, sessionCpuSeconds, spawnLimited } from './process.js';
import { SessionError, type GoalsState, type ProtocolSession, type SessionConfig, type StepResult } from './session.js';
import { field, takeSexps, writeSexp, type Sexp } from './sexp.js';

/** A reply that ends a tagged command: Completed, or the answers and errors seen before it. */
interface Reply {
  readonly answers: readonly Sexp[];
  readonly errors: readonly string[];
  readonly messages: readonly { route: string; level: string; text: string }[];
}

/** Flattens a Coq pretty-printing S-expression (Pp_string, Pp_glue, …) into text. */
export function flattenPp(pp: Sexp | undefined): string {
  if (pp === undefined) return '';
  if (typeof pp === 'string') return '';
  const [head, ...rest] = pp;
  // A list of documents (as inside Pp_glue) rather than one tagged document.
  if (typeof head !== 'string') return pp.map(flattenPp).join('');
  if (head === 'Pp_string' && typeof rest[0] === 'string') return rest[0];
  if (head === 'Pp_force_newline') return '\n';
  if (head === 'Pp_print_break') return ' ';
  return rest.map(flattenPp).join('');
}

/** Reads the text of a Message feedback or a CoqExn: its `str` field if present, else its flattened `pp`. */
function messageText(body: Sexp | undefined): string {
  const str = field(body, 'str');
  if (typeof str === 'string') return str;
  return flattenPp(field(body, 'pp'));
}

/** A sertop process speaking SerAPI. */
export class SerApiSession implements ProtocolSession {
  readonly exited: Promise<void>;
  private buffer = '';
  private tag = 0;
  private current: { tag: string; answers: Sexp[]; errors: string[]; messages: { route: string; level: string; text: string }[]; resolve: (r: Reply) => void; reject: (e: Error) => void } | undefined;
  private tip = 1;
  private checkpoint = 1;
  private added: number[] = [];
  private dead: Error | undefined;

  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      this.onData(chunk);
    });
    child.stderr.resume();
    child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      child.on('exit', () => {
        this.fail(new SessionError('sertop exited'));
        resolve();
      });
      child.on('error', (error) => {
        this.fail(new SessionError('sertop could not be started', { cause: error }));
        resolve();
      });
    });
  }

  /** Starts sertop, loads the kernel and takes the checkpoint. */
  static async start(config: SessionConfig): Promise<SerApiSession> {
    const args = ['--implicit', '--omit_loc'];
    for (const [dir, logical] of config.loadPaths) args.push('-Q', `${dir},${logical}`);
    const session = new SerApiSession(spawnLimited(config.program, args, config.cwd, { memoryKiB: config.memoryKiB, cpuSeconds: sessionCpuSeconds }));
    const timer = setTimeout(() => {
      session.kill();
    }, config.startTimeoutMs);
    try {
      const loaded = await session.exec(config.importSentence);
      if (!loaded.ok) throw new SessionError(`the kernel does not load: ${loaded.error}`);
      session.checkpoint = session.tip;
      session.added = [];
      return session;
    } catch (error) {
      session.kill();
      throw error instanceof SessionError ? error : new SessionError('sertop did not start', { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async exec(sentence: string): Promise<StepResult> {
    // lim 1: parse exactly one sentence, as coqidetop's Add does; the engine splits sentences itself.
    const added = await this.send(['Add', [['lim', '1'], ['ontop', String(this.tip)]], sentence]);
    if (added.errors.length > 0) return { ok: false, error: added.errors.join('\n'), messages: [] };
    const sids = added.answers.filter((a): a is readonly Sexp[] => typeof a !== 'string' && a[0] === 'Added').map((a) => Number(a[1]));
    const sid = sids.at(-1);
    if (sid === undefined) return { ok: false, error: 'Coq added no sentence', messages: [] };
    this.added.push(...sids);
    this.tip = sid;
    const executed = await this.send(['Exec', String(sid)]);
    const errors = [...executed.errors, ...executed.messages.filter((m) => m.level === 'Error').map((m) => m.text)];
    if (errors.length > 0) return { ok: false, error: errors.join('\n'), messages: [] };
    return { ok: true, messages: [] };
  }

  async push(sentence: string): Promise<StepResult> {
    // SerAPI queries never force execution, so a pushed sentence is executed at once.
    return this.exec(sentence);
  }

  async goals(): Promise<GoalsState | { readonly error: string }> {
    const reply = await this.send(['Query', [['sid', String(this.tip)], ['pp', [['pp_format', 'PpStr']]]], 'Goals']);
    const objects = reply.answers.find((a): a is readonly Sexp[] => typeof a !== 'string' && a[0] === 'ObjList');
    const list = objects?.[1];
    if (list === undefined || typeof list === 'string' || list.length === 0) return { proving: false, remaining: [] };
    const texts = list.map((item) => (typeof item !== 'string' && typeof item[1] === 'string' ? item[1] : ''));
    return { proving: true, remaining: texts.filter((t) => t.trim() !== '') };
  }

  async query(text: string): Promise<StepResult> {
    // A fresh route per query: only Coq's answer to this query carries it.
    const route = String(1_000_000 + Math.floor(Math.random() * 1_000_000_000));
    const reply = await this.send(['Query', [['sid', String(this.tip)], ['route', route]], ['Vernac', text]]);
    const messages = reply.messages.filter((m) => m.route === route && m.level === 'Notice').map((m) => m.text);
    if (reply.errors.length > 0) return { ok: false, error: reply.errors.join('\n'), messages };
    return { ok: true, messages };
  }

  async rollback(): Promise<void> {
    if (this.added.length > 0) await this.send(['Cancel', this.added.map(String)]);
    this.added = [];
    this.tip = this.checkpoint;
  }

  interrupt(): void {
    if (this.dead === undefined) this.child.kill('SIGINT');
  }

  kill(): void {
    // Once the process has exited its pid may be reused: never signal it again.
    if (this.child.exitCode === null && this.child.signalCode === null) killGroup(this.child);
    this.fail(new SessionError('sertop was killed'));
  }

  private send(command: Sexp): Promise<Reply> {
    if (this.dead !== undefined) return Promise.reject(this.dead);
    if (this.current !== undefined) return Promise.reject(new SessionError('a command is already in flight'));
    this.tag += 1;
    const tag = `pxl${this.tag}`;
    return new Promise((resolve, reject) => {
      this.current = { tag, answers: [], errors: [], messages: [], resolve, reject };
      this.child.stdin.write(`${writeSexp([tag, command])}\n`);
    });
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let parsed;
    try {
      parsed = takeSexps(this.buffer);
    } catch (error) {
      this.fail(new SessionError('sertop sent a malformed S-expression', { cause: error }));
      this.kill();
      return;
    }
    this.buffer = parsed.rest;
    for (const value of parsed.values) this.onValue(value);
  }

  private onValue(value: Sexp): void {
    const current = this.current;
    if (typeof value === 'string' || current === undefined) return;
    if (value[0] === 'Feedback') {
      const body = value[1];
      const contents = field(body, 'contents');
      if (typeof contents !== 'string' && contents?.[0] === 'Message') {
        const details = contents.slice(1);
        const level = field(details, 'level');
        const route = field(body, 'route');
        const entry = { route: typeof route === 'string' ? route : '0', level: typeof level === 'string' ? level : 'Notice', text: messageText(details).trim().slice(0, 256 * 1024) };
        // Of the proof's own output (route 0) only errors matter; the rest is dropped, and at most 200 are kept.
        if ((entry.route !== '0' || entry.level === 'Error') && current.messages.length < 200) current.messages.push(entry);
      }
      return;
    }
    if (value[0] !== 'Answer' || value[1] !== current.tag) return;
    const answer = value[2];
    if (answer === 'Completed') {
      this.current = undefined;
      current.resolve({ answers: current.answers, errors: current.errors, messages: current.messages });
    } else if (typeof answer !== 'string' && answer !== undefined && answer[0] === 'CoqExn') {
      current.errors.push(messageText(answer[1]) || 'Coq raised an error');
    } else if (answer !== undefined && answer !== 'Ack') {
      current.answers.push(answer);
    }
  }

  private fail(error: Error): void {
    this.dead ??= error;
    const current = this.current;
    this.current = undefined;
    current?.reject(error);
  }
}
