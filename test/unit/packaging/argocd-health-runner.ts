// Runs an Argo CD health.lua against one object in the real Lua 5.1 interpreter, the way Argo CD calls it.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { healthScriptsDir, repositoryRoot } from '../../../scripts/sync-packaging.js';
import { toLuaLiteral } from './lua-literal.js';

const run = promisify(execFile);

/** What a health script returns: an Argo CD health status and its message. */
export interface Health {
  readonly status: string;
  readonly message: string;
}

// Argo CD sets the global `obj` and runs the script as a chunk whose return value is the health; gopher-lua
// opens only the base, table, string and math libraries, so the sandbox here offers nothing more.
const harness = (objLiteral: string): string => `
obj = ${objLiteral}
local chunk = assert(loadfile(arg[1]))
setfenv(chunk, { obj = obj, ipairs = ipairs, pairs = pairs, next = next, tostring = tostring, tonumber = tonumber,
  type = type, select = select, error = error, pcall = pcall, unpack = unpack, string = string, table = table, math = math })
local hs = chunk()
io.write(tostring(hs.status), "\\n", tostring(hs.message))
`;

/** Runs the health script of a pxl.logos.dev kind against an object (parsed JSON). */
export async function runHealthScript(kind: string, object: unknown): Promise<Health> {
  const dir = await mkdtemp(join(tmpdir(), 'pxl-health-'));
  try {
    const harnessPath = join(dir, 'harness.lua');
    await writeFile(harnessPath, harness(toLuaLiteral(object)));
    const script = join(repositoryRoot, healthScriptsDir, 'pxl.logos.dev', kind, 'health.lua');
    const { stdout } = await run('lua5.1', [harnessPath, script]);
    const newline = stdout.indexOf('\n');
    return { status: stdout.slice(0, newline), message: stdout.slice(newline + 1) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
