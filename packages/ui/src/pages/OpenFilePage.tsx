/** Open a trace file (OTLP JSON/JSONL, Jaeger JSON, Zipkin JSON) by drop or pick; view it, or import it. */
import { useState } from 'react';
import { importOtlp } from '../api/client.js';
import { openedFiles, traceWorker } from '../worker/client.js';
import type { Loaded } from '../worker/protocol.js';
import { mainRoot } from '../trace/criticalPath.js';
import { fmtCountOf, fmtDuration, fmtTime } from '../trace/format.js';
import { colorOf } from '../theme.js';
import { Link } from '../components/Link.js';
import { Loading } from '../components/States.js';

interface Opened {
  name: string;
  format: string;
  traces: Loaded[];
}

/** Files opened in this page session, newest first; kept when the user views a trace and comes back. */
let openedList: Opened[] = [];

export function OpenFilePage() {
  const [files, setFilesState] = useState<Opened[]>(openedList);
  const setFiles = (f: (prev: Opened[]) => Opened[]) =>
    setFilesState((prev) => {
      openedList = f(prev);
      return openedList;
    });
  const [busy, setBusy] = useState('');
  const [error, setError] = useState('');
  const [over, setOver] = useState(false);
  const [imported, setImported] = useState<Record<string, string>>({});

  const open = async (list: FileList | null) => {
    if (!list?.length) return;
    setError('');
    for (const f of Array.from(list)) {
      setBusy(`Reading ${f.name}…`);
      try {
        const r = await traceWorker.parseFile(await f.text());
        for (const l of r.traces) openedFiles.set(l.trace.traceId, l);
        setFiles((prev) => [{ name: f.name, format: r.format, traces: r.traces }, ...prev.filter((p) => p.name !== f.name)]);
      } catch (e) {
        setError(`${f.name}: ${(e as Error).message}`);
      }
    }
    setBusy('');
  };

  const doImport = async (file: Opened) => {
    setImported((m) => ({ ...m, [file.name]: 'Importing…' }));
    try {
      for (const l of file.traces) await importOtlp(await traceWorker.otlp(l.key));
      setImported((m) => ({ ...m, [file.name]: `Imported ${fmtCountOf(file.traces.length, 'trace')} into Skein` }));
    } catch (e) {
      setImported((m) => ({ ...m, [file.name]: `Import failed: ${(e as Error).message}` }));
    }
  };

  return (
    <div className="open-page">
      <label
        className={over ? 'dropzone over' : 'dropzone'}
        onDragOver={(e) => { e.preventDefault(); setOver(true); }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => { e.preventDefault(); setOver(false); void open(e.dataTransfer.files); }}
      >
        <input type="file" accept=".json,.jsonl,.ndjson,application/json" multiple onChange={(e) => void open(e.target.files)} data-testid="file-input" />
        <div className="dz-icon" aria-hidden="true">⇪</div>
        <b>Drop trace files here, or click to pick them</b>
        <span className="muted">OTLP JSON or JSON Lines, Jaeger JSON (UI export or /api/traces), Zipkin v2 JSON. Files are read in your browser; nothing is sent until you import.</span>
      </label>
      {busy && <Loading what={busy} />}
      {error && <p className="form-error panel pad" role="alert">{error}</p>}
      {files.map((f) => (
        <div key={f.name} className="panel">
          <div className="table-bar">
            <b>{f.name}</b>
            <span className="pill">{f.format}</span>
            <span className="muted">{fmtCountOf(f.traces.length, 'trace')}</span>
            <div className="spacer" />
            {imported[f.name] && <span className="muted">{imported[f.name]}</span>}
            <button onClick={() => void doImport(f)}>Import into Skein</button>
          </div>
          <table className="results-table">
            <thead><tr><th>Root service · operation</th><th>Start</th><th className="num">Duration</th><th className="num">Spans</th><th>Trace ID</th></tr></thead>
            <tbody>
              {f.traces.map(({ trace: t }) => {
                const r = mainRoot(t);
                const svc = t.services[t.svcIdx[r]!]!;
                return (
                  <tr key={t.traceId}>
                    <td>
                      <Link to={`/trace/${t.traceId}?source=file`} className="trace-link">
                        <span className="svc-chip" style={{ background: colorOf(svc) }} /><b>{svc}</b> <span>{t.names[t.nameIdx[r]!]}</span>
                      </Link>
                    </td>
                    <td>{fmtTime(t.baseNs)}</td>
                    <td className="num">{fmtDuration(t.duration)}</td>
                    <td className="num">{t.n}</td>
                    <td className="mono small">{t.traceId}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}
