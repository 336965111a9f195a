/** The port `npm start` serves on, from PORT as a user sets it. */
export function portProblem(value: string): string | undefined {
  const port = Number(value);
  return /^\d+$/.test(value) && port >= 1 && port <= 65_535 ? undefined : `PORT must be a port number from 1 to 65535, not "${value}"`;
}
