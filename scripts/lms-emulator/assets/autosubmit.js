// Submits the auto-post forms (login initiation, id_token, deep-linking return), as Moodle's pages do.
document.querySelectorAll('form[data-autosubmit="true"]').forEach(function (form) {
  form.submit()
})
