// Keeps what a prover returns inside the CRD's bounds, so a status write can never be refused for size.

const maxMessage = 1024;
const maxMessagesTotal = 8192;
const maxMessages = 32;

/** Cuts a string to at most `max` UTF-16 units, marking the cut. */
export function truncateText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Each message at most 1 KiB, all at most 8 KiB and 32 items. */
export function boundMessages(messages: readonly string[]): string[] {
  const bounded: string[] = [];
  let total = 0;
  for (const message of messages.slice(0, maxMessages)) {
    const cut = truncateText(message, maxMessage);
    if (total + cut.length > maxMessagesTotal) break;
    bounded.push(cut);
    total += cut.length;
  }
  return bounded;
}

/** A condition reason in the CamelCase shape the schema requires, or `fallback`. */
export function sanitizeReason(reason: string, fallback: string): string {
  return /^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$/.test(reason) && reason.length <= 1024 ? reason : fallback;
}
