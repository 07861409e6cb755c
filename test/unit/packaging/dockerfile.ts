// A small Dockerfile parser: enough of the reference grammar to check our images' policies statically.
// It follows the builder's own rules where they matter for policy: parser directives, the escape
// character, line continuations (with comment and blank lines inside them skipped), heredocs, exec (JSON)
// versus shell form, stages, and global ARG substitution in FROM.

/** One instruction as the builder sees it after joining continuation lines. */
export interface Instruction {
  /** The keyword in upper case, e.g. `RUN`. */
  readonly keyword: string;
  /** Everything after the keyword and its `--flags`, continuation lines joined by a space. */
  readonly args: string;
  /** `--name=value` flags before the arguments, e.g. `{ from: 'build', chown: '0:0' }`. */
  readonly flags: Readonly<Record<string, string>>;
  /** The exec form as a list when the arguments are a JSON array of strings. */
  readonly exec?: readonly string[];
  /** Heredoc bodies that followed the instruction, in order. */
  readonly heredocs: readonly string[];
  /** 1-based line where the instruction starts. */
  readonly line: number;
}

/** One build stage: a FROM and the instructions up to the next FROM. */
export interface Stage {
  readonly index: number;
  /** The `AS name`, lower-cased as the builder treats it. */
  readonly name?: string;
  /** The base image reference exactly as written. */
  readonly from: string;
  /** The base reference with global ARG defaults substituted. */
  readonly resolvedFrom: string;
  readonly fromLine: number;
  readonly instructions: readonly Instruction[];
}

/** A parsed Dockerfile. */
export interface Dockerfile {
  readonly directives: Readonly<Record<string, string>>;
  /** Global ARGs (before the first FROM) and their defaults. */
  readonly globalArgs: Readonly<Record<string, string | undefined>>;
  readonly instructions: readonly Instruction[];
  readonly stages: readonly Stage[];
}

/** The reason a Dockerfile could not be parsed, with its line. */
export class DockerfileSyntaxError extends Error {
  /** Creates the error for a 1-based line. */
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
    this.name = 'DockerfileSyntaxError';
  }
}

const directivePattern = /^#\s*([a-zA-Z]+)\s*=\s*(.*?)\s*$/;
const heredocPattern = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

/** Parses Dockerfile text into instructions and stages. */
export function parseDockerfile(text: string): Dockerfile {
  const lines = text.split(/\r?\n/);
  const directives = readDirectives(lines);
  const escape = directives.escape ?? '\\';
  const instructions: Instruction[] = [];
  let index = 0;
  while (index < lines.length) {
    const start = index;
    const first = lines[index] ?? '';
    index += 1;
    if (isBlankOrComment(first)) continue;
    let joined = first.trimEnd();
    while (joined.endsWith(escape) && index < lines.length) {
      joined = joined.slice(0, -escape.length);
      const next = lines[index] ?? '';
      index += 1;
      // The builder drops comment and empty lines inside a continuation instead of ending it.
      if (isBlankOrComment(next)) {
        joined += escape;
        continue;
      }
      joined += ' ' + next.trim();
    }
    const heredocs: string[] = [];
    for (const match of joined.matchAll(heredocPattern)) {
      const stripTabs = match[1] === '-';
      const word = match[3] ?? '';
      const body: string[] = [];
      let closed = false;
      while (index < lines.length) {
        const bodyLine = lines[index] ?? '';
        index += 1;
        const candidate = stripTabs ? bodyLine.replace(/^\t+/, '') : bodyLine;
        if (candidate === word) {
          closed = true;
          break;
        }
        body.push(candidate);
      }
      if (!closed) throw new DockerfileSyntaxError(`heredoc ${word} is never closed`, start + 1);
      heredocs.push(body.join('\n'));
    }
    instructions.push(parseInstruction(joined.trim(), heredocs, start + 1));
  }
  return { directives, ...splitStages(instructions) };
}

function isBlankOrComment(line: string): boolean {
  const trimmed = line.trim();
  return trimmed === '' || trimmed.startsWith('#');
}

function readDirectives(lines: readonly string[]): Record<string, string> {
  const directives: Record<string, string> = {};
  for (const line of lines) {
    const match = directivePattern.exec(line);
    if (!match) break;
    directives[(match[1] ?? '').toLowerCase()] = match[2] ?? '';
  }
  return directives;
}

function parseInstruction(text: string, heredocs: string[], line: number): Instruction {
  const match = /^(\S+)\s*(.*)$/s.exec(text);
  if (!match) throw new DockerfileSyntaxError('empty instruction', line);
  const keyword = (match[1] ?? '').toUpperCase();
  if (!/^[A-Z]+$/.test(keyword)) throw new DockerfileSyntaxError(`unknown instruction ${match[1] ?? ''}`, line);
  let rest = match[2] ?? '';
  const flags: Record<string, string> = {};
  // HEALTHCHECK, RUN, COPY, ADD and FROM take leading --flags; anything else starting with -- is an argument.
  if (['ADD', 'COPY', 'FROM', 'RUN', 'HEALTHCHECK'].includes(keyword)) {
    for (;;) {
      const flag = /^--([a-z][a-z-]*)(?:=(\S*))?\s*/.exec(rest);
      if (!flag) break;
      flags[flag[1] ?? ''] = flag[2] ?? 'true';
      rest = rest.slice(flag[0].length);
    }
  }
  const exec = readExecForm(rest);
  return { keyword, args: rest, flags, heredocs, line, ...(exec ? { exec } : {}) };
}

function readExecForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(args);
    if (Array.isArray(parsed) && parsed.every((item) => typeof item === 'string')) return parsed;
  } catch {
    // Not JSON: the builder runs it in shell form, and so do we.
  }
  return undefined;
}

function splitStages(instructions: readonly Instruction[]): Pick<Dockerfile, 'globalArgs' | 'instructions' | 'stages'> {
  const globalArgs: Record<string, string | undefined> = {};
  const stages: Stage[] = [];
  let current: { head: Instruction; name?: string; from: string; body: Instruction[] } | undefined;
  const close = (): void => {
    if (!current) return;
    stages.push({
      index: stages.length,
      ...(current.name === undefined ? {} : { name: current.name }),
      from: current.from,
      resolvedFrom: substituteArgs(current.from, globalArgs),
      fromLine: current.head.line,
      instructions: current.body,
    });
  };
  for (const instruction of instructions) {
    if (instruction.keyword === 'FROM') {
      close();
      const [from = '', as, name] = instruction.args.split(/\s+/);
      if (from === '') throw new DockerfileSyntaxError('FROM needs an image', instruction.line);
      if (as !== undefined && (as.toUpperCase() !== 'AS' || name === undefined)) {
        throw new DockerfileSyntaxError('FROM takes `image [AS name]`', instruction.line);
      }
      current = { head: instruction, from, body: [], ...(name === undefined ? {} : { name: name.toLowerCase() }) };
    } else if (current) {
      current.body.push(instruction);
    } else if (instruction.keyword === 'ARG') {
      for (const [key, value] of readAssignments(instruction.args)) globalArgs[key] = value;
    } else {
      throw new DockerfileSyntaxError(`${instruction.keyword} before the first FROM`, instruction.line);
    }
  }
  close();
  if (stages.length === 0) throw new DockerfileSyntaxError('no FROM instruction', 1);
  return { globalArgs, instructions, stages };
}

/** Replaces `$NAME` and `${NAME}` with the ARG defaults, leaving unknown names as written. */
export function substituteArgs(text: string, args: Readonly<Record<string, string | undefined>>): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced?: string, bare?: string) => {
    const value = args[braced ?? bare ?? ''];
    return value ?? whole;
  });
}

/** Reads `key=value` pairs (quoted or not) as ENV, ARG and LABEL write them; a bare key has no value. */
export function readAssignments(text: string): [string, string | undefined][] {
  const pairs: [string, string | undefined][] = [];
  const pattern = /([^\s=]+)(?:=("(?:[^"\\]|\\.)*"|'[^']*'|\S*))?/g;
  // The legacy `ENV KEY value with spaces` form: one key, the rest is the value.
  const legacy = /^([^\s=]+)\s+([^=].*)$/s.exec(text.trim());
  if (legacy && !/^\S+=/.test(text.trim())) return [[legacy[1] ?? '', legacy[2] ?? '']];
  for (const match of text.matchAll(pattern)) {
    const raw = match[2];
    pairs.push([match[1] ?? '', raw === undefined ? undefined : unquote(raw)]);
  }
  return pairs;
}

function unquote(raw: string): string {
  if (raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2) return raw.slice(1, -1).replace(/\\(.)/g, '$1');
  if (raw.startsWith("'") && raw.endsWith("'") && raw.length >= 2) return raw.slice(1, -1);
  return raw;
}
