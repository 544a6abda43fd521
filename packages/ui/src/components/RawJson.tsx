/** The raw trace as OTLP JSON and Jaeger JSON: preview and download. */
import { useEffect, useState } from 'react';
import { traceUrls } from '../api/client.js';
import { traceWorker } from '../worker/client.js';

const PREVIEW = 200_000;

function download(name: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}

export function RawJson(props: { traceId: string; traceKey: string; fromFile: boolean }) {
  const [form, setForm] = useState<'otlp' | 'jaeger'>('otlp');
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState('');
  const urls = traceUrls(props.traceId);
  useEffect(() => {
    let live = true;
    setText(null);
    setError('');
    const get = props.fromFile
      ? form === 'otlp'
        ? traceWorker.otlp(props.traceKey)
        : Promise.reject(new Error('Jaeger JSON is available for stored traces; this one came from a file'))
      : fetch(`${form === 'otlp' ? urls.otlp : urls.jaeger}?prettyPrint=true`).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`HTTP ${r.status}`))));
    get.then((t) => live && setText(t), (e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
  }, [form, props.traceKey, props.fromFile, urls.otlp, urls.jaeger]);
  return (
    <div className="panel raw">
      <div className="table-bar">
        <div className="seg">
          <button className={form === 'otlp' ? 'on' : ''} onClick={() => setForm('otlp')}>OTLP JSON</button>
          <button className={form === 'jaeger' ? 'on' : ''} onClick={() => setForm('jaeger')}>Jaeger JSON</button>
        </div>
        <div className="spacer" />
        <button className="primary" disabled={!text} onClick={() => text && download(`trace-${props.traceId}-${form}.json`, text)}>
          Download {form === 'otlp' ? 'OTLP' : 'Jaeger'} JSON
        </button>
      </div>
      {error && <p className="form-error pad">{error}</p>}
      {text !== null && (
        <pre className="json">{text.length > PREVIEW ? `${text.slice(0, PREVIEW)}\n… (${(text.length / 1e6).toFixed(1)} MB in all: download to see everything)` : text}</pre>
      )}
    </div>
  );
}
