// Submits the form marked data-auto-submit (deep-linking response, redirects). No inline script: CSP script-src 'self'.
;(function () {
  var form = document.querySelector('form[data-auto-submit]')
  if (form) form.submit()
})()
