// Dynamic registration done: tell the platform to close its registration frame (LTI DR 1.0 §3.6).
;(function () {
  var target = window.opener || window.parent
  if (target && target !== window) target.postMessage({ subject: 'org.imsglobal.lti.close' }, '*')
})()
