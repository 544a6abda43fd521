/** The store as a pipeline exporter: consume resolves once the store has made the spans durable. */
import type { Span } from '@skein/model';
import type { Exporter } from '../../pipeline/component.js';
import type { TraceWriter } from '../../store/store.js';

export function storeExporter(store: TraceWriter): Exporter {
  const exporter: Exporter = { consume: (spans: Span[]) => store.write(spans) };
  if (store.writeOtlpProto) exporter.consumeOtlpProto = (body) => store.writeOtlpProto!(body);
  return exporter;
}
