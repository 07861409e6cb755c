import { expect } from 'chai';
import { DockerfileSyntaxError, parseDockerfile, readAssignments } from './dockerfile.js';

describe('parseDockerfile', () => {
  describe('when instructions span continuation lines', () => {
    it('joins them, skipping comment and blank lines inside the continuation', () => {
      const parsed = parseDockerfile('FROM a:1.2.3\nRUN apt-get update \\\n# a comment\n\n && apt-get install -y x=1\n');
      const run = parsed.instructions[1];
      expect(run?.keyword).to.equal('RUN');
      expect(run?.args).to.equal('apt-get update  && apt-get install -y x=1');
      expect(run?.line).to.equal(2);
    });

    it('honours the escape directive', () => {
      const parsed = parseDockerfile('# escape=`\nFROM a:1.2.3\nRUN echo one `\n  two\n');
      expect(parsed.directives.escape).to.equal('`');
      expect(parsed.instructions[1]?.args).to.equal('echo one  two');
    });
  });

  describe('when an instruction uses the exec form', () => {
    it('reads the JSON array, and keeps shell form as text', () => {
      const parsed = parseDockerfile('FROM a:1.2.3\nENTRYPOINT ["node", "main.js"]\nCMD node main.js\n');
      expect(parsed.instructions[1]?.exec).to.deep.equal(['node', 'main.js']);
      expect(parsed.instructions[2]?.exec).to.equal(undefined);
    });
  });

  describe('when a RUN has a heredoc', () => {
    it('collects the body and goes on after the terminator', () => {
      const parsed = parseDockerfile('FROM a:1.2.3\nRUN <<EOF\napt-get install -y curl\nEOF\nUSER 1000\n');
      expect(parsed.instructions[1]?.heredocs).to.deep.equal(['apt-get install -y curl']);
      expect(parsed.instructions[2]?.keyword).to.equal('USER');
    });

    it('rejects an unterminated heredoc with its line', () => {
      expect(() => parseDockerfile('FROM a:1.2.3\nRUN <<EOF\necho\n')).to.throw(DockerfileSyntaxError, /line 2: heredoc EOF/);
    });
  });

  describe('when there are several stages', () => {
    it('splits them, names them and resolves global ARGs in FROM', () => {
      const parsed = parseDockerfile('ARG BASE=node:24.11.1-slim\nFROM ${BASE} AS Build\nRUN x\nFROM $BASE\nCOPY --from=build --chown=0:0 /a /b\n');
      expect(parsed.stages.map((stage) => stage.name)).to.deep.equal(['build', undefined]);
      expect(parsed.stages.map((stage) => stage.resolvedFrom)).to.deep.equal(['node:24.11.1-slim', 'node:24.11.1-slim']);
      expect(parsed.stages[1]?.instructions[0]?.flags).to.deep.equal({ from: 'build', chown: '0:0' });
      expect(parsed.stages[1]?.instructions[0]?.args).to.equal('/a /b');
    });
  });

  const invalid = [
    { name: 'no FROM', text: 'RUN true\n', message: /RUN before the first FROM/ },
    { name: 'empty file', text: '# only a comment\n', message: /no FROM/ },
    { name: 'malformed AS', text: 'FROM a:1.2.3 OF x\n', message: /FROM takes/ },
    { name: 'bad keyword', text: 'FROM a:1.2.3\nRUN-IT x\n', message: /unknown instruction/ },
  ];
  for (const { name, text, message } of invalid) {
    describe(`when the file has ${name}`, () => {
      it('throws a syntax error naming the problem', () => {
        expect(() => parseDockerfile(text)).to.throw(DockerfileSyntaxError, message);
      });
    });
  }
});

describe('readAssignments', () => {
  const cases = [
    { name: 'quoted values', text: 'a="x y" b=z', expected: [['a', 'x y'], ['b', 'z']] },
    { name: 'a bare ARG', text: 'NAME', expected: [['NAME', undefined]] },
    { name: 'the legacy ENV form', text: 'KEY some value', expected: [['KEY', 'some value']] },
    { name: 'escaped quotes', text: 'k="a \\"b\\""', expected: [['k', 'a "b"']] },
  ];
  for (const { name, text, expected } of cases) {
    describe(`when given ${name}`, () => {
      it('returns the pairs', () => {
        expect(readAssignments(text)).to.deep.equal(expected);
      });
    });
  }
});

describe('parseDockerfile properties', () => {
  describe('when a RUN is split over continuation lines at arbitrary points', () => {
    it('reads the same words as the one-line form', async () => {
      const { assert, property, array, stringMatching, integer } = await import('fast-check');
      // A leading `--word` would be a RUN flag (`--mount=…`), not a word of the command.
      const word = stringMatching(/^[a-z0-9=._][a-z0-9=._-]{0,7}$/);
      assert(
        property(array(word, { minLength: 1, maxLength: 12 }), integer({ min: 1, max: 4 }), (words, every) => {
          const lines = words.map((item, index) => ((index + 1) % every === 0 && index < words.length - 1 ? `${item} \\` : item));
          const text = `FROM a:1.2.3\nRUN ${lines.join(' ').replace(/\\ /g, '\\\n    ')}\n`;
          const run = parseDockerfile(text).instructions[1];
          return run?.keyword === 'RUN' && run.args.split(/\s+/).join(' ') === words.join(' ');
        }),
      );
    });
  });
});
