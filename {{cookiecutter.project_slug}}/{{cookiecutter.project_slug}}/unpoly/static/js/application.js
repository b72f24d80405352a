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
// Pages that go on to another site's (an identity provider's) load in full, as does logging out, which leaves
// nothing of the signed-in pages in Unpoly's cache.
up.link.config.noFollowSelectors.push('[data-full-load]')
up.form.config.noSubmitSelectors.push('#logout-form')

// A page with other stylesheets or scripts (the admin) can't be swapped in: load it in full instead.
// Loading the response's URL with GET never repeats a form submission that was already made.
up.on('up:assets:changed', (event) => {
  event.preventDefault()
  // Without its response (a background revalidation's), the render is only dropped.
  if (event.response) {
    window.location.assign(event.response.url)
  }
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
// input's validity (class, aria-invalid, aria-describedby), so its error shows next to it. A refused file stays
// picked too: the form sent as it is says again why (not allowed), rather than only that a file is required.
up.compiler('input[type=file]', (input) => {
  input.setAttribute('up-keep', '')
})
up.on('up:fragment:keep', 'input[type=file]', (event, input) => {
  const rendered = event.newFragment
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

// Accessibility (WCAG 2.2 AA, docs/accessibility.md). Overlays: named by their heading, closed by a button
// in the page's language (partials/_assets.unpoly.html), and the page behind them out of reach (inert).
up.layer.config.overlay.dismissARIALabel = document.querySelector('meta[name="close-label"]').content
function nameAfterHeading(layer) {
  const heading = layer.element.querySelector('h1')
  if (heading) {
    layer.boxElement.setAttribute('aria-label', heading.textContent.trim())
  }
}
function inertBehindFrontLayer() {
  const front = up.layer.front
  for (const child of document.body.children) {
    child.inert = !front.isRoot() && !child.contains(front.element) && child.localName !== 'up-focus-trap'
  }
}
up.on('up:layer:opened', (event) => {
  nameAfterHeading(event.layer)
  inertBehindFrontLayer()
})
up.on('up:layer:accepted up:layer:dismissed', inertBehindFrontLayer)
// An overlay shows a response's <main>: its id (the skip link's target) stays the page's own.
up.compiler('main[id]', (main) => {
  const layer = up.layer.get(main)
  if (layer.isOverlay()) {
    main.removeAttribute('id')
    nameAfterHeading(layer)
  }
})
// Unpoly 3.14 presses its clickable elements (the overlay's close button) on Enter and on a key it calls
// "Space", which browsers name " ": Space presses them here, as it presses any button.
up.on('keydown', '[up-dismiss], [up-clickable][role="button"]', (event, element) => {
  if (event.key === ' ') {
    event.preventDefault()
    element.click()
  }
})
// Focus returns to what opened an overlay. When the page below was reloaded meanwhile, it goes to the link
// that replaced the opener (same href); when that is gone too (a deleted record's), to the page's content.
let overlayOpener = null
let restoreFocusUntil = 0
function restoreFocus() {
  if (Date.now() > restoreFocusUntil || document.activeElement !== document.body || !up.layer.front.isRoot()) {
    return
  }
  const href = overlayOpener && overlayOpener.getAttribute('href')
  const replacement = href && document.querySelector(`main a[href="${CSS.escape(href)}"]`)
  ;(replacement || document.getElementById('main')).focus()
}
up.on('up:layer:opened', (event) => {
  if (event.layer.parent.isRoot()) {
    overlayOpener = event.layer.origin
  }
})
// The page below may still be reloading (data-reload-on-dismissed): the focus is looked after for a while.
up.on('up:layer:accepted up:layer:dismissed', () => {
  restoreFocusUntil = Date.now() + 3000
  setTimeout(restoreFocus)
})
up.on('up:fragment:destroyed', restoreFocus)

// A table that instant filtering, sorting or paging replaced says what it now shows (its data-announcement,
// templates/table.html) in a live region, which screen readers read out.
const announcer = document.createElement('div')
announcer.className = 'visually-hidden'
announcer.setAttribute('role', 'status')
document.addEventListener('DOMContentLoaded', () => document.body.append(announcer))
function announce(text) {
  announcer.textContent = ''
  setTimeout(() => {
    announcer.textContent = text
  }, 100)
}
up.on('up:fragment:inserted', (event, fragment) => {
  restoreFocus()
  const table = fragment.closest('.table-container') || fragment.querySelector('.table-container')
  if (table && table.dataset.announcement) {
    announce(table.dataset.announcement)
  }
})

// Answers that are pages of their own. A form's (the recovery codes after two-step login's setup): Unpoly sets
// a page's title only with the history, which a POST leaves as it was (2.4.2). A failed one that is not the
// form again (main[data-error-page]): the CSRF failure of a form left open past a logout, a 403 or 404, the
// lockout, a server error. Unpoly would look for the form in it, find none and drop it without a word;
// instead its <main> replaces the layer's, takes the focus, gives the tab its title, and its heading is read
// out (3.3.1, 4.1.3).
up.on('up:fragment:loaded', (event) => {
  if (event.revalidating) {
    return // a cached page checked in the background: what it answers is not a page the user asked for
  }
  const title = responseTitle(event.response)
  if (event.response.ok) {
    if (!event.request.isSafe() && event.layer.isRoot() && title) {
      const rendered = event.renderOptions.onRendered
      event.renderOptions.onRendered = (result) => {
        if (result.fragments.some((fragment) => fragment.matches('main'))) {
          document.title = title
        }
        return rendered && rendered(result)
      }
    }
    return
  }
  if (!event.response.text.includes('data-error-page')) {
    return
  }
  const shown = (result) => {
    if (result.layer.isRoot() && title) {
      document.title = title
    }
    const heading = result.fragment.querySelector('h1')
    announce(heading ? heading.textContent.trim() : title)
  }
  Object.assign(event.renderOptions, { failTarget: 'main', failFocus: 'target', onFailRendered: shown })
})

// The text of a response's <title>, its character references read by the browser (the page itself is never
// parsed here: its styles would break the Content-Security-Policy).
function responseTitle(response) {
  const title = response.text.match(/<title>([^<]*)<\/title>/)
  return title ? new DOMParser().parseFromString(title[1], 'text/html').body.textContent.trim() : ''
}

// Escape closes an overlay from its fields too: Unpoly leaves a key pressed in a field to the field, and
// Escape then only left it (2.1.2: the keyboard leaves the overlay as it came in).
up.on('keydown', 'up-modal input, up-modal select, up-modal textarea', (event) => {
  if (event.key === 'Escape' && !event.defaultPrevented) {
    up.layer.get(event.target).dismiss()
  }
})
