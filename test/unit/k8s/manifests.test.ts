/**
 * Offline validation of the Kubernetes manifests in k8s/: every kustomization is rendered with
 * `kubectl kustomize` (or a standalone `kustomize`; $KUSTOMIZE overrides), every object is validated
 * against the Kubernetes / Gateway API JSON schemas shipped in kubernetes-models, and the rollout,
 * security and wiring policies the app relies on are asserted.
 *
 * Note: the kubernetes-models schemas check types, enums and required fields but accept unknown fields,
 * so the policy assertions below also catch misspelt keys by requiring the fields we depend on.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { describe, expect, it } from '@jest/globals'
import { HTTPRoute } from '@kubernetes-models/gateway-api/gateway.networking.k8s.io/v1'
import { Deployment } from 'kubernetes-models/apps/v1'
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2'
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1'
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1'
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1'
import YAML from 'yaml'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const k8sDir = path.join(repoRoot, 'k8s')

const APP = 'tutortrack'
const NAMESPACE = 'tutortrack'
const APP_UID = 10001

// ---------------------------------------------------------------------------------------------------------
// Rendering

type K8sObject = {
  apiVersion: string
  kind: string
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }
  [key: string]: any
}

function kustomizeCommand(): { cmd: string; args: string[] } {
  const override = process.env.KUSTOMIZE
  if (override) return { cmd: override, args: ['build'] }
  if (spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0) {
    return { cmd: 'kubectl', args: ['kustomize'] }
  }
  if (spawnSync('kustomize', ['version'], { stdio: 'ignore' }).status === 0) {
    return { cmd: 'kustomize', args: ['build'] }
  }
  throw new Error(
    'Neither kubectl nor kustomize is on PATH. Install kubectl, or set KUSTOMIZE to a kustomize binary ' +
      '(e.g. `go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0`).',
  )
}

const rendered = new Map<string, K8sObject[]>()

function render(dir: string): K8sObject[] {
  const cached = rendered.get(dir)
  if (cached) return cached
  const { cmd, args } = kustomizeCommand()
  const out = execFileSync(cmd, [...args, path.join(k8sDir, dir)], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 })
  const objects = parseYamlStream(out, dir)
  rendered.set(dir, objects)
  return objects
}

function parseYamlStream(text: string, source: string): K8sObject[] {
  return YAML.parseAllDocuments(text)
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors.map(String).join('; ')}`)
      return doc.toJSON() as K8sObject | null
    })
    .filter((obj): obj is K8sObject => obj !== null && typeof obj === 'object')
}

// ---------------------------------------------------------------------------------------------------------
// Schema validation

type Validator = (obj: K8sObject) => void

const model =
  <T extends { validate: () => void }>(Ctor: new (data: never) => T): Validator =>
  (obj) =>
    new Ctor(obj as never).validate()

/** MongoDB Community Operator CRD: no published model package, so check the fields the app relies on. */
const validateMongoDBCommunity: Validator = (obj) => {
  const spec = obj.spec
  if (!spec || typeof spec !== 'object') throw new Error('spec is required')
  if (spec.type !== 'ReplicaSet') throw new Error('spec.type must be ReplicaSet')
  if (!Number.isInteger(spec.members) || spec.members < 1) throw new Error('spec.members must be a positive integer')
  if (typeof spec.version !== 'string' || !/^\d+\.\d+\.\d+$/.test(spec.version)) throw new Error('spec.version must be x.y.z')
  if (!Array.isArray(spec.security?.authentication?.modes)) throw new Error('spec.security.authentication.modes is required')
  if (!Array.isArray(spec.users) || spec.users.length === 0) throw new Error('spec.users is required')
  for (const user of spec.users) {
    for (const key of ['name', 'db', 'scramCredentialsSecretName'] as const) {
      if (typeof user[key] !== 'string' || user[key] === '') throw new Error(`spec.users[].${key} is required`)
    }
    if (typeof user.passwordSecretRef?.name !== 'string') throw new Error('spec.users[].passwordSecretRef.name is required')
    if (!Array.isArray(user.roles) || user.roles.some((r: { name?: unknown; db?: unknown }) => typeof r.name !== 'string' || typeof r.db !== 'string')) {
      throw new Error('spec.users[].roles must be [{ name, db }]')
    }
  }
}

const validators: Record<string, Validator> = {
  'v1/Namespace': model(Namespace),
  'v1/ServiceAccount': model(ServiceAccount),
  'v1/ConfigMap': model(ConfigMap),
  'v1/Secret': model(Secret),
  'v1/Service': model(Service),
  'apps/v1/Deployment': model(Deployment),
  'networking.k8s.io/v1/Ingress': model(Ingress),
  'autoscaling/v2/HorizontalPodAutoscaler': model(HorizontalPodAutoscaler),
  'policy/v1/PodDisruptionBudget': model(PodDisruptionBudget),
  'gateway.networking.k8s.io/v1/HTTPRoute': model(HTTPRoute),
  'mongodbcommunity.mongodb.com/v1/MongoDBCommunity': validateMongoDBCommunity,
}

const idOf = (obj: K8sObject): string => `${obj.apiVersion}/${obj.kind} ${obj.metadata?.name}`

function schemaErrors(objects: K8sObject[]): string[] {
  const errors: string[] = []
  for (const obj of objects) {
    const validate = validators[`${obj.apiVersion}/${obj.kind}`]
    if (!validate) {
      errors.push(`${idOf(obj)}: no schema known for this apiVersion/kind (add it to the test)`)
      continue
    }
    try {
      validate(obj)
    } catch (error) {
      errors.push(`${idOf(obj)}: ${error instanceof Error ? error.message : String(error)}`)
    }
  }
  return errors
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

function only(objects: K8sObject[], kind: string, name?: string): K8sObject {
  const found = objects.filter((o) => o.kind === kind && (name === undefined || o.metadata.name === name))
  if (found.length !== 1) throw new Error(`expected exactly one ${kind}${name ? ` ${name}` : ''}, found ${found.length}`)
  return found[0]!
}

/** Bytes for a Kubernetes memory quantity (the suffixes used in practice). */
function quantityBytes(q: string | number): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(q))
  if (!m) throw new Error(`unsupported quantity ${q}`)
  const factor: Record<string, number> = { '': 1, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 }
  return Number(m[1]) * factor[m[2] ?? '']!
}

/** Splits an image reference into repository, tag and digest (a registry host may carry a :port). */
function parseImage(ref: string): { repository: string; tag?: string; digest?: string } {
  const [nameAndTag, digest] = ref.split('@') as [string, string | undefined]
  const lastSlash = nameAndTag.lastIndexOf('/')
  const colon = nameAndTag.indexOf(':', lastSlash + 1)
  return colon === -1
    ? { repository: nameAndTag, digest }
    : { repository: nameAndTag.slice(0, colon), tag: nameAndTag.slice(colon + 1), digest }
}

const matchesLabels = (selector: Record<string, string> | undefined, labels: Record<string, string>): boolean =>
  !!selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v)

function podOf(objects: K8sObject[]) {
  const deployment = only(objects, 'Deployment', APP)
  const pod = deployment.spec.template
  const container = (pod.spec.containers as K8sObject[]).find((c) => c.name === 'app')
  if (!container) throw new Error('Deployment has no container named "app"')
  return { deployment, pod, podSpec: pod.spec, podLabels: pod.metadata.labels as Record<string, string>, container }
}

/** The environment the app container sees: ConfigMaps from envFrom, then explicit env (which wins). */
function containerEnv(objects: K8sObject[], container: K8sObject): Record<string, string | { valueFrom: unknown }> {
  const env: Record<string, string | { valueFrom: unknown }> = {}
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) Object.assign(env, only(objects, 'ConfigMap', source.configMapRef.name).data)
  }
  for (const entry of container.env ?? []) env[entry.name] = entry.valueFrom ? { valueFrom: entry.valueFrom } : entry.value
  return env
}

function portNumber(container: K8sObject, port: string | number): number | undefined {
  if (typeof port === 'number') return (container.ports ?? []).some((p: { containerPort: number }) => p.containerPort === port) ? port : undefined
  return (container.ports ?? []).find((p: { name?: string }) => p.name === port)?.containerPort
}

// ---------------------------------------------------------------------------------------------------------
// Tests

const OVERLAYS = ['overlays/production', 'overlays/gateway-api', 'overlays/mongodb-operator'] as const
const ALL = ['base', ...OVERLAYS] as const

describe('k8s manifests', () => {
  it('finds a kustomize renderer', () => {
    expect(() => kustomizeCommand()).not.toThrow()
  })

  describe.each(ALL)('%s', (dir) => {
    it('renders and every object passes its schema', () => {
      const objects = render(dir)
      expect(objects.length).toBeGreaterThan(0)
      expect(schemaErrors(objects)).toEqual([])
    })

    it('renders no Secret (secrets are created outside git)', () => {
      expect(render(dir).filter((o) => o.kind === 'Secret').map(idOf)).toEqual([])
    })

    it('Deployment: HPA-owned replicas, zero-downtime rollout, probes', () => {
      const { deployment, podSpec, container } = podOf(render(dir))
      expect(deployment.spec.replicas).toBeUndefined()
      expect(deployment.spec.strategy?.type).toBe('RollingUpdate')
      expect([0, '0%']).toContain(deployment.spec.strategy.rollingUpdate?.maxUnavailable)
      expect(deployment.spec.strategy.rollingUpdate?.maxSurge).toBeDefined()
      expect(matchesLabels(deployment.spec.selector.matchLabels, deployment.spec.template.metadata.labels)).toBe(true)

      expect(container.startupProbe?.httpGet?.path).toBe('/healthz')
      expect(container.readinessProbe?.httpGet?.path).toBe('/readyz')
      expect(container.livenessProbe?.httpGet?.path).toBe('/healthz')
      for (const probe of [container.startupProbe, container.readinessProbe, container.livenessProbe]) {
        expect(portNumber(container, probe.httpGet.port)).toBeDefined()
      }
      // The liveness probe must never depend on the database.
      expect(container.livenessProbe.httpGet.path).not.toBe('/readyz')
      // The startup probe gives a slow first start room before liveness kicks in.
      expect(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold).toBeGreaterThanOrEqual(60)
      expect(podSpec.serviceAccountName).toBe(APP)
    })

    it('Deployment: pinned image, never latest', () => {
      const { podSpec } = podOf(render(dir))
      for (const c of [...(podSpec.initContainers ?? []), ...podSpec.containers]) {
        const image = parseImage(c.image)
        expect({ image: c.image, tagged: Boolean(image.tag || image.digest) }).toEqual({ image: c.image, tagged: true })
        expect(image.tag).not.toBe('latest')
        expect(image.repository).toContain('/')
      }
    })

    it('Deployment: restricted security context', () => {
      const { podSpec } = podOf(render(dir))
      const pod = podSpec.securityContext ?? {}
      for (const c of podSpec.containers as K8sObject[]) {
        const sc = c.securityContext ?? {}
        expect(sc.runAsNonRoot ?? pod.runAsNonRoot).toBe(true)
        expect(sc.runAsUser ?? pod.runAsUser).toBe(APP_UID)
        expect(sc.readOnlyRootFilesystem).toBe(true)
        expect(sc.allowPrivilegeEscalation).toBe(false)
        expect(sc.privileged ?? false).toBe(false)
        expect(sc.capabilities?.drop).toContain('ALL')
        expect(sc.capabilities?.add ?? []).toEqual([])
        expect((sc.seccompProfile ?? pod.seccompProfile)?.type).toBe('RuntimeDefault')
      }
      expect(podSpec.hostNetwork ?? false).toBe(false)
      expect(podSpec.automountServiceAccountToken).toBe(false)
    })

    it('Deployment: writable emptyDir only at /app/.next/cache and /tmp', () => {
      const { podSpec, container } = podOf(render(dir))
      const volumes = new Map<string, K8sObject>((podSpec.volumes ?? []).map((v: K8sObject) => [v.name, v]))
      const mounts = new Map<string, string>((container.volumeMounts ?? []).map((m: { mountPath: string; name: string }) => [m.mountPath, m.name]))
      for (const mountPath of ['/app/.next/cache', '/tmp']) {
        const volume = volumes.get(mounts.get(mountPath) ?? '')
        expect({ mountPath, emptyDir: Boolean(volume?.emptyDir) }).toEqual({ mountPath, emptyDir: true })
      }
      expect([...volumes.values()].filter((v) => !v.emptyDir).map((v) => v.name)).toEqual([])
    })

    // The old-space bound is half the limit: the rest is native memory (~170 MiB at rest: code, malloc, mapped
    // binaries; more under load), measured by `npm run bench` / `npm run bench:heap` (docs/cache.md, "Memory").
    it('Deployment: requests and memory limit set, V8 old space 45–85 % of the limit', () => {
      const objects = render(dir)
      const { container } = podOf(objects)
      expect(container.resources?.requests?.cpu).toBeDefined()
      expect(container.resources?.requests?.memory).toBeDefined()
      expect(container.resources?.limits?.memory).toBeDefined()
      const limit = quantityBytes(container.resources.limits.memory)
      expect(quantityBytes(container.resources.requests.memory)).toBeLessThanOrEqual(limit)

      const nodeOptions = containerEnv(objects, container).NODE_OPTIONS
      const heapMiB = Number(/--max-old-space-size=(\d+)/.exec(String(nodeOptions))?.[1])
      expect(heapMiB).toBeGreaterThan(0)
      const ratio = (heapMiB * 2 ** 20) / limit
      expect(ratio).toBeGreaterThanOrEqual(0.45)
      expect(ratio).toBeLessThanOrEqual(0.85)
    })

    it('Deployment: grace period covers preStop sleep + drain timeout', () => {
      const objects = render(dir)
      const { podSpec, container } = podOf(objects)
      const preStop = container.lifecycle?.preStop
      expect(preStop?.sleep?.seconds).toBeGreaterThan(0)
      expect(preStop.exec).toBeUndefined()
      const drainMs = Number(containerEnv(objects, container).SHUTDOWN_TIMEOUT_MS ?? 25_000)
      expect(Number.isFinite(drainMs)).toBe(true)
      expect(podSpec.terminationGracePeriodSeconds).toBeGreaterThan(preStop.sleep.seconds + drainMs / 1000)
    })

    it('Deployment: config from the ConfigMap, secrets from tutortrack-secrets', () => {
      const objects = render(dir)
      const { container } = podOf(objects)
      const refs = container.envFrom ?? []
      expect(refs.some((r: K8sObject) => r.secretRef?.name === 'tutortrack-secrets')).toBe(true)
      const configMapRef = refs.find((r: K8sObject) => r.configMapRef)?.configMapRef
      const config = only(objects, 'ConfigMap', configMapRef?.name).data as Record<string, string>
      for (const key of [
        'PORT', 'SERVER_URL', 'SHUTDOWN_TIMEOUT_MS', 'ALLOWED_ORIGINS', 'LOG_LEVEL', 'AWS_REGION',
        'SES_CONFIGURATION_SET', 'EMAIL_FROM_ADDRESS', 'EMAIL_FROM_NAME', 'REMINDER_OFFSETS_MINUTES', 'TRUSTED_PROXIES',
      ]) {
        expect({ key, present: key in config }).toEqual({ key, present: true })
      }
      // Secrets and local-only settings never go into a ConfigMap.
      for (const key of ['DATABASE_URI', 'PAYLOAD_SECRET', 'SES_ENDPOINT', 'AWS_SECRET_ACCESS_KEY']) {
        expect({ key, present: key in config }).toEqual({ key, present: false })
      }
      expect(config.NODE_ENV).toBe('production')
      expect(portNumber(container, Number(config.PORT))).toBe(Number(config.PORT))
      expect(config.REMINDER_OFFSETS_MINUTES).toMatch(/^\d+(,\d+)*$/)
      expect(() => new URL(config.SERVER_URL!)).not.toThrow()
    })

    it('Deployment: spread across zones and nodes', () => {
      const { podSpec, podLabels } = podOf(render(dir))
      const constraints = (podSpec.topologySpreadConstraints ?? []) as K8sObject[]
      expect(constraints.map((c) => c.topologyKey).sort()).toEqual(['kubernetes.io/hostname', 'topology.kubernetes.io/zone'])
      for (const c of constraints) expect(matchesLabels(c.labelSelector?.matchLabels, podLabels)).toBe(true)
    })

    it('Service selects the pods and targets the container port', () => {
      const objects = render(dir)
      const { podLabels, container } = podOf(objects)
      const service = only(objects, 'Service', APP)
      expect(service.spec.type ?? 'ClusterIP').toBe('ClusterIP')
      expect(matchesLabels(service.spec.selector, podLabels)).toBe(true)
      for (const port of service.spec.ports) expect(portNumber(container, port.targetPort ?? port.port)).toBeDefined()
    })

    it('PodDisruptionBudget matches the Deployment pods and leaves headroom', () => {
      const objects = render(dir)
      const { deployment, podLabels } = podOf(objects)
      const pdb = only(objects, 'PodDisruptionBudget')
      const hpa = only(objects, 'HorizontalPodAutoscaler')
      expect(matchesLabels(pdb.spec.selector?.matchLabels, podLabels)).toBe(true)
      expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels)
      if (pdb.spec.minAvailable !== undefined) {
        expect(pdb.spec.maxUnavailable).toBeUndefined()
        expect(pdb.spec.minAvailable).toBeGreaterThanOrEqual(2)
        expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas)
      } else {
        expect(pdb.spec.maxUnavailable).toBe(1)
      }
    })

    it('HPA scales the Deployment from at least 3 on CPU, with scale behavior', () => {
      const objects = render(dir)
      const hpa = only(objects, 'HorizontalPodAutoscaler')
      expect(hpa.apiVersion).toBe('autoscaling/v2')
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: APP })
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(3)
      expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas)
      expect(hpa.spec.metrics.some((m: K8sObject) => m.type === 'Resource' && m.resource?.name === 'cpu')).toBe(true)
      expect(hpa.spec.behavior?.scaleUp?.policies?.length).toBeGreaterThan(0)
      expect(hpa.spec.behavior?.scaleDown?.policies?.length).toBeGreaterThan(0)
      expect(hpa.spec.behavior.scaleDown.stabilizationWindowSeconds).toBeGreaterThan(0)
    })

    it('exactly one way in (Ingress or HTTPRoute), to the Service, for SERVER_URL', () => {
      const objects = render(dir)
      const { container } = podOf(objects)
      const service = only(objects, 'Service', APP)
      const serverHost = new URL(String(containerEnv(objects, container).SERVER_URL)).hostname
      const ingresses = objects.filter((o) => o.kind === 'Ingress')
      const routes = objects.filter((o) => o.kind === 'HTTPRoute')
      expect(ingresses.length + routes.length).toBe(1)
      const servicePortOk = (port: { name?: string; number?: number } | number) =>
        service.spec.ports.some((p: { name?: string; port: number }) =>
          typeof port === 'number' ? p.port === port : port.name ? p.name === port.name : p.port === port.number,
        )
      for (const ingress of ingresses) {
        expect(ingress.spec.ingressClassName).toEqual(expect.any(String))
        for (const rule of ingress.spec.rules) {
          expect(rule.host).toBe(serverHost)
          for (const p of rule.http.paths) {
            expect(p.backend.service.name).toBe(APP)
            expect(servicePortOk(p.backend.service.port)).toBe(true)
          }
        }
        for (const tls of ingress.spec.tls ?? []) expect(tls.hosts).toContain(serverHost)
      }
      for (const route of routes) {
        expect(route.spec.parentRefs?.length).toBeGreaterThan(0)
        expect(route.spec.hostnames).toEqual([serverHost])
        for (const rule of route.spec.rules) {
          for (const ref of rule.backendRefs) {
            expect(ref.kind ?? 'Service').toBe('Service')
            expect(ref.name).toBe(APP)
            expect(servicePortOk(ref.port)).toBe(true)
          }
        }
      }
    })

    it('ServiceAccount exists (SES credentials via IRSA, no API token)', () => {
      const sa = only(render(dir), 'ServiceAccount', APP)
      expect(sa.automountServiceAccountToken).toBe(false)
    })
  })

  describe.each(OVERLAYS)('%s (deployable overlay)', (dir) => {
    it(`puts everything in the ${NAMESPACE} namespace with Pod Security labels`, () => {
      const objects = render(dir)
      const ns = only(objects, 'Namespace', NAMESPACE)
      expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toMatch(/^(restricted|baseline)$/)
      expect(objects.filter((o) => o.kind !== 'Namespace' && o.metadata.namespace !== NAMESPACE).map(idOf)).toEqual([])
    })

    it('uses an https SERVER_URL', () => {
      const objects = render(dir)
      const { container } = podOf(objects)
      expect(String(containerEnv(objects, container).SERVER_URL)).toMatch(/^https:\/\//)
    })
  })

  it('production enforces the restricted Pod Security Standard', () => {
    const ns = only(render('overlays/production'), 'Namespace', NAMESPACE)
    expect(ns.metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted')
  })

  it('gateway-api swaps the Ingress for a gateway.networking.k8s.io/v1 HTTPRoute', () => {
    const objects = render('overlays/gateway-api')
    expect(objects.filter((o) => o.kind === 'Ingress')).toEqual([])
    expect(only(objects, 'HTTPRoute', APP).apiVersion).toBe('gateway.networking.k8s.io/v1')
  })

  it("mongodb-operator takes DATABASE_URI from the operator's connection-string Secret", () => {
    const objects = render('overlays/mongodb-operator')
    const mdb = only(objects, 'MongoDBCommunity')
    expect(mdb.spec.members).toBeGreaterThanOrEqual(3)
    expect(mdb.spec.members % 2).toBe(1)
    const { container } = podOf(objects)
    const uri = (container.env ?? []).find((e: { name: string }) => e.name === 'DATABASE_URI')
    const ref = uri?.valueFrom?.secretKeyRef
    expect(ref?.key).toMatch(/^connectionString\.standard(Srv)?$/)
    const user = mdb.spec.users.find((u: { connectionStringSecretName?: string }) => u.connectionStringSecretName === ref.name)
    // Without connectionStringSecretName the operator names it <metadata.name>-<db>-<user>.
    expect(user ?? mdb.spec.users.find((u: { db: string; name: string }) => `${mdb.metadata.name}-${u.db}-${u.name}` === ref.name)).toBeDefined()
    // The generated URI's path is the user's database: it must be the app's database, not admin.
    expect(user.db).not.toBe('admin')
    expect(user.roles.some((r: { name: string; db: string }) => r.name === 'readWrite' && r.db === user.db)).toBe(true)
  })

  describe('base/secret.example.yaml', () => {
    const file = path.join(k8sDir, 'base', 'secret.example.yaml')

    it('is a valid example Secret named tutortrack-secrets with placeholder values', () => {
      const [secret, ...rest] = parseYamlStream(fs.readFileSync(file, 'utf8'), file)
      expect(rest).toEqual([])
      expect(schemaErrors([secret!])).toEqual([])
      expect(secret!.metadata.name).toBe('tutortrack-secrets')
      expect(Object.keys(secret!.stringData).sort()).toEqual(['DATABASE_URI', 'PAYLOAD_SECRET'])
      for (const value of Object.values(secret!.stringData)) expect(String(value)).toContain('CHANGE-ME')
    })

    it('is not a kustomization resource', () => {
      const kustomization = YAML.parse(fs.readFileSync(path.join(k8sDir, 'base', 'kustomization.yaml'), 'utf8'))
      expect(kustomization.resources).not.toContain('secret.example.yaml')
    })
  })
})
