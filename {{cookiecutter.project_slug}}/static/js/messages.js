// A message closed with its × (Bootstrap's alert) would take the focus with it, and the browser start over at
// the top of the page: once it is gone, the focus goes to the page's content instead (2.4.3). Bootstrap tells
// "closed" to the message alone, already out of the page: the listener is the message's own.
document.addEventListener('close.bs.alert', (event) => {
  const main = document.getElementById('main')
  if (main && event.target.contains(document.activeElement)) {
    event.target.addEventListener('closed.bs.alert', () => main.focus(), { once: true })
  }
})
