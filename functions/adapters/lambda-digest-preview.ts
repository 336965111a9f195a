/**
 * Asks the digest-preview function (built from the publish bundle, where MJML lives) to
 * render the next digest, so the API bundle never loads MJML.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { PressrunError, type FieldProblem } from '../core/errors.js';

export interface DigestPreview {
  subject: string;
  html: string;
  text: string;
}

/**
 * The preview function's answer. An invalid template is an answer, not a failure: Lambda
 * would keep only the message of a thrown error, and the publisher needs its problems.
 */
export type DigestPreviewAnswer = { digest: DigestPreview | null } | { invalid: { message: string; problems: FieldProblem[] } };

export class LambdaDigestPreview {
  constructor(
    private readonly lambda: Pick<LambdaClient, 'send'>,
    private readonly functionName: string,
  ) {}

  /** The next digest, or undefined when nothing is new since the last one. */
  async render(): Promise<DigestPreview | undefined> {
    const unavailable = (cause: unknown) => new PressrunError('unavailable', 'The digest preview could not be rendered; try again later', [], { cause });
    let result;
    try {
      result = await this.lambda.send(new InvokeCommand({ FunctionName: this.functionName, InvocationType: 'RequestResponse', Payload: new TextEncoder().encode('{}') }));
    } catch (cause) {
      throw unavailable(cause);
    }
    const payload = result.Payload ? new TextDecoder().decode(result.Payload) : '';
    if (result.FunctionError) throw unavailable(new Error(`The preview function failed: ${payload.slice(0, 500)}`));
    const answer = JSON.parse(payload) as DigestPreviewAnswer;
    if ('invalid' in answer) throw new PressrunError('invalid', answer.invalid.message, answer.invalid.problems);
    return answer.digest ?? undefined;
  }
}
