import { describe, expect, it } from 'vitest';
import { portProblem } from '../../functions/local/listen-port.js';

describe('PORT', () => {
  it.each([['1'], ['8787'], ['65535']])('%s is a port', (value) => {
    expect(portProblem(value)).toBeUndefined();
  });

  it.each([['abc'], ['0'], ['-1'], ['65536'], ['8787.5'], [' 8787'], ['']])(
    '"%s" is not, and the problem says what PORT must be',
    (value) => {
      expect(portProblem(value)).toBe(`PORT must be a port number from 1 to 65535, not "${value}"`);
    },
  );
});
