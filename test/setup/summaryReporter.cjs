const fs = require('node:fs')
const path = require('node:path')

const SLOWEST = 5

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`

/**
 * Prints where the time went (per project: files, wall time from its first file's start to its last file's end,
 * and the sum of its files' times; then the slowest files), and one plain closing line ("jest: N passed, N failed")
 * that CI tooling can read. With TUTORTRACK_TEST_TIMES set, also appends the file times as one JSON line to that
 * file, so scripts/test.ts can total several Jest runs.
 */
class SummaryReporter {
  constructor() {
    this.files = []
  }

  onTestResult(test, result) {
    const displayName = test.context.config.displayName
    const project = (typeof displayName === 'string' ? displayName : displayName?.name) || 'default'
    const { start, end } = result.perfStats
    this.files.push({ project, file: path.relative(test.context.config.rootDir, result.testFilePath), start, end, ms: Math.max(0, end - start) })
  }

  onRunComplete(_contexts, results) {
    const files = this.files.filter((entry) => entry.start > 0)
    if (files.length > 0) process.stdout.write(`\n${formatTimes(files)}\n`)
    const target = process.env.TUTORTRACK_TEST_TIMES
    if (target) fs.appendFileSync(target, `${JSON.stringify({ label: process.env.TUTORTRACK_TEST_LABEL || '', files })}\n`)

    const skipped = results.numPendingTests + results.numTodoTests
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites
    const line = `jest: ${results.numPassedTests} passed, ${failed} failed` + (skipped ? `, ${skipped} skipped` : '')
    process.stdout.write(`\n${line}\n`)
  }
}

/** Per-project lines and the slowest files, for file entries { project, file, start, end, ms }. */
function formatTimes(files) {
  const byProject = new Map()
  for (const entry of files) byProject.set(entry.project, [...(byProject.get(entry.project) ?? []), entry])
  const lines = ['Time per project (wall: first file start to last file end; sum: the files\' own times):']
  for (const [project, entries] of [...byProject].sort(([a], [b]) => a.localeCompare(b))) {
    const wall = Math.max(...entries.map((entry) => entry.end)) - Math.min(...entries.map((entry) => entry.start))
    const sum = entries.reduce((total, entry) => total + entry.ms, 0)
    lines.push(`  ${project.padEnd(18)} ${String(entries.length).padStart(3)} files  wall ${seconds(wall).padStart(8)}  sum ${seconds(sum).padStart(8)}`)
  }
  lines.push(`Slowest ${Math.min(SLOWEST, files.length)} files:`)
  for (const entry of [...files].sort((a, b) => b.ms - a.ms).slice(0, SLOWEST)) {
    lines.push(`  ${seconds(entry.ms).padStart(8)}  ${entry.project.padEnd(18)} ${entry.file}`)
  }
  return lines.join('\n')
}

module.exports = SummaryReporter
module.exports.formatTimes = formatTimes
