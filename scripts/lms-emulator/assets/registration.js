// Dynamic registration page: the tool's page in the iframe posts {subject: "org.imsglobal.lti.close"} when done
// (LTI Dynamic Registration 1.0 §3.6); Moodle then closes its modal and lists the new (pending) tool.
(function () {
  var frame = document.getElementById('registration-frame')
  var status = document.getElementById('registration-status')
  var done = document.getElementById('registration-done')
  if (!frame || !status) return
  var toolOrigin = frame.getAttribute('data-tool-origin')
  window.addEventListener('message', function (event) {
    var data = event.data
    if (!data || typeof data !== 'object' || data.subject !== 'org.imsglobal.lti.close') return
    if (toolOrigin && event.origin !== toolOrigin) return
    status.textContent = 'Outil enregistré'
    status.classList.add('success')
    frame.hidden = true
    if (done) done.hidden = false
    status.focus()
  })
})()
