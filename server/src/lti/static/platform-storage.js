// LTI client-side postMessage storage (lti-pm-s v0.1): put the login state in the platform's frame
// before going to its authorization endpoint, or read it back at launch. Falls back after 1 s:
// Jalon's server-side state is the real check; this one only binds the launch to the same browser.
;(function () {
  var el = document.getElementById('lti-storage')
  if (!el) return
  var mode = el.getAttribute('data-mode')
  var origin = el.getAttribute('data-origin')
  var targetName = el.getAttribute('data-target') || '_parent'
  var state = el.getAttribute('data-state')
  var form = document.querySelector('form[data-storage-form]')
  var parentWin = window.opener || window.parent
  var target = parentWin
  try {
    if (targetName !== '_parent' && parentWin.frames[targetName]) target = parentWin.frames[targetName]
  } catch (e) {}
  var id = 'jalon-' + Math.random().toString(36).slice(2)
  var done = false
  function finish(value) {
    if (done) return
    done = true
    if (mode === 'get') {
      var input = form.querySelector('input[name="lti_storage_state"]')
      if (value === null) input.parentNode.removeChild(input), form.appendChild(hidden('lti_storage_unavailable', '1'))
      else input.value = value
    }
    form.submit()
  }
  function hidden(name, value) {
    var i = document.createElement('input')
    i.type = 'hidden'
    i.name = name
    i.value = value
    return i
  }
  window.addEventListener('message', function (event) {
    if (event.origin !== origin || !event.data || event.data.message_id !== id) return
    if (event.data.error) return finish(null)
    if (mode === 'get') finish(typeof event.data.value === 'string' ? event.data.value : null)
    else finish('')
  })
  if (!target || target === window) return finish(null)
  var message =
    mode === 'get'
      ? { subject: 'lti.get_data', message_id: id, key: 'lti_state_' + state }
      : { subject: 'lti.put_data', message_id: id, key: 'lti_state_' + state, value: state }
  try {
    target.postMessage(message, origin)
  } catch (e) {
    return finish(null)
  }
  setTimeout(function () {
    finish(null)
  }, 1000)
})()
