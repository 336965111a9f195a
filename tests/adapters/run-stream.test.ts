import { describe, expect, it } from 'vitest';
import { queuedRunsIn } from '../../functions/adapters/run-stream.js';
import type { DynamoStreamEvent } from '../../functions/adapters/lambda-events.js';

type Record = DynamoStreamEvent['Records'][number];
const record = (eventName: Record['eventName'], image: { [name: string]: string }, sequence: string): Record => ({
  eventName,
  dynamodb: { SequenceNumber: sequence, NewImage: Object.fromEntries(Object.entries(image).map(([name, value]) => [name, { S: value }])) },
});

describe('queuedRunsIn', () => {
  it('takes the new queued runs of a stream batch, in order, and nothing else', () => {
    const event: DynamoStreamEvent = {
      Records: [
        record('INSERT', { pk: 'RUN#first', sk: 'RUN', status: 'queued' }, '1'),
        record('MODIFY', { pk: 'RUN#first', sk: 'RUN', status: 'running' }, '2'),
        record('INSERT', { pk: 'ARTICLE', sk: 'RUN', status: 'queued' }, '3'),
        record('INSERT', { pk: 'RUN#done', sk: 'RUN', status: 'succeeded' }, '4'),
        record('REMOVE', { pk: 'RUN#gone', sk: 'RUN', status: 'queued' }, '5'),
        { eventName: 'INSERT' },
        record('INSERT', { pk: 'RUN#second', sk: 'RUN', status: 'queued' }, '7'),
      ],
    };
    expect(queuedRunsIn(event)).toEqual([
      { runId: 'first', sequenceNumber: '1' },
      { runId: 'second', sequenceNumber: '7' },
    ]);
  });
});
