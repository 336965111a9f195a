/** What a check needs to know about the document besides its bytes. */
export interface FeedCheckContext {
  /** The site's base URL, with a trailing slash: item links under it name their article. */
  baseUrl: string;
  /** The public URL the document is published at: its self link must say so. */
  selfUrl: string;
  /** The RFC 5005 archive page this document is; undefined for a subscription document. */
  archivePage?: number;
  /** The publish's time: no date may lie after it. */
  now: Date;
}
