import { AxeBuilder } from '@axe-core/playwright'
import type { Page } from 'playwright-core'

/**
 * Serious/critical axe findings inside Payload 3.90.1's own admin components (the same list, with the upstream
 * reports, as test/browser/adminPanel.test.ts PAYLOAD_UI_FINDINGS, which also checks each is still seen).
 * Anything else (our components) is returned as a finding.
 */
const PAYLOAD_UI_FINDINGS: { rule: string; markup: RegExp }[] = [
  { rule: 'label', markup: /^<input [^>]*id="react-select-/ },
  { rule: 'aria-hidden-focus', markup: /^<(button|div) class="(dropdown|clear)-indicator" aria-hidden="true"/ },
  { rule: 'label', markup: /^<input aria-label="" id="[^"]+" type="checkbox">$/ },
  { rule: 'label-title-only', markup: /^<input aria-label="" aria-labelledby="select-all" id="select-all"/ },
  { rule: 'button-name', markup: /^<button class="popup-button[ "]/ },
  { rule: 'aria-command-name', markup: /^<div class="collapsible__drag" role="button"/ },
  { rule: 'nested-interactive', markup: /^<div class="multi-value draggable rs__multi-value[^"]*" role="button"/ },
  { rule: 'list', markup: /^<ul class="doc-tabs__tabs">/ },
  // Below ~420 px the edit view's document controls (Save and its status line) scroll sideways in a <div> that
  // takes no focus. Not seen by adminPanel.test.ts, which opens pages at the default width only.
  { rule: 'scrollable-region-focusable', markup: /^<div class="doc-controls__content">$/ },
]

export async function seriousFindingsBeyondPayload(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze()
  const findings: string[] = []
  for (const violation of results.violations) {
    if (violation.impact !== 'serious' && violation.impact !== 'critical') continue
    for (const node of violation.nodes) {
      if (PAYLOAD_UI_FINDINGS.some((entry) => entry.rule === violation.id && entry.markup.test(node.html))) continue
      findings.push(`${violation.id} (${violation.impact}): ${violation.help} — ${node.target.join(' ')}: ${node.html}`)
    }
  }
  return findings
}
