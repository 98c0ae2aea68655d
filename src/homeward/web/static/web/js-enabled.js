// Marks the page as scripted for the NHS.UK frontend's styles (was an inline script; the CSP allows none).
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " nhsuk-frontend-supported" : "");
