// Inline formsets that grow and shrink in the page (templates/partials/_formset.html): "Add" clones
// the formset's empty form, "Remove" takes a new row back, and "Delete" marks a saved row for
// deletion when the form is saved (a toggle: pressed again, the row stays).
// Django numbers a formset's forms (prefix-0-field, prefix-1-field...) and counts them in
// prefix-TOTAL_FORMS: new rows always follow the saved ones, numbered without gaps.
// For keyboard and screen reader users: each button names its row ("Remove row 2"), Delete says whether
// it is pressed, a new row takes the focus, and a removed row gives it to "Add".
window.formsets = (() => {
  function init(fieldset) {
    if (fieldset.dataset.formsetReady) {
      return
    }
    fieldset.dataset.formsetReady = 'true'
    const prefix = fieldset.dataset.formset
    const field = (name) => fieldset.querySelector(`[name="${prefix}-${name}"]`)
    const total = field('TOTAL_FORMS')
    const initial = Number(field('INITIAL_FORMS').value)
    const max = Number(field('MAX_NUM_FORMS').value)
    const rows = fieldset.querySelector('[data-formset-rows]')
    const emptyRow = fieldset.querySelector('template[data-formset-empty]').content.firstElementChild
    const addButton = fieldset.querySelector('[data-formset-add]')
    const numbered = new RegExp(`${prefix}-(\\d+|__prefix__)-`, 'g')

    // The visible word, and the row's number for screen readers: "Remove" + " row 2".
    function label(button, word, position) {
      const row = document.createElement('span')
      row.className = 'visually-hidden'
      row.textContent = ` ${fieldset.dataset.labelRow.replace('{number}', position)}`
      button.replaceChildren(word, row)
    }

    function renumber() {
      rows.querySelectorAll('[data-formset-row]').forEach((row, position) => {
        const button = row.querySelector('[data-formset-controls] button')
        if (button) {
          label(button, button.firstChild.textContent, position + 1)
        }
      })
      const newRows = rows.querySelectorAll('[data-formset-row]:not([data-saved])')
      newRows.forEach((row, position) => {
        for (const element of [row, ...row.querySelectorAll('*')]) {
          for (const attribute of element.attributes) {
            if (attribute.value.includes(`${prefix}-`)) {
              attribute.value = attribute.value.replace(numbered, `${prefix}-${initial + position}-`)
            }
          }
        }
      })
      total.value = initial + newRows.length
      addButton.disabled = Number(total.value) >= max
    }

    function addControls(row) {
      const button = document.createElement('button')
      button.type = 'button'
      button.className = 'btn btn-outline-danger'
      const deleteBox = row.querySelector(`input[name$="-DELETE"]`)
      if (row.hasAttribute('data-saved') && deleteBox) {
        row.querySelector('[data-formset-delete]').hidden = true
        label(button, fieldset.dataset.labelDelete, 0)
        const show = () => {
          row.classList.toggle('formset-row-deleted', deleteBox.checked)
          button.setAttribute('aria-pressed', String(deleteBox.checked))
          button.classList.toggle('active', deleteBox.checked)
        }
        button.addEventListener('click', () => {
          deleteBox.checked = !deleteBox.checked
          show()
        })
        show()
      } else {
        label(button, fieldset.dataset.labelRemove, 0)
        button.addEventListener('click', () => {
          // Before the rows after it are renumbered: lets scripts drop work on the old numbers.
          fieldset.dispatchEvent(new CustomEvent('formset:removing', { bubbles: true }))
          row.remove()
          renumber()
          addButton.focus()
        })
      }
      row.querySelector('[data-formset-controls]').append(button)
    }

    addButton.addEventListener('click', () => {
      const row = emptyRow.cloneNode(true)
      rows.append(row)
      addControls(row)
      renumber()
      // For scripts that enhance fields as they appear (application.js, where there is one).
      row.dispatchEvent(new CustomEvent('formset:added', { bubbles: true }))
      row.querySelector('input:not([type="hidden"]), select, textarea')?.focus()
    })
    rows.querySelectorAll('[data-formset-row]').forEach(addControls)
    renumber()
    addButton.hidden = false
  }

  document.addEventListener('DOMContentLoaded', () => document.querySelectorAll('[data-formset]').forEach(init))
  return { init }
})()
