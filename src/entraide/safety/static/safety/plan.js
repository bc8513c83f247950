// The safety plan page: a print button, and the offline copy the person asked for on this device
// (a service worker scoped to the plan page only). Nothing here is needed to read or change the plan.
(function () {
  "use strict";
  var print = document.querySelector("[data-print]");
  if (print) {
    print.hidden = false;
    print.addEventListener("click", function () { window.print(); });
  }
  var meta = document.querySelector('meta[name="entraide-offline"]');
  if (!meta || !("serviceWorker" in navigator)) return;
  var worker = meta.getAttribute("data-worker");
  var scope = meta.getAttribute("data-scope");
  // data-settled on the meta once the work below is done: tests wait on it, not on time.
  function settled() { meta.setAttribute("data-settled", ""); }
  if (meta.content === "keep") {
    navigator.serviceWorker.register(worker, { scope: scope }).catch(function () {}).then(settled);
    return;
  }
  // Not (or no longer) kept on this device: forget any copy made before. The copy is deleted only
  // when there is one: a delete sent for nothing can reach the cache storage late, after the copy
  // made by the next page (someone who ticks "keep" at once), and empty it.
  var unregistered = navigator.serviceWorker.getRegistrations().then(function (registrations) {
    return Promise.all(registrations.filter(function (registration) {
      return new URL(registration.scope).pathname === scope;
    }).map(function (registration) { return registration.unregister(); }));
  }).catch(function () {});
  var deleted = !window.caches ? null : window.caches.has("entraide-safety-plan").then(function (found) {
    if (found) return window.caches.delete("entraide-safety-plan");
  }).catch(function () {});
  Promise.all([unregistered, deleted]).then(settled);
})();
