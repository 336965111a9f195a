/** The two adapters that call other functions; Lambda's Invoke API is played by a fake `send` (nothing local plays it for a unit test). */
import type { InvokeCommand, InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { describe, expect, it } from 'vitest';
import { LambdaDigestPreview } from '../../functions/adapters/lambda-digest-preview.js';
import { LambdaPublishTrigger } from '../../functions/adapters/lambda-publish-trigger.js';
import { PressrunError } from '../../functions/core/errors.js';

function fakeLambda(answer: Partial<InvokeCommandOutput> | Error) {
  const calls: InvokeCommand['input'][] = [];
  return {
    calls,
    send: async (command: InvokeCommand) => {
      calls.push(command.input);
      if (answer instanceof Error) throw answer;
      return answer as InvokeCommandOutput;
    },
  };
}

const payload = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)) as InvokeCommandOutput['Payload'];

describe('LambdaPublishTrigger', () => {
  it('queues the run with an asynchronous invoke of the publish function', async () => {
    const lambda = fakeLambda({ StatusCode: 202 });
    await new LambdaPublishTrigger(lambda, 'publish-fn').trigger('run-1');
    expect(lambda.calls).toEqual([{ FunctionName: 'publish-fn', InvocationType: 'Event', Payload: new TextEncoder().encode('{"runId":"run-1"}') }]);
  });

  it('fails when Lambda did not accept the run', async () => {
    await expect(new LambdaPublishTrigger(fakeLambda({ StatusCode: 500 }), 'publish-fn').trigger('run-1')).rejects.toThrow(/did not queue/);
  });
});

describe('LambdaDigestPreview', () => {
  it('returns the rendered digest, or nothing when nothing is new', async () => {
    const digest = { subject: 'S', html: '<p>H</p>', text: 'T' };
    expect(await new LambdaDigestPreview(fakeLambda({ StatusCode: 200, Payload: payload({ digest }) }), 'preview').render()).toEqual(digest);
    expect(await new LambdaDigestPreview(fakeLambda({ StatusCode: 200, Payload: payload({ digest: null }) }), 'preview').render()).toBeUndefined();
  });

  it('passes a template problem on as the 422 it is', async () => {
    const answer = { invalid: { message: 'The digest template breaks a rule', problems: [{ field: 'template', message: 'no unsubscribe link' }] } };
    const failure = new LambdaDigestPreview(fakeLambda({ StatusCode: 200, Payload: payload(answer) }), 'preview').render();
    await expect(failure).rejects.toMatchObject({ kind: 'invalid', problems: answer.invalid.problems });
  });

  it.each([
    ['the function failed', { StatusCode: 200, FunctionError: 'Unhandled', Payload: payload({ errorType: 'Error', errorMessage: 'boom' }) }],
    ['Lambda could not be reached', new Error('connect ECONNREFUSED')],
  ])('answers unavailable when %s', async (_case, answer) => {
    const failure = new LambdaDigestPreview(fakeLambda(answer), 'preview').render();
    await expect(failure).rejects.toBeInstanceOf(PressrunError);
    await expect(failure).rejects.toMatchObject({ kind: 'unavailable' });
  });
});
