/** What a sink network's recorder saw: one DNS query, connection or datagram from the build. */
export interface NetworkAttempt {
  /** ISO 8601 time the recorder saw it. */
  readonly at: string;
  readonly protocol: 'dns' | 'tcp' | 'udp' | 'http' | 'tls';
  /** The name asked for, the HTTP Host, the TLS SNI, or else the original destination address. */
  readonly host: string | null;
  /** The original destination port (53 for DNS). */
  readonly port: number | null;
  /** The full URL of an HTTP request; null where it cannot be known (TLS, raw TCP, UDP). */
  readonly url: string | null;
  /** What else was seen: the DNS query type, the HTTP request line, the original address. */
  readonly detail: string | null;
}

/** The state of a build namespace's network, and whether the sink can still reach it. */
export interface NetworkSnapshot {
  /** `ip -j addr` in the build namespace. */
  readonly addresses: unknown;
  /** `ip -j route` in the build namespace. */
  readonly routes: unknown;
  /** `nft list ruleset` and `iptables-save` in the build namespace. */
  readonly firewall: string;
  readonly interfaceUp: boolean;
  readonly defaultRoute: boolean;
  /** One ping (1 s) from the sink to the build address was answered. */
  readonly pingable: boolean;
  /** All three of the above. */
  readonly reachable: boolean;
  /** Which of the three failed, in words a seller can act on; empty when reachable. */
  readonly problems: readonly string[];
}

/** One line the recorder prints on stdout. */
export type RecorderLine =
  | { readonly event: 'ready' }
  | ({ readonly event: 'attempt' } & NetworkAttempt)
  | { readonly event: 'error'; readonly message: string };
