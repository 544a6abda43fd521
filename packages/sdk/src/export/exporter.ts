/** The byte exporter contract: one encoded ExportTraceServiceRequest per call. */

export interface ByteExporter {
  /** Where the bytes go, for warnings. */
  readonly target: string;
  /** Sends one request; rejects with an Error that says why (never throws synchronously). */
  send(body: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
