// Development only: partials/_assets.html loads it, with axe-core, when DEBUG is on and the URL has ?axe.
// Checks the page as it is now against WCAG 2.2 A and AA and says above the page how many problems axe
// found; the browser's console lists each one with the elements it concerns.
window.addEventListener('load', async () => {
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']
  const { violations } = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } })
  for (const violation of violations) {
    console.error(`axe: ${violation.id}: ${violation.help}`, violation.nodes.map((node) => node.target.join(' ')))
  }
  const report = document.createElement('p')
  report.className = `alert ${violations.length ? 'alert-danger' : 'alert-success'} m-0 rounded-0`
  report.dataset.accessibilityCheck = violations.length
  report.textContent = violations.length
    ? `axe: ${violations.length} kinds of WCAG 2.2 AA problem on this page; the console lists them.`
    : 'axe: no WCAG 2.2 AA problem found on this page.'
  document.body.prepend(report)
})
