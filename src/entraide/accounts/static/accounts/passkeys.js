// Passkeys need JavaScript and a browser with WebAuthn: their buttons stay hidden (accounts.css)
// until this script finds both, so nobody is offered a button that cannot work.
(function () {
  if (!window.PublicKeyCredential) return
  for (const id of ['passkey_login', 'mfa_webauthn_add']) {
    const button = document.getElementById(id)
    if (button) button.classList.add('is-ready')
  }
})()
