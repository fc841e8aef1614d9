/**
 * Checks the query string of REST API requests before Payload sees it. Payload turns `where`, `sort` and friends
 * into MongoDB queries; a few malformed shapes make it fail with a 500 (`sort=$natural`, `where=text`,
 * `where[id][in]=1,2`, geo operators on fields that have no geometry) and `$`-prefixed keys are operator injection
 * attempts. Those get a 400 with a reason here. Everything Payload itself answers well (unknown paths, hidden
 * fields, access) is left to Payload.
 */
const OPERATORS = new Set([
  'equals',
  'not_equals',
  'in',
  'not_in',
  'all',
  'exists',
  'greater_than',
  'greater_than_equal',
  'less_than',
  'less_than_equal',
  'like',
  'not_like',
  'contains',
])
const ID_OPERATORS = new Set(['equals', 'not_equals', 'in', 'not_in', 'all'])
const OBJECT_ID = /^[0-9a-f]{24}$/i
const SORT_ITEM = /^-?[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/
const MAX_KEYS = 200

export type QueryProblem = string | null

/**
 * REST paths: Payload splits a document id on commas and then fails to cast the list (a 500 for GET, PATCH or
 * DELETE /api/<collection>/a,b). No route of ours or Payload's has a comma in its path.
 */
export function pathProblem(path: string): QueryProblem {
  let decoded: string
  try {
    decoded = decodeURIComponent(path)
  } catch {
    return 'The request path is not valid URL encoding.'
  }
  if (decoded.includes(',')) return 'A document id is a single 24-character id; to fetch several, use where[id][in]=<id>,<id>.'
  return null
}

/** `where[or][0][name][like]` → ['where', 'or', '0', 'name', 'like']; null when the brackets do not add up. */
export function keySegments(key: string): string[] | null {
  const first = key.indexOf('[')
  if (first === -1) return [key]
  const segments = [key.slice(0, first)]
  const rest = key.slice(first)
  const pattern = /\[([^[\]]*)\]/g
  let consumed = 0
  for (let match = pattern.exec(rest); match; match = pattern.exec(rest)) {
    if (match.index !== consumed) return null
    segments.push(match[1])
    consumed = match.index + match[0].length
  }
  return consumed === rest.length ? segments : null
}

export function queryProblem(search: string): QueryProblem {
  if (!search || search === '?') return null
  let params: URLSearchParams
  try {
    params = new URLSearchParams(search)
  } catch {
    return 'The query string could not be read.'
  }
  let count = 0
  for (const [key, value] of params) {
    if (++count > MAX_KEYS) return `Too many query parameters (at most ${MAX_KEYS}).`
    const segments = keySegments(key)
    if (!segments) return `Malformed query parameter "${key.slice(0, 80)}".`
    if (segments.some((segment) => segment.startsWith('$'))) return `Query parameters cannot contain "$" operators ("${key.slice(0, 80)}"). Use Payload operators such as where[field][equals]=value.`
    const [root, ...rest] = segments
    if (root === 'where') {
      const problem = whereProblem(rest, value, key)
      if (problem) return problem
    } else if (root === 'sort') {
      if (rest.length > 0 || !value.split(',').every((item) => SORT_ITEM.test(item.trim()))) return `sort must be field names separated by commas, each optionally prefixed with "-" (got "${value.slice(0, 80)}").`
    } else if (root === 'limit' || root === 'page' || root === 'depth') {
      if (rest.length > 0 || !/^\d{1,6}$/.test(value)) return `${root} must be a whole number (got "${value.slice(0, 40)}").`
      if (root === 'depth' && Number(value) > 10) return 'depth must be at most 10.'
    }
  }
  return null
}

function whereProblem(rest: string[], value: string, key: string): QueryProblem {
  if (rest.length === 0) return 'where must be written as where[field][operator]=value, e.g. where[name][equals]=Ada.'
  // Strip and/or groups: where[or][0][and][1][name][equals]
  let segments = rest
  while ((segments[0] === 'and' || segments[0] === 'or') && segments.length > 1 && /^\d{1,3}$/.test(segments[1])) segments = segments.slice(2)
  // where[name][in][0]=a form: a trailing array index belongs to the value.
  if (segments.length > 1 && /^\d{1,3}$/.test(segments[segments.length - 1])) segments = segments.slice(0, -1)
  if (segments.length < 2) return `Malformed where clause "${key.slice(0, 80)}": use where[field][operator]=value.`
  const operator = segments[segments.length - 1]
  const path = segments.slice(0, -1).join('.')
  if (!OPERATORS.has(operator)) return `Unknown where operator "${operator.slice(0, 40)}". Use one of: ${[...OPERATORS].join(', ')}.`
  const leaf = path.split('.').pop() ?? ''
  if ((leaf === 'id' || leaf === '_id') && ID_OPERATORS.has(operator)) {
    const ids = value.split(',').map((item) => item.trim()).filter(Boolean)
    if (ids.length === 0 || !ids.every((id) => OBJECT_ID.test(id))) return `where[${path}][${operator}] needs 24-character document ids.`
  }
  return null
}
