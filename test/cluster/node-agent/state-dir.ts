import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** One container process the agent started, as recorded on disk. */
export interface ProcessRecord {
  readonly pid: number;
  readonly startTicks: string;
  readonly startedAt: string;
}

/** What the agent remembers of a Pod across its own restarts. */
export interface PodRecord {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly nodeName: string;
  readonly podIP: string | undefined;
  readonly processes: Readonly<Record<string, ProcessRecord>>;
}

/** The layout of `<state-dir>/pods/<uid>/`. */
export class PodDir {
  constructor(readonly root: string) {}

  /** The directory of one volume. */
  get volumes(): string {
    return path.join(this.root, 'volumes');
  }

  /** A writable HOME for the Pod's processes. */
  get home(): string {
    return path.join(this.root, 'home');
  }

  /** TMPDIR when the Pod mounts nothing at /tmp. */
  get tmp(): string {
    return path.join(this.root, 'tmp');
  }

  /** The kubeconfig that stands in for in-cluster config. */
  get kubeconfig(): string {
    return path.join(this.root, 'kubeconfig');
  }

  /** Where a container's stdout and stderr go. */
  logPath(container: string): string {
    return path.join(this.root, `${container}.log`);
  }

  private get recordPath(): string {
    return path.join(this.root, 'pod.json');
  }

  /** Creates the directories a Pod needs before its volumes are written. */
  async create(): Promise<void> {
    await mkdir(this.volumes, { recursive: true });
    await mkdir(this.home, { recursive: true });
    await mkdir(this.tmp, { recursive: true });
  }

  /** Saves the Pod's record. */
  async writeRecord(record: PodRecord): Promise<void> {
    await writeFile(this.recordPath, `${JSON.stringify(record, null, 2)}\n`);
  }

  /** Removes everything but the container logs, which stay for debugging (an empty directory goes too). */
  async clean(): Promise<void> {
    for (const entry of [this.recordPath, this.volumes, this.home, this.tmp, this.kubeconfig]) {
      await rm(entry, { recursive: true, force: true });
    }
    const left = await readdir(this.root).catch(() => []);
    if (left.length === 0) {
      await rm(this.root, { recursive: true, force: true });
    }
  }
}

/** The root of the agent's state. */
export class StateDir {
  constructor(readonly root: string) {}

  /** The directory of one Pod. */
  pod(uid: string): PodDir {
    return new PodDir(path.join(this.root, 'pods', uid));
  }

  /** Reads every Pod record left by a previous run of the agent. */
  async readRecords(): Promise<PodRecord[]> {
    const podsDir = path.join(this.root, 'pods');
    await mkdir(podsDir, { recursive: true });
    const records: PodRecord[] = [];
    for (const uid of await readdir(podsDir)) {
      try {
        records.push(JSON.parse(await readFile(path.join(podsDir, uid, 'pod.json'), 'utf8')) as PodRecord);
      } catch {
        // No record: a Pod that was already cleaned up (only its logs remain).
      }
    }
    return records;
  }
}
