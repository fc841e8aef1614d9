/**
 * Two projects: `unit` runs the plain TypeScript domain modules on their own; `integration` runs Payload,
 * the HTTP server and the mail path against a real MongoDB-protocol server and a local SES server that
 * test/setup/globalSetup.ts starts for the run.
 */
const swcTransform = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', tsx: true },
      target: 'es2022',
      transform: { react: { runtime: 'automatic' } },
    },
    module: { type: 'es6' },
  },
]

const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts', '.tsx'],
  transform: { '^.+\\.(t|j)sx?$': swcTransform },
  moduleNameMapper: { '^@payload-config$': '<rootDir>/src/payload.config.ts' },
  modulePathIgnorePatterns: ['<rootDir>/.next/', '<rootDir>/dist/', '<rootDir>/.data/', '<rootDir>/tools/'],
}

/** @type {import('jest').Config} */
export default {
  // Integration files share one database server and start app processes of their own: run files one at a time.
  maxWorkers: 1,
  // In one worker process, recycled once it holds 800 MB after a file: run in Jest's own process instead, every file's
  // module graph (Payload, Next, React) stayed reachable and each major GC marked it again (2.2-2.6 GB by the end of
  // a run). 19 integration files: 176 s in band, 161 s this way.
  workerIdleMemoryLimit: '800MB',
  testTimeout: 120_000,
  reporters: ['default', '<rootDir>/test/setup/summaryReporter.cjs'],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/setup/globalSetup.ts',
      globalTeardown: '<rootDir>/test/setup/globalTeardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup/closePayload.ts'],
    },
    {
      // Pages in Debian's Chromium (playwright-core) against the production server. Needs `chromium`.
      ...shared,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.test.ts'],
      // The run's services plus one production server every browser file shares, on a database of its own.
      globalSetup: '<rootDir>/test/setup/browserGlobalSetup.ts',
      setupFiles: ['<rootDir>/test/setup/browserEnvironment.ts'],
      globalTeardown: '<rootDir>/test/setup/globalTeardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup/closePayload.ts'],
    },
    {
      // The production image built and run with podman (scripts/container). Needs root, podman, runc, debootstrap.
      ...shared,
      displayName: 'container',
      testMatch: ['<rootDir>/test/container/**/*.test.ts'],
      globalSetup: '<rootDir>/test/setup/globalSetup.ts',
      globalTeardown: '<rootDir>/test/setup/globalTeardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup/closePayload.ts'],
    },
    {
      // Replicas behind HAProxy (scripts/cluster.ts): balancing, health checks, failures, scaling. Needs `haproxy`.
      ...shared,
      displayName: 'cluster',
      testMatch: ['<rootDir>/test/cluster/**/*.test.ts'],
      globalSetup: '<rootDir>/test/setup/globalSetup.ts',
      globalTeardown: '<rootDir>/test/setup/globalTeardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup/closePayload.ts'],
    },
  ],
}
