// LTI client-side postMessage storage, platform side (lti-pm-s v0.1, as Canvas, D2L and Sakai offer it; Moodle
// does not): answers lti.capabilities, lti.put_data and lti.get_data from the tool frame, keyed by the tool's origin.
(function () {
  var meta = document.querySelector('meta[name="lti-tool-origins"]')
  var allowed = meta ? meta.getAttribute('content').split(' ').filter(Boolean) : []
  var store = {}
  window.addEventListener('message', function (event) {
    var data = event.data
    if (!data || typeof data !== 'object' || typeof data.subject !== 'string' || data.subject.indexOf('lti.') !== 0) return
    if (!event.source || event.origin === 'null' || (allowed.length && allowed.indexOf(event.origin) < 0)) return
    var reply = { subject: data.subject + '.response', message_id: data.message_id }
    if (data.subject === 'lti.capabilities') {
      reply.supported_messages = [
        { subject: 'lti.capabilities' },
        { subject: 'lti.put_data', frame: '_parent' },
        { subject: 'lti.get_data', frame: '_parent' },
      ]
    } else if (data.subject === 'lti.put_data') {
      if (typeof data.key !== 'string' || !data.key) {
        reply.error = { code: 'bad_request', message: 'key is required' }
      } else {
        var k = event.origin + '\n' + data.key
        if (data.value === null || data.value === undefined) delete store[k]
        else store[k] = String(data.value)
        reply.key = data.key
        reply.value = data.value
      }
    } else if (data.subject === 'lti.get_data') {
      var key = event.origin + '\n' + data.key
      if (!(key in store)) {
        reply.error = { code: 'bad_request', message: 'no value for key ' + data.key }
      } else {
        reply.key = data.key
        reply.value = store[key]
      }
    } else if (/\.response$/.test(data.subject)) {
      return
    } else {
      reply.error = { code: 'unsupported_subject', message: 'Unsupported subject ' + data.subject }
    }
    event.source.postMessage(reply, event.origin)
  })
})()
