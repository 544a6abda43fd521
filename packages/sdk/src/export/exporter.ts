/** The byte exporter contract: one encoded ExportTraceServiceRequest per call. */

export interface ByteExporter {
  /** Where the bytes go, for warnings. */
  readonly target: string;
  /**
   * Sends one request; rejects with an Error that says why (never throws synchronously). `body`
   * is a view of a reused buffer: copy it if it is needed after the returned promise settles.
   */
  send(body: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
