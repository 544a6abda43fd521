/** Empty, loading and error states, each saying what happened and what to do. */
import type { ReactNode } from 'react';

export function Loading(props: { what: string }) {
  return (
    <div className="state" role="status">
      <div className="spinner" aria-hidden="true" />
      <p>{props.what}</p>
    </div>
  );
}

export function ErrorState(props: { title: string; message: string; children?: ReactNode }) {
  return (
    <div className="state error" role="alert">
      <div className="state-icon" aria-hidden="true">!</div>
      <h2>{props.title}</h2>
      <p className="mono">{props.message}</p>
      {props.children}
    </div>
  );
}

export function Empty(props: { title: string; children?: ReactNode }) {
  return (
    <div className="state empty">
      <div className="state-icon" aria-hidden="true">∅</div>
      <h2>{props.title}</h2>
      {props.children}
    </div>
  );
}

export function NotFound(props: { what: string }) {
  return <Empty title={props.what}><p>Check the address, or start from the search page.</p></Empty>;
}
