// The image policy as an ordered list of small checks over a parsed Dockerfile; each returns violations.
import type { Dockerfile, Instruction, Stage } from './dockerfile.js';
import { readAssignments, substituteArgs } from './dockerfile.js';

/** Names of the policy rules, in the order they are checked. */
export const policyRules = [
  'multi-stage',
  'pinned-base',
  'no-add-url',
  'pinned-packages',
  'production-dependencies',
  'no-secrets',
  'non-root-user',
  'probe-ready',
  'oci-labels',
] as const;

/** One policy rule. */
export type PolicyRule = (typeof policyRules)[number];

/** One broken rule at one line. */
export interface Violation {
  readonly rule: PolicyRule;
  readonly line: number;
  readonly message: string;
}

/** The OCI annotations every image must carry. */
export const requiredLabels = [
  'org.opencontainers.image.title',
  'org.opencontainers.image.source',
  'org.opencontainers.image.version',
  'org.opencontainers.image.revision',
  'org.opencontainers.image.licenses',
] as const;

const secretName = /(TOKEN|PASSWORD|PASSWD|SECRET|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY)/i;
const exactVersionTag = /(^|[^0-9])\d+\.\d+\.\d+([^0-9]|$)|(^|[^0-9])\d{8}([^0-9]|$)/;
const digest = /@sha256:[0-9a-f]{64}$/;

/** Checks every rule and returns the violations, empty when the Dockerfile follows the policy. */
export function checkDockerfilePolicy(dockerfile: Dockerfile): Violation[] {
  return [
    ...checkMultiStage(dockerfile),
    ...checkPinnedBase(dockerfile),
    ...checkNoAddUrl(dockerfile),
    ...checkPinnedPackages(dockerfile),
    ...checkProductionDependencies(dockerfile),
    ...checkNoSecrets(dockerfile),
    ...checkNonRootUser(dockerfile),
    ...checkProbeReady(dockerfile),
    ...checkOciLabels(dockerfile),
  ];
}

/** The stage that becomes the image. */
export function findFinalStage(dockerfile: Dockerfile): Stage {
  const final = dockerfile.stages.at(-1);
  if (!final) throw new Error('a parsed Dockerfile always has a stage');
  return final;
}

function checkMultiStage(dockerfile: Dockerfile): Violation[] {
  if (dockerfile.stages.length >= 2) return [];
  return [{ rule: 'multi-stage', line: findFinalStage(dockerfile).fromLine, message: 'build in a separate stage so the toolchain stays out of the image' }];
}

function checkPinnedBase(dockerfile: Dockerfile): Violation[] {
  const violations: Violation[] = [];
  const earlier = new Set<string>();
  for (const stage of dockerfile.stages) {
    const reference = stage.resolvedFrom;
    const isEarlierStage = earlier.has(reference.toLowerCase());
    if (stage.name !== undefined) earlier.add(stage.name);
    if (isEarlierStage || reference === 'scratch' || digest.test(reference)) continue;
    if (reference.includes('$')) {
      violations.push({ rule: 'pinned-base', line: stage.fromLine, message: `base ${stage.from} depends on an ARG without a default` });
      continue;
    }
    const tag = readTag(reference);
    if (tag === undefined || tag === 'latest' || !exactVersionTag.test(tag)) {
      violations.push({ rule: 'pinned-base', line: stage.fromLine, message: `base ${reference} is not pinned to an exact version or digest` });
    }
  }
  return violations;
}

function readTag(reference: string): string | undefined {
  const lastSegment = reference.split('/').at(-1) ?? '';
  const colon = lastSegment.indexOf(':');
  return colon < 0 ? undefined : lastSegment.slice(colon + 1);
}

function checkNoAddUrl(dockerfile: Dockerfile): Violation[] {
  return dockerfile.instructions
    .filter((instruction) => instruction.keyword === 'ADD')
    .filter((instruction) => (instruction.exec ?? instruction.args.split(/\s+/)).some((source) => /^(https?|git|ftp):\/\/|^git@/i.test(source)))
    .map((instruction) => ({ rule: 'no-add-url', line: instruction.line, message: 'ADD of a URL fetches unverified content; download with a checksum in RUN instead' }));
}

function checkPinnedPackages(dockerfile: Dockerfile): Violation[] {
  const violations: Violation[] = [];
  for (const stage of dockerfile.stages) {
    const args = { ...dockerfile.globalArgs, ...readStageArgs(stage) };
    for (const instruction of stage.instructions.filter((item) => item.keyword === 'RUN')) {
      const script = substituteArgs([instruction.args, ...instruction.heredocs].join('\n'), args);
      for (const command of script.split(/&&|;|\|\||\n/)) {
        for (const unpinned of findUnpinnedPackages(command.trim())) {
          violations.push({ rule: 'pinned-packages', line: instruction.line, message: `package ${unpinned} has no pinned version` });
        }
      }
    }
  }
  return violations;
}

function readStageArgs(stage: Stage): Record<string, string | undefined> {
  const args: Record<string, string | undefined> = {};
  for (const instruction of stage.instructions.filter((item) => item.keyword === 'ARG')) {
    for (const [key, value] of readAssignments(instruction.args)) args[key] = value;
  }
  return args;
}

/** Package names in one shell command that an installer would resolve to whatever is newest. */
export function findUnpinnedPackages(command: string): string[] {
  const words = command.split(/\s+/).map((word) => word.replace(/^["']|["']$/g, '')).filter((word) => word !== '' && word !== '\\');
  const operands = (start: number): string[] => words.slice(start).filter((word) => !word.startsWith('-'));
  const position = (...sequence: string[]): number => {
    for (let index = 0; index + sequence.length <= words.length; index += 1) {
      if (sequence.every((word, offset) => words[index + offset] === word)) return index + sequence.length;
    }
    return -1;
  };
  for (const installer of [['apt-get', 'install'], ['apt', 'install']]) {
    const at = position(...installer);
    if (at >= 0) return operands(at).filter((name) => !name.includes('='));
  }
  const opam = position('opam', 'install');
  if (opam >= 0) return operands(opam).filter((name) => !/^[a-z0-9_-]+\.\d/i.test(name));
  for (const installer of [['npm', 'install'], ['npm', 'i'], ['npm', 'add']]) {
    const at = position(...installer);
    // A bare `npm install` follows the lockfile loosely; only `npm ci` is reproducible.
    if (at >= 0) return operands(at).length === 0 ? ['(npm install without a lockfile; use npm ci)'] : operands(at).filter((name) => !/^@?[^@]+@\d/.test(name));
  }
  const pip = position('pip', 'install');
  if (pip >= 0) return operands(pip).filter((name) => !name.includes('=='));
  const apk = position('apk', 'add');
  if (apk >= 0) return operands(apk).filter((name) => !name.includes('='));
  return [];
}

function checkProductionDependencies(dockerfile: Dockerfile): Violation[] {
  const final = findFinalStage(dockerfile);
  const violations: Violation[] = [];
  for (const copy of final.instructions.filter((item) => item.keyword === 'COPY' && item.flags.from !== undefined)) {
    if (!copy.args.includes('node_modules')) continue;
    const source = dockerfile.stages.find((stage) => stage.name === copy.flags.from?.toLowerCase());
    const pruned = source?.instructions.some((item) => item.keyword === 'RUN' && /npm (ci|prune)\b[^&;]*(--omit=dev|--production)/.test(item.args));
    if (pruned !== true) {
      violations.push({ rule: 'production-dependencies', line: copy.line, message: `node_modules from stage ${copy.flags.from ?? ''} may contain dev dependencies; install with npm ci --omit=dev` });
    }
  }
  return violations;
}

function checkNoSecrets(dockerfile: Dockerfile): Violation[] {
  const violations: Violation[] = [];
  for (const instruction of dockerfile.instructions.filter((item) => item.keyword === 'ENV' || item.keyword === 'ARG')) {
    for (const [name, value] of readAssignments(instruction.args)) {
      if (!secretName.test(name)) continue;
      const why = value === undefined || value === '' ? 'build arguments are recorded in the image history' : 'the value is baked into the image';
      violations.push({ rule: 'no-secrets', line: instruction.line, message: `${instruction.keyword} ${name} looks like a secret: ${why}; use RUN --mount=type=secret` });
    }
  }
  return violations;
}

function checkNonRootUser(dockerfile: Dockerfile): Violation[] {
  const final = findFinalStage(dockerfile);
  const user = final.instructions.filter((item) => item.keyword === 'USER').at(-1);
  if (!user) return [{ rule: 'non-root-user', line: final.fromLine, message: 'the final stage sets no USER, so the image runs as root' }];
  const [uid = ''] = user.args.trim().split(':');
  // A numeric UID lets the kubelet prove runAsNonRoot without reading /etc/passwd.
  if (!/^\d+$/.test(uid)) return [{ rule: 'non-root-user', line: user.line, message: `USER ${user.args} must be a numeric UID` }];
  if (Number(uid) === 0) return [{ rule: 'non-root-user', line: user.line, message: 'USER 0 is root' }];
  return [];
}

function checkProbeReady(dockerfile: Dockerfile): Violation[] {
  const final = findFinalStage(dockerfile);
  const healthcheck = final.instructions.filter((item) => item.keyword === 'HEALTHCHECK').at(-1);
  const entrypoint = final.instructions.filter((item) => item.keyword === 'ENTRYPOINT').at(-1);
  const violations: Violation[] = [];
  if (!healthcheck || /^NONE\b/i.test(healthcheck.args)) {
    violations.push({ rule: 'probe-ready', line: final.fromLine, message: 'the final stage has no HEALTHCHECK' });
  }
  if (entrypoint?.exec === undefined) {
    // Shell form puts /bin/sh at PID 1, which swallows SIGTERM and breaks graceful shutdown.
    violations.push({ rule: 'probe-ready', line: entrypoint?.line ?? final.fromLine, message: 'the final stage needs an exec-form (JSON) ENTRYPOINT' });
  }
  return violations;
}

function checkOciLabels(dockerfile: Dockerfile): Violation[] {
  const final = findFinalStage(dockerfile);
  const labels = new Set(final.instructions.filter((item) => item.keyword === 'LABEL').flatMap((item) => readAssignments(item.args).map(([key]) => key)));
  return requiredLabels
    .filter((label) => !labels.has(label))
    .map((label) => ({ rule: 'oci-labels', line: final.fromLine, message: `label ${label} is missing` }));
}

/** The instructions of a stage with a keyword, for assertions about specific images. */
export function findInstructions(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((item) => item.keyword === keyword);
}
