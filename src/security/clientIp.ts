import ipaddr from 'ipaddr.js'

import { trustedProxies } from './config'

/**
 * The client address, for per-IP rate limits and audit logs.
 *
 * src/server.ts (Express) computes it from the socket and, only when the socket peer is a trusted proxy
 * (TRUSTED_PROXIES), from X-Forwarded-For: walking the list from the right, it skips trusted hops and takes
 * the first untrusted one (entries to its left were written by the client and prove nothing). It then strips
 * any incoming `x-tutortrack-client-ip` and sets that header itself before Next and Payload see the request,
 * so the header can only come from our server. Payload endpoints read it with `clientIpFromHeaders`.
 *
 * In-process calls (tests through Payload's route handler, the Local API) have no such header: the client IP is
 * `null` there and per-IP limits are skipped (per-account limits still apply). The production server and the
 * container always go through src/server.ts.
 */
export const CLIENT_IP_HEADER = 'x-tutortrack-client-ip'

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number]

let cachedSource: string | undefined
let cachedRanges: Range[] = []

/** Parses TRUSTED_PROXIES (IPs or CIDRs, comma-separated); throws on an entry that is neither. */
export function trustedRanges(entries: string[] = trustedProxies()): Range[] {
  const source = entries.join(',')
  if (source === cachedSource) return cachedRanges
  const ranges = entries.map((entry): Range => {
    try {
      if (entry.includes('/')) {
        const [address, bits] = ipaddr.parseCIDR(entry)
        return [normalize(address), address.kind() === 'ipv6' && normalize(address).kind() === 'ipv4' ? Math.max(0, bits - 96) : bits]
      }
      const address = normalize(ipaddr.parse(entry))
      return [address, address.kind() === 'ipv4' ? 32 : 128]
    } catch {
      throw new Error(`TRUSTED_PROXIES: "${entry}" is not an IP address or CIDR range`)
    }
  })
  cachedSource = source
  cachedRanges = ranges
  return ranges
}

/** IPv4-mapped IPv6 (::ffff:1.2.3.4) becomes plain IPv4, so one rule covers both spellings. */
function normalize(address: ipaddr.IPv4 | ipaddr.IPv6): ipaddr.IPv4 | ipaddr.IPv6 {
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) return (address as ipaddr.IPv6).toIPv4Address()
  return address
}

export function parseAddress(value: string | undefined | null): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!value) return null
  let text = value.trim()
  // "[::1]:443" and "1.2.3.4:5678" forms some proxies write.
  if (text.startsWith('[')) text = text.slice(1, text.indexOf(']') > 0 ? text.indexOf(']') : undefined)
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(':'))
  if (text.includes('%')) text = text.slice(0, text.indexOf('%'))
  if (!ipaddr.isValid(text)) return null
  try {
    return normalize(ipaddr.parse(text))
  } catch {
    return null
  }
}

export function isTrusted(address: ipaddr.IPv4 | ipaddr.IPv6, ranges: Range[] = trustedRanges()): boolean {
  return ranges.some(([range, bits]) => range.kind() === address.kind() && address.match(range as never, bits))
}

/**
 * The client IP for a request that reached us from `socketAddress` with these X-Forwarded-For values.
 * Untrusted peer → the peer itself, whatever the headers say.
 */
export function clientIpFrom(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, ranges: Range[] = trustedRanges()): string {
  const peer = parseAddress(socketAddress)
  if (!peer) return socketAddress || 'unknown'
  if (!isTrusted(peer, ranges) || !forwardedFor) return peer.toString()
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean)
  let client = peer
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseAddress(hops[i])
    // A malformed entry ends the trusted chain: the last good address is as far as we can vouch for.
    if (!hop) break
    client = hop
    if (!isTrusted(hop, ranges)) break
  }
  return client.toString()
}

/** What Payload endpoints see: the header our server set, or null for in-process calls. */
export function clientIpFromHeaders(headers: Headers): string | null {
  const value = headers.get(CLIENT_IP_HEADER)
  return value && value.length <= 64 ? value : null
}
