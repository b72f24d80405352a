// The admin, where Django leaves WCAG 2.2 AA open (4.1.2, 1.3.1): its autocomplete fields (select2) show a
// combobox named after its selection, nothing when it is empty; a tabular inline's fields have no label of
// their own, only the column's heading, and its first heading is empty. Each gets its name here, in the
// page's language (the labels' own words), on the page and on each row an "Add another" adds.
;(function () {
  function columnHeading(field) {
    const cell = field.closest('td[class*="field-"]')
    const column = cell && [...cell.classList].find((name) => name.startsWith('field-'))
    const heading = column && cell.closest('table').querySelector(`thead th.column-${column.slice('field-'.length)}`)
    return heading ? heading.textContent.trim() : ''
  }

  function nameOf(field) {
    const label = field.labels && field.labels[0]
    return label ? label.textContent.trim().replace(/:$/, '') : columnHeading(field)
  }

  function name(root) {
    for (const field of root.querySelectorAll('.tabular td input:not([type=hidden]), .tabular td select, .tabular td textarea')) {
      if (!field.labels.length && !field.hasAttribute('aria-label') && columnHeading(field)) {
        field.setAttribute('aria-label', columnHeading(field))
      }
    }
    // select2 names its combobox by the element showing the selection (aria-labelledby): the field's name goes
    // first, the selection is still read as its value.
    for (const combobox of root.querySelectorAll('.select2-selection[role="combobox"]:not([aria-label])')) {
      const container = combobox.closest('.select2')
      const select = container && container.previousElementSibling
      if (select && select.localName === 'select' && nameOf(select)) {
        combobox.removeAttribute('aria-labelledby')
        combobox.setAttribute('aria-label', nameOf(select))
        // The "textbox" inside it is the combobox's own text, not a field of its own.
        for (const shown of combobox.querySelectorAll('[role="textbox"]')) {
          shown.removeAttribute('role')
          shown.removeAttribute('aria-readonly')
        }
      }
    }
    // The first column holds each row's own name: its heading says so, to screen readers only (the admin's
    // own .visually-hidden).
    for (const heading of root.querySelectorAll('.tabular thead th.original')) {
      const group = heading.closest('.inline-group')
      const title = group && group.querySelector('h2')
      if (!heading.textContent.trim() && title) {
        const text = document.createElement('span')
        text.className = 'visually-hidden'
        text.textContent = title.textContent.trim()
        heading.append(text)
      }
    }
  }

  document.addEventListener('DOMContentLoaded', () => {
    name(document)
    new MutationObserver(() => name(document)).observe(document.body, { childList: true, subtree: true })
  })
})()
