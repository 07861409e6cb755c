// Reads the prover Pods' audit logs from the node agent's state directory: which requests a prover checked.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeClient } from '../../../operator/src/runtime/kube-client.js';
import { repoRoot } from './operator-support.js';

/** One audited check: the request id the operator sent (`uid/generation/attempt`). */
export interface AuditedCheck {
  readonly requestId: string;
  readonly verdict: string;
}

/** Every check audited by the prover Pods of a namespace that still exist. */
export async function readAuditedChecks(client: KubeClient, namespace: string): Promise<AuditedCheck[]> {
  const pods = await client.request<{ items: { metadata: { uid: string } }[] }>('GET', `/api/v1/namespaces/${namespace}/pods`);
  const checks: AuditedCheck[] = [];
  for (const pod of pods.items) {
    const file = join(repoRoot, '.cache', 'cluster', 'agent', 'pods', pod.metadata.uid, 'volumes', 'log', 'pxl', 'audit.jsonl');
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const entry = JSON.parse(line) as { requestId?: string; verdict?: string };
      if (entry.requestId !== undefined) checks.push({ requestId: entry.requestId, verdict: entry.verdict ?? '' });
    }
  }
  return checks;
}
