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

/** A DynamoDB stream record as Lambda delivers it: attribute values in DynamoDB JSON. */
export interface DynamoStreamEvent {
  Records: Array<{
    eventName?: 'INSERT' | 'MODIFY' | 'REMOVE';
    dynamodb?: { SequenceNumber?: string; NewImage?: Record<string, { S?: string }> };
  }>;
}

/** Partial batch response of a stream: processing resumes from the first listed record (ReportBatchItemFailures). */
export type StreamBatchResponse = SqsBatchResponse;
