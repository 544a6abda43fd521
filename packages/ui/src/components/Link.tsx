/** An in-app link that navigates without reloading the page. */
import type { ReactNode } from 'react';
import { linkClick } from '../router.js';

export function Link(props: { to: string; className?: string; children: ReactNode; title?: string }) {
  return (
    <a href={props.to} className={props.className} title={props.title} onClick={linkClick(props.to)}>
      {props.children}
    </a>
  );
}
