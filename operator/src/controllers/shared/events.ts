// Kubernetes Events for what a user can act on: a verdict, a failure, a missing dependency.
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { KubeClient } from '../../runtime/kube-client.js';

/** The object an Event is about. */
export interface EventSubject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly uid?: string; readonly resourceVersion?: string };
}

/** Normal or Warning, as core/v1 Events know them. */
export type EventType = 'Normal' | 'Warning';

/** Writes core/v1 Events; a failure to record is logged, never fatal. */
export class EventRecorder {
  private readonly client: KubeClient;
  private readonly log: Logger;

  constructor(client: KubeClient, log: Logger) {
    this.client = client;
    this.log = log;
  }

  /** Records one Event in the background. */
  record(subject: EventSubject, type: EventType, reason: string, message: string): void {
    const namespace = subject.metadata.namespace ?? 'default';
    const name = `${subject.metadata.name ?? 'unknown'}.${randomBytes(8).toString('hex')}`;
    const now = new Date().toISOString();
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        apiVersion: subject.apiVersion,
        kind: subject.kind,
        name: subject.metadata.name,
        namespace,
        uid: subject.metadata.uid,
        resourceVersion: subject.metadata.resourceVersion,
      },
      type,
      reason,
      message: message.slice(0, 1024),
      source: { component: 'pxl-operator' },
      reportingComponent: 'pxl-operator',
      reportingInstance: 'pxl-operator',
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    this.client.request('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`, { body: event }).catch((err: unknown) => {
      this.log.warn({ err, reason }, 'event not recorded');
    });
  }
}
