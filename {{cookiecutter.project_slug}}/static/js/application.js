// The project's Unpoly configuration (https://unpoly.com), loaded on every page after unpoly.min.js.

// Unpoly's log in the browser console, in development only (partials/_assets.html adds the meta tag when DEBUG is on).
if (document.querySelector('meta[name="debug"]')) {
  up.log.enable()
}

// Every link and form goes through Unpoly: the response replaces the page's <main> element, no full reload.
// Opt a link or form out with up-follow="false" or up-submit="false".
up.link.config.followSelectors.push('a[href]')
up.link.config.instantSelectors.push('a[href]')
up.form.config.submitSelectors.push('form')

// A page with other stylesheets or scripts (the admin) can't be swapped in: load it in full instead.
// Loading the response's URL with GET never repeats a form submission that was already made.
up.on('up:assets:changed', (event) => {
  event.preventDefault()
  window.location.assign(event.response.url)
})

// A link that opens an overlay can refresh a fragment of the page below once the overlay closes:
// data-reload-on-accepted="#invoices" (or -dismissed) names it. Here rather than in [up-on-accepted] callbacks,
// which the Content-Security-Policy blocks (they run through eval). hungry: false keeps the messages
// the closing response just showed.
up.on('up:link:follow', '[data-reload-on-accepted], [data-reload-on-dismissed]', (event, link) => {
  const { reloadOnAccepted, reloadOnDismissed } = link.dataset
  if (reloadOnAccepted) {
    event.renderOptions.onAccepted = () => up.reload(reloadOnAccepted, { hungry: false })
  }
  if (reloadOnDismissed) {
    event.renderOptions.onDismissed = () => up.reload(reloadOnDismissed, { hungry: false })
  }
})

// A form that changes data redirects to a page that shows its flash message ("… was created") once. Unpoly would
// cache that page for its URL and show the message again on the next visit: keep it, and the URL's older copy,
// out of the cache.
up.on('up:request:load', (event) => {
  if (!event.request.isSafe()) {
    event.request.cache = false
  }
})
up.on('up:request:loaded', (event) => {
  if (!event.request.isSafe()) {
    up.cache.evict(event.response.url)
  }
})

// The navigation shows who is logged in, and the logout form (in base.html) holds the session's CSRF token:
// refresh both with every response, as partials/_messages.html is.
up.radio.config.hungrySelectors.push('#main-nav', '#logout-form')

// Validate one crispy-forms field wrapper (div#div_id_<name>) at a time, not the whole form.
up.form.config.groupSelectors.unshift('[id^="div_id_"]')

// A re-rendered file input loses the file the user picked: keep it through validation passes, with the new
// input's validity (class, aria-invalid, aria-describedby). When the server refused the file, or wants one,
// the new input replaces it, so its error shows (Bootstrap shows .invalid-feedback next to .is-invalid only).
up.compiler('input[type=file]', (input) => {
  input.setAttribute('up-keep', '')
})
up.on('up:fragment:keep', 'input[type=file]', (event, input) => {
  const rendered = event.newFragment
  if (rendered.classList.contains('is-invalid')) {
    event.preventDefault()
    return
  }
  for (const name of ['class', 'aria-invalid', 'aria-describedby']) {
    if (rendered.hasAttribute(name)) {
      input.setAttribute(name, rendered.getAttribute(name))
    } else {
      input.removeAttribute(name)
    }
  }
})

// Navigation feedback: a nav link stays active on the pages below it (/orders/ on /orders/7/).
up.compiler('.navbar .nav-link[href]', (link) => {
  const path = link.getAttribute('href')
  if (path !== '/') {
    link.setAttribute('up-alias', `${path}*`)
  }
})

// Formsets (static/js/formsets.js) in every page, overlay and re-rendered form Unpoly shows,
// and the rows they add compiled like the rest of the form (validation, kept file inputs).
up.compiler('[data-formset]', (fieldset) => {
  window.formsets.init(fieldset)
})
up.on('formset:added', (event) => {
  up.hello(event.target)
})
// A validation still on its way for a row that is removed, or renumbered, would land in the wrong row.
up.on('formset:removing', (event) => {
  up.fragment.abort(event.target)
})

// django-tables2's sorting and pagination links replace only the table and keep the URL current,
// so its own templates stay unmodified.
up.compiler('.table-container th.orderable a[href], .table-container .pagination a.page-link[href]', (link) => {
  link.setAttribute('up-target', '.table-container')
  link.setAttribute('up-history', 'true')
})
