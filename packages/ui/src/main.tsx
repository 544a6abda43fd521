/** Entry point: mounts the app shell. */
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import './styles.css';
import { prefetchTrace } from './worker/client.js';
import { normTraceId } from './hooks/useTrace.js';
import { traceUrls } from './api/client.js';
import { safeDecode } from './router.js';

// A deep link to a trace: start the download and parse in the worker while React boots.
const deep = /^\/trace\/([^/]+)\/?$/.exec(location.pathname);
const deepId = deep && new URLSearchParams(location.search).get('source') !== 'file' ? normTraceId(safeDecode(deep[1]!)) : null;
const early = (window as { __skeinTrace?: { id: string; res: Promise<Response> } }).__skeinTrace;
if (deepId) prefetchTrace(traceUrls(deepId), deepId, early?.id === deepId ? early.res : undefined);

createRoot(document.getElementById('root')!).render(<App />);
