import { withPayload } from '@payloadcms/next/withPayload'
import type { NextConfig } from 'next'
import createNextIntlPlugin from 'next-intl/plugin'

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // `npm test` runs `tsc --noEmit` over the whole project; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  // In development the site works at every loopback spelling (src/lib/env.ts allowedOrigins does the same for
  // Payload's CSRF check); without this, `next dev` refuses its hot-reload socket to http://127.0.0.1:<port> and the
  // page reloads in a loop. Development only: production never reads it.
  allowedDevOrigins: ['127.0.0.1', '[::1]'],
  experimental: {
    // A route's server code loads on its first request, not every route's at start: otherwise the admin panel,
    // GraphQL and every page (with their own copies of shared chunks) sit in each replica's heap, used or not
    // (#18 memory, docs/cache.md "Memory"). The first request to a route pays the load instead.
    preloadEntriesOnStart: false,
    // Turbopack's build cache (on by default) makes the next local build quicker; a fresh CI clone never reads it, and
    // writing it took 14 s of the suite's serial start. .ci/run sets TUTORTRACK_BUILD_CACHE=0.
    turbopackFileSystemCacheForBuild: process.env.TUTORTRACK_BUILD_CACHE !== '0',
  },
}

// The student site's messages (src/i18n); no i18n routing, so Payload's admin routes are untouched.
const withNextIntl = createNextIntlPlugin('./src/i18n/request.ts')

export default withPayload(withNextIntl(nextConfig), { devBundleServerPackages: false })
