/**
 * Serves GET /api/digest/preview from the publish bundle, so MJML stays out of the API
 * function's bundle. It may only read the table.
 */
import { Duration } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { PressrunTable } from './pressrun-table.js';
import { PressrunFunction, type PressrunFunctionDefaults } from './pressrun-function.js';

export interface DigestPreviewFunctionProps extends PressrunFunctionDefaults {
  /** The publish function's variables, which the publish bundle reads when loaded (see function-environments.ts). */
  environment: Record<string, string>;
  table: PressrunTable;
}

export class DigestPreviewFunction extends PressrunFunction {
  constructor(scope: Construct, id: string, props: DigestPreviewFunctionProps) {
    super(scope, id, {
      ...props,
      entry: 'publish',
      handler: 'preview',
      description: 'Serves GET /api/digest/preview: renders the next digest (MJML stays out of the API bundle)',
      memorySize: 1024,
      timeout: Duration.seconds(30),
    });
    props.table.grantItemReads(this);
  }
}
