import ipaddr from 'ipaddr.js';

/*
 * Which URLs an outbound webhook may be sent to (docs/webhooks.md, "Addresses refused"). A URL a
 * merchant registers is sent to by Renkei's own servers, so it must not reach what only those
 * servers can reach (SSRF): their loopback, the private network, the cloud's metadata service.
 * The API checks the URL when an endpoint is registered; the worker checks again every address
 * the host name resolves to when it connects, so a name that later resolves to a private address
 * (DNS rebinding) is refused too.
 */

/** What the URL check is held to: strict in production, relaxed in development and tests. */
export interface WebhookUrlPolicy {
  /** Private, loopback, link-local… addresses allowed (development, tests, self-hosted). */
  allowPrivateAddresses: boolean;
  /** Only `https:` URLs (production, unless self-hosted). */
  requireHttps: boolean;
}

/**
 * The policy of an environment. In production (NODE_ENV=production, a public demo included)
 * private addresses and plain `http:` are refused, unless the self-hosted switch
 * (RENKEI_WEBHOOK_ALLOW_PRIVATE_URLS) is on: Renkei then runs beside the OMS on one private
 * network, where receivers are private addresses, often without TLS. Development and tests allow
 * both (a receiver on localhost).
 */
export function webhookUrlPolicy(env: {
  production: boolean;
  allowPrivateUrls: boolean;
}): WebhookUrlPolicy {
  const strict = env.production && !env.allowPrivateUrls;
  return { allowPrivateAddresses: !strict, requireHttps: strict };
}

/** Why a URL or address is refused. */
export const WEBHOOK_URL_REFUSALS = [
  /** Not a URL at all. */
  'invalidUrl',
  /** Neither `http:` nor `https:`. */
  'scheme',
  /** `http:` where the policy asks for `https:`. */
  'httpsRequired',
  /** A user name or password in the URL (it would be sent with every delivery). */
  'credentials',
  /** `localhost` or a name under it, or a loopback address. */
  'loopback',
  /** A private network address (10/8, 172.16/12, 192.168/16, fc00::/7). */
  'private',
  /** Link-local (169.254/16, fe80::/10). */
  'linkLocal',
  /** The carriers' shared address space (CGNAT, 100.64/10). */
  'sharedAddress',
  'multicast',
  /** A cloud metadata service: refused under every policy. */
  'metadata',
  /** Unspecified, broadcast, documentation, and every other range that is not public. */
  'reserved',
] as const;
export type WebhookUrlRefusal = (typeof WEBHOOK_URL_REFUSALS)[number];

/**
 * Metadata services of the clouds, by address (also reachable by name, e.g.
 * metadata.google.internal → 169.254.169.254, which the resolved-address check catches).
 * Refused even with private addresses allowed: never a webhook receiver, always a credential store.
 */
const METADATA_ADDRESSES = new Set([
  '169.254.169.254', // AWS, GCP, Azure, OpenStack…
  '169.254.170.2', // AWS ECS task metadata
  '100.100.100.200', // Alibaba Cloud
  '168.63.129.16', // Azure WireServer (a public address)
  'fd00:ec2::254', // AWS over IPv6
]);

const METADATA_HOST_NAMES = new Set(['metadata.google.internal', 'metadata']);

const REFUSAL_BY_RANGE: Readonly<Record<string, WebhookUrlRefusal>> = {
  loopback: 'loopback',
  private: 'private',
  uniqueLocal: 'private',
  linkLocal: 'linkLocal',
  carrierGradeNat: 'sharedAddress',
  multicast: 'multicast',
};

/**
 * Why Renkei must not connect to this address (an IP literal, as resolved), or null when it may.
 * An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`) is judged as the IPv4 address it maps to.
 */
export function webhookAddressRefusal(
  address: string,
  policy: WebhookUrlPolicy,
): WebhookUrlRefusal | null {
  const bare = address.replace(/^\[|\]$/g, '');
  if (!ipaddr.isValid(bare)) return 'invalidUrl';
  let ip = ipaddr.parse(bare);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress())
    ip = (ip as ipaddr.IPv6).toIPv4Address();
  const normal = ip.toNormalizedString();
  const canonical = ip.kind() === 'ipv6' ? (ip as ipaddr.IPv6).toRFC5952String() : normal;
  if (METADATA_ADDRESSES.has(canonical)) return 'metadata';
  const range = ip.range();
  if (range === 'unicast') return null;
  if (policy.allowPrivateAddresses) return null;
  return REFUSAL_BY_RANGE[range] ?? 'reserved';
}

/**
 * Why a webhook URL is refused, or null when it may be registered (and sent to, once its host
 * name resolves to allowed addresses: {@link webhookAddressRefusal}). A host given as an address
 * is judged here; a host name only when it is a loopback or metadata name.
 */
export function webhookUrlRefusal(url: string, policy: WebhookUrlPolicy): WebhookUrlRefusal | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'invalidUrl';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'scheme';
  if (parsed.protocol === 'http:' && policy.requireHttps) return 'httpsRequired';
  if (parsed.username !== '' || parsed.password !== '') return 'credentials';
  // The URL parser writes every IPv4 form (`2130706433`, `0x7f.1`) as dotted decimal, and IPv6
  // in brackets.
  const host = parsed.hostname
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
  if (host === '') return 'invalidUrl';
  if (ipaddr.isValid(host)) return webhookAddressRefusal(host, policy);
  if (METADATA_HOST_NAMES.has(host)) return 'metadata';
  if (!policy.allowPrivateAddresses && (host === 'localhost' || host.endsWith('.localhost')))
    return 'loopback';
  return null;
}
