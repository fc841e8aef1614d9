import fs from 'node:fs'

/** CPU seconds used so far by each live process whose command line matches (by pid). */
export function cpuSeconds(match: (cmdline: string) => boolean): Map<number, number> {
  const ticks = new Map<number, number>()
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ')
      if (!match(cmdline)) continue
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      ticks.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / 100)
    } catch {
      // gone
    }
  }
  return ticks
}

/** CPU seconds used so far by one process (user + system); only that pid, whatever else runs on the machine. */
export function processCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

export function cpuUsedSince(before: Map<number, number>, after: Map<number, number>): number {
  let used = 0
  for (const [pid, seconds] of after) used += seconds - (before.get(pid) ?? 0)
  return used
}

/** The processes behind a local database (scripts/local-db.ts): the FerretDB launcher and, on PostgreSQL, its backends. */
export function databaseProcessMatchers(databaseUri: string): Record<'ferretdb' | 'postgres', (cmdline: string) => boolean> {
  const port = new URL(databaseUri).port
  const ferret = (cmdline: string) => cmdline.includes('ferretdb') && cmdline.includes(`127.0.0.1:${port}`)
  const ferretCmd = [...cpuSeconds(ferret).keys()].map((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')).join(' ')
  const pgDatabase = /5432\/([\w]+)/.exec(ferretCmd)?.[1] ?? '(none)'
  return { ferretdb: ferret, postgres: (cmdline: string) => cmdline.startsWith('postgres:') && cmdline.includes(pgDatabase) }
}
