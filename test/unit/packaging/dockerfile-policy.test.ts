import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { parseDockerfile } from './dockerfile.js';
import { checkDockerfilePolicy, findFinalStage, findInstructions, findUnpinnedPackages } from './dockerfile-policy.js';

const root = new URL('../../../../', import.meta.url);

// A Dockerfile that follows every rule; each bad case below breaks exactly one.
const good = `ARG BASE=node:24.11.1-bookworm-slim
FROM \${BASE} AS deps
RUN npm ci --omit=dev
FROM \${BASE}
LABEL org.opencontainers.image.title=t org.opencontainers.image.source=s \\
      org.opencontainers.image.version=1 org.opencontainers.image.revision=r org.opencontainers.image.licenses=l
COPY --from=deps /app/node_modules ./node_modules
USER 1000
HEALTHCHECK CMD ["node", "-e", "0"]
ENTRYPOINT ["node", "main.js"]
`;

const badCases = [
  { name: 'a single stage', rule: 'multi-stage', edit: (text: string) => text.replace(/^ARG BASE.*\nFROM \$\{BASE\} AS deps\nRUN npm ci --omit=dev\n/m, 'ARG BASE=node:24.11.1-bookworm-slim\n').replace('COPY --from=deps /app/node_modules ./node_modules\n', '') },
  { name: 'a latest base', rule: 'pinned-base', edit: (text: string) => text.replace('node:24.11.1-bookworm-slim', 'node:latest') },
  { name: 'a major-only base tag', rule: 'pinned-base', edit: (text: string) => text.replace('node:24.11.1-bookworm-slim', 'node:24-slim') },
  { name: 'an untagged base', rule: 'pinned-base', edit: (text: string) => text.replace('node:24.11.1-bookworm-slim', 'node') },
  { name: 'ADD of a URL', rule: 'no-add-url', edit: (text: string) => text.replace('USER 1000', 'ADD https://example.invalid/x.tgz /x\nUSER 1000') },
  { name: 'an unpinned apt package', rule: 'pinned-packages', edit: (text: string) => text.replace('RUN npm ci --omit=dev', 'RUN apt-get update && apt-get install -y curl=7.1 git\nRUN npm ci --omit=dev') },
  { name: 'an unpinned opam package', rule: 'pinned-packages', edit: (text: string) => text.replace('RUN npm ci --omit=dev', 'RUN opam install coq\nRUN npm ci --omit=dev') },
  { name: 'npm install without a lockfile', rule: 'pinned-packages', edit: (text: string) => text.replace('RUN npm ci --omit=dev', 'RUN npm install\nRUN npm ci --omit=dev') },
  { name: 'dev dependencies', rule: 'production-dependencies', edit: (text: string) => text.replace('npm ci --omit=dev', 'npm ci') },
  { name: 'an ENV token', rule: 'no-secrets', edit: (text: string) => text.replace('USER 1000', 'ENV GITHUB_TOKEN=ghp_x\nUSER 1000') },
  { name: 'an ARG password', rule: 'no-secrets', edit: (text: string) => text.replace('USER 1000', 'ARG DB_PASSWORD=hunter2\nUSER 1000') },
  { name: 'no USER', rule: 'non-root-user', edit: (text: string) => text.replace('USER 1000\n', '') },
  { name: 'USER root', rule: 'non-root-user', edit: (text: string) => text.replace('USER 1000', 'USER root') },
  { name: 'USER 0:0', rule: 'non-root-user', edit: (text: string) => text.replace('USER 1000', 'USER 0:0') },
  { name: 'no HEALTHCHECK', rule: 'probe-ready', edit: (text: string) => text.replace(/HEALTHCHECK.*\n/, '') },
  { name: 'a shell-form ENTRYPOINT', rule: 'probe-ready', edit: (text: string) => text.replace('ENTRYPOINT ["node", "main.js"]', 'ENTRYPOINT node main.js') },
  { name: 'a missing revision label', rule: 'oci-labels', edit: (text: string) => text.replace(' org.opencontainers.image.revision=r', '') },
] as const;

describe('checkDockerfilePolicy', () => {
  describe('when a Dockerfile follows every rule', () => {
    it('reports nothing', () => {
      expect(checkDockerfilePolicy(parseDockerfile(good))).to.deep.equal([]);
    });
  });

  for (const { name, rule, edit } of badCases) {
    describe(`when a Dockerfile has ${name}`, () => {
      it(`reports exactly the ${rule} rule`, () => {
        const text = edit(good);
        expect(text, 'the case must change the Dockerfile').to.not.equal(good);
        const rules = [...new Set(checkDockerfilePolicy(parseDockerfile(text)).map((violation) => violation.rule))];
        expect(rules).to.deep.equal([rule]);
      });
    });
  }
});

describe('findUnpinnedPackages', () => {
  const cases = [
    { name: 'pinned apt packages', command: 'DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends a=1 b=2', expected: [] },
    { name: 'a mix of apt packages', command: 'apt-get install -y a=1 b', expected: ['b'] },
    { name: 'pinned opam packages', command: 'opam install --switch=coq "coq.8.20.1" coq-serapi.8.20.0+0.20.0', expected: [] },
    { name: 'a pinned npm package', command: 'npm install -g npm@11.0.0', expected: [] },
    { name: 'an unpinned pip package', command: 'pip install requests', expected: ['requests'] },
    { name: 'no installer', command: 'echo apt-get', expected: [] },
  ];
  for (const { name, command, expected } of cases) {
    describe(`when given ${name}`, () => {
      it('returns the unpinned names', () => {
        expect(findUnpinnedPackages(command)).to.deep.equal(expected);
      });
    });
  }
});

for (const image of ['operator', 'prover'] as const) {
  describe(`Dockerfile.${image}`, () => {
    let text = '';
    before(async () => {
      text = await readFile(new URL(`Dockerfile.${image}`, root), 'utf8');
    });

    it('follows every policy rule', () => {
      expect(checkDockerfilePolicy(parseDockerfile(text))).to.deep.equal([]);
    });

    it('runs as UID 1000 with node as the exec-form entry point', () => {
      const final = findFinalStage(parseDockerfile(text));
      expect(findInstructions(final, 'USER').at(-1)?.args).to.equal('1000:1000');
      expect(findInstructions(final, 'ENTRYPOINT').at(-1)?.exec).to.deep.equal(['node', `/app/dist/${image}/src/main.js`]);
    });

    it('copies only root-owned files from build stages, so the process cannot rewrite its code', () => {
      const final = findFinalStage(parseDockerfile(text));
      const fromStages = findInstructions(final, 'COPY').filter((copy) => copy.flags.from !== undefined && copy.flags.from !== 'coq' && copy.args !== '/usr/local/bin/node /usr/local/bin/node');
      expect(fromStages).to.not.be.empty;
      for (const copy of fromStages) expect(copy.flags.chown, copy.args).to.equal('0:0');
    });
  });
}

describe('Dockerfile.prover', () => {
  let text = '';
  before(async () => {
    text = await readFile(new URL('Dockerfile.prover', root), 'utf8');
  });

  it('pins Coq 8.20.1 and the matching SerAPI release', () => {
    const coq = parseDockerfile(text).stages.find((stage) => stage.name === 'coq');
    const args = Object.fromEntries(findInstructions(coq!, 'ARG').map((arg) => arg.args.split('=') as [string, string]));
    expect(args).to.include({ COQ_VERSION: '8.20.1', SERAPI_VERSION: '8.20.0+0.20.0' });
  });

  it('compiles the kernel at build time and ships the compiled kernel', () => {
    const parsed = parseDockerfile(text);
    const build = parsed.stages.find((stage) => stage.name === 'build');
    expect(findInstructions(build!, 'RUN').some((run) => /coqc -Q \. PXLs PXLv3\.v/.test(run.args))).to.equal(true);
    expect(findInstructions(findFinalStage(parsed), 'COPY').some((copy) => copy.flags.from === 'build' && copy.args.includes('/src/prover/kernel'))).to.equal(true);
  });

  it('writes its audit log under /var/log, the only writable path besides /tmp', () => {
    const final = findFinalStage(parseDockerfile(text));
    const cmd = findInstructions(final, 'CMD').at(-1)?.exec ?? [];
    expect(cmd[cmd.indexOf('--audit-log') + 1]).to.match(/^\/var\/log\//);
    expect(findInstructions(final, 'ENV').map((env) => env.args).join(' ')).to.match(/TMPDIR=\/tmp/);
  });
});
