/** A round's id: the send of the readers who chose each article, daily or weekly, named after its minute. */
const ROUND_PREFIX = 'round-';
export const isRound = (sendId: string) => sendId.startsWith(ROUND_PREFIX);
/** A round's id names its instant to the minute: two ticks in one minute are one round. */
export const roundId = (at: Date) => `${ROUND_PREFIX}${at.toISOString().slice(0, 16).replace(/[-:]/g, '')}`;
export function roundInstant(id: string): Date | undefined {
  const match = /^round-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})$/.exec(id);
  if (!match) return undefined;
  const at = new Date(`${match[1]}-${match[2]}-${match[3]}T${match[4]}:${match[5]}:00.000Z`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}
