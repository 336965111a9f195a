/** The slices of the Lambda event shapes the delivery handlers read (no @types/aws-lambda needed). */

export interface SqsEvent {
  Records: Array<{ messageId: string; body: string; attributes?: { ApproximateReceiveCount?: string } }>;
}

/** Partial batch response: only the listed messages return to the queue (ReportBatchItemFailures). */
export interface SqsBatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

export interface SnsEvent {
  Records: Array<{ Sns: { MessageId: string; Message: string } }>;
}
