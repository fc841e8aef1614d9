import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Payload } from 'payload'

import { api, testPayload } from '../helpers/api'
import { freePort } from '../helpers/appServer'
import { createStudent, createTutor, futureUtc, TEST_PASSWORD, type TestStudent } from '../helpers/fixtures'

/**
 * The production image, built for real (podman + runc, a debootstrapped stand-in for node:24-bookworm-slim) from the
 * run's own production bundle (the Dockerfile's `prebuilt` stage: `npm test` builds the bundle once, before the
 * lanes), run as the Deployment runs it: non-root, read-only root filesystem with writable /tmp and .next/cache,
 * all capabilities dropped, on the test database.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const scripts = path.join(repoRoot, 'scripts', 'container')
const env = { ...process.env, CONTAINERS_CONF: path.join(scripts, 'containers.conf') }
const NAME = `tutortrack-test-${process.pid}`
const IMAGE = 'localhost/tutortrack:test'

function run(command: string, args: string[], extraEnv: Record<string, string> = {}, timeoutMs = 15 * 60_000) {
  const result = spawnSync(command, args, { cwd: repoRoot, env: { ...env, ...extraEnv }, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 })
  return { status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' }
}
const podman = (...args: string[]) => run('podman', ['--runtime', 'runc', ...args], {}, 120_000)

let payload: Payload
let port: number
let url: string

beforeAll(async () => {
  payload = await testPayload()
  for (const script of ['build-base-image.sh', 'build-image.sh']) {
    const built = run('bash', [path.join(scripts, script)], { PREBUILT: '1' })
    if (built.status !== 0) throw new Error(`${script} failed:\n${built.stderr.slice(-4000)}`)
  }
  port = await freePort()
  url = `http://127.0.0.1:${port}`
  const started = podman(
    'run', '-d', '--name', NAME, '--network=host', '--read-only', '--tmpfs', '/tmp', '--tmpfs', '/app/.next/cache',
    '--cap-drop=ALL', '--security-opt=no-new-privileges',
    '-e', `PORT=${port}`, '-e', `DATABASE_URI=${process.env.DATABASE_URI}`, '-e', `PAYLOAD_SECRET=${process.env.PAYLOAD_SECRET}`,
    '-e', `SERVER_URL=${url}`, '-e', 'SHUTDOWN_TIMEOUT_MS=10000', '-e', `SES_ENDPOINT=${process.env.SES_ENDPOINT}`,
    '-e', 'AWS_REGION=us-east-1', '-e', 'AWS_ACCESS_KEY_ID=local', '-e', 'AWS_SECRET_ACCESS_KEY=local',
    // Earlier test files log in from 127.0.0.1 too and share the database (and so the per-IP login quota).
    '-e', 'RATE_LIMIT_LOGIN_PER_IP=100000',
    IMAGE,
  )
  if (started.status !== 0) throw new Error(`podman run failed: ${started.stderr}`)
  const deadline = Date.now() + 120_000
  for (;;) {
    try {
      if ((await fetch(`${url}/readyz`)).status === 200) break
    } catch {
      // still starting
    }
    if (Date.now() > deadline) throw new Error(`container not ready:\n${podman('logs', NAME).stderr.slice(-3000)}`)
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}, 30 * 60_000)

afterAll(() => {
  podman('rm', '-f', '-t', '0', NAME)
})

describe('the production container', () => {
  it('is ready, runs as non-root on a read-only root filesystem', async () => {
    expect((await fetch(`${url}/readyz`)).status).toBe(200)
    const uid = podman('exec', NAME, 'id', '-u').stdout.trim()
    expect(uid).toBe('10001')
    expect(podman('exec', NAME, 'sh', '-c', 'echo x > /app/probe').status).not.toBe(0)
    expect(podman('exec', NAME, 'sh', '-c', 'echo x > /tmp/probe && echo x > /app/.next/cache/probe').status).toBe(0)
    const pid1 = podman('exec', NAME, 'cat', '/proc/1/cmdline').stdout.replace(/\0/g, ' ')
    expect(pid1).toMatch(/^node dist\/server\.mjs/)
  })

  it('takes a booking', async () => {
    const tutor = await createTutor(payload, { name: 'Container Tutor' })
    const student: TestStudent = await createStudent(payload, { label: 'container' })
    const login = await fetch(`${url}/api/students/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: student.email, password: TEST_PASSWORD }),
    })
    expect(login.status).toBe(200)
    const { token } = (await login.json()) as { token: string }
    const booked = await fetch(`${url}/api/appointments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `JWT ${token}` },
      body: JSON.stringify({ tutor: tutor.id, start: futureUtc(50, 10), duration: 60 }),
    })
    expect(booked.status).toBe(201)
    const mine = await api('GET', '/api/appointments', { token: student.token })
    expect(mine.body.totalDocs).toBe(1)
  })

  it('drains on SIGTERM as PID 1 and exits 0', () => {
    const stopped = podman('stop', '-t', '30', NAME)
    expect(stopped.status).toBe(0)
    expect(podman('inspect', '--format', '{{.State.ExitCode}}', NAME).stdout.trim()).toBe('0')
    const logs = podman('logs', NAME)
    expect(logs.stdout + logs.stderr).toContain('shutdown.done')
  })
})
