/** The Zipkin v2 span as its JSON API spells it (zipkin-api zipkin2-api.yaml); proto3 maps onto it. */

export interface ZipkinEndpoint {
  serviceName?: string;
  ipv4?: string;
  ipv6?: string;
  port?: number;
}

export interface ZipkinAnnotation {
  /** Microseconds since the epoch. */
  timestamp: number;
  value: string;
}

export type ZipkinKind = 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';

export interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name?: string;
  kind?: ZipkinKind;
  /** Microseconds since the epoch. */
  timestamp?: number;
  /** Microseconds. */
  duration?: number;
  debug?: boolean;
  shared?: boolean;
  localEndpoint?: ZipkinEndpoint;
  remoteEndpoint?: ZipkinEndpoint;
  annotations?: ZipkinAnnotation[];
  tags?: Record<string, string>;
}
