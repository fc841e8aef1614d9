import { describe, expect, it } from '@jest/globals'

import { clientIpFrom, clientIpFromHeaders, CLIENT_IP_HEADER, trustedRanges } from '../../../src/security/clientIp'

const proxies = trustedRanges(['10.0.0.0/8', '192.168.1.5', '::1', 'fd00::/8'])

describe('client IP', () => {
  it('is the socket peer when the peer is not a trusted proxy, whatever X-Forwarded-For says', () => {
    expect(clientIpFrom('203.0.113.9', '1.2.3.4', proxies)).toBe('203.0.113.9')
    expect(clientIpFrom('::ffff:203.0.113.9', undefined, proxies)).toBe('203.0.113.9')
  })

  it('is the first untrusted hop from the right when the request comes through trusted proxies', () => {
    expect(clientIpFrom('10.1.2.3', '198.51.100.7', proxies)).toBe('198.51.100.7')
    // The client forged the leftmost entry; the proxies appended the real address.
    expect(clientIpFrom('10.1.2.3', '1.1.1.1, 198.51.100.7, 10.9.9.9', proxies)).toBe('198.51.100.7')
    expect(clientIpFrom('::ffff:192.168.1.5', ['1.1.1.1', '198.51.100.8'], proxies)).toBe('198.51.100.8')
    expect(clientIpFrom('::1', '2001:db8::1', proxies)).toBe('2001:db8::1')
    expect(clientIpFrom('10.1.2.3', '[2001:db8::2]:443', proxies)).toBe('2001:db8::2')
  })

  it('stops at a malformed hop and never trusts an empty chain', () => {
    expect(clientIpFrom('10.1.2.3', 'not-an-ip, 198.51.100.7', proxies)).toBe('198.51.100.7')
    expect(clientIpFrom('10.1.2.3', 'garbage', proxies)).toBe('10.1.2.3')
    expect(clientIpFrom('10.1.2.3', '10.4.4.4', proxies)).toBe('10.4.4.4')
  })

  it('trusts nobody by default', () => {
    expect(clientIpFrom('127.0.0.1', '6.6.6.6', trustedRanges([]))).toBe('127.0.0.1')
  })

  it('refuses a malformed TRUSTED_PROXIES entry', () => {
    expect(() => trustedRanges(['10.0.0.0/8', 'proxy.internal'])).toThrow(/TRUSTED_PROXIES: "proxy.internal"/)
  })

  it('reads the server-set header inside Payload, null for in-process calls', () => {
    expect(clientIpFromHeaders(new Headers({ [CLIENT_IP_HEADER]: '198.51.100.7' }))).toBe('198.51.100.7')
    expect(clientIpFromHeaders(new Headers())).toBeNull()
  })
})
