/** The app shell: top bar (navigation, trace-id jump, theme) and the page for the current route. */
import { useState } from 'react';
import { Link } from './components/Link.js';
import { navigate, safeDecode, useLocation } from './router.js';
import { useTheme } from './theme.js';
import { SearchPage } from './pages/SearchPage.js';
import { TracePage } from './pages/TracePage.js';
import { ComparePage } from './pages/ComparePage.js';
import { DependenciesPage } from './pages/DependenciesPage.js';
import { MonitorPage } from './pages/MonitorPage.js';
import { OpenFilePage } from './pages/OpenFilePage.js';
import { NotFound } from './components/States.js';

function TraceJump() {
  const [id, setId] = useState('');
  const [bad, setBad] = useState(false);
  return (
    <form
      className="jump"
      onSubmit={(e) => {
        e.preventDefault();
        const v = id.trim().toLowerCase();
        if (!/^[0-9a-f]{1,32}$/.test(v)) return setBad(true);
        setBad(false);
        setId('');
        navigate(`/trace/${v.padStart(v.length <= 16 ? 16 : 32, '0')}`);
      }}
    >
      <input
        aria-label="Trace ID"
        placeholder="Go to trace ID…"
        value={id}
        className={bad ? 'invalid' : ''}
        title={bad ? 'A trace ID is 16 or 32 hex digits' : ''}
        onChange={(e) => setId(e.target.value)}
      />
    </form>
  );
}

export function App() {
  const { path, query } = useLocation();
  const [theme, toggleTheme] = useTheme();
  let page;
  let section = '';
  const traceMatch = /^\/trace\/([^/]+)\/?$/.exec(path);
  if (path === '/' || path === '/search') {
    page = <SearchPage query={query} />;
    section = 'search';
  } else if (traceMatch) {
    page = <TracePage key={traceMatch[1]} traceId={safeDecode(traceMatch[1]!)} query={query} />;
    section = 'search';
  } else if (path === '/compare') {
    page = <ComparePage query={query} />;
    section = 'compare';
  } else if (path === '/monitor') {
    page = <MonitorPage query={query} />;
    section = 'monitor';
  } else if (path === '/dependencies') {
    page = <DependenciesPage query={query} />;
    section = 'deps';
  } else if (path === '/open') {
    page = <OpenFilePage />;
    section = 'open';
  } else page = <NotFound what={`No page at ${path}`} />;
  return (
    <div className="app">
      <header className="topbar">
        <Link to="/search" className="brand">
          <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
            <path d="M3 7h12M6 12h15M3 17h9" stroke="currentColor" strokeWidth="2.4" strokeLinecap="round" fill="none" />
          </svg>
          Skein
        </Link>
        <nav>
          <Link to="/search" className={section === 'search' ? 'active' : ''}>Search</Link>
          <Link to="/monitor" className={section === 'monitor' ? 'active' : ''}>Monitor</Link>
          <Link to="/compare" className={section === 'compare' ? 'active' : ''}>Compare</Link>
          <Link to="/dependencies" className={section === 'deps' ? 'active' : ''}>Dependencies</Link>
          <Link to="/open" className={section === 'open' ? 'active' : ''}>Open file</Link>
        </nav>
        <div className="spacer" />
        <TraceJump />
        <button className="icon-btn" onClick={toggleTheme} title={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`} aria-label="Toggle theme">
          {theme === 'dark' ? '☀' : '☾'}
        </button>
      </header>
      <main className="page">{page}</main>
    </div>
  );
}
