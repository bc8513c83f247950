// entraide: the offline copy of the safety plan page, on the devices where the person asked for it.
// Registered with the plan page's scope only (/securite/plan/); it keeps that one page and nothing
// else. Network first: the copy is used only when the network cannot answer. When the server says
// the person is no longer logged in (a redirect, 401, 403, 404), the copy is deleted at once.
// Logging out sends Clear-Site-Data: "cache", "storage", which empties the copy and unregisters this.
"use strict";
var CACHE = "entraide-safety-plan";
var PLAN = new URL("plan/", self.location.href).pathname;
var GONE = [401, 403, 404];

function isGone(response) {
  return response.type === "opaqueredirect" || response.redirected || GONE.indexOf(response.status) >= 0;
}

function keep(response) {
  var copy = response.clone();
  return caches.open(CACHE).then(function (cache) { return cache.put(PLAN, copy); });
}

function cached() {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(PLAN, { ignoreSearch: true, ignoreVary: true });
  });
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    fetch(PLAN, { credentials: "same-origin", redirect: "manual", cache: "no-store" })
      .then(function (response) { if (response.ok && !isGone(response)) return keep(response); })
      .catch(function () {})
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || url.pathname !== PLAN) return;
  event.respondWith(
    fetch(request).then(
      function (response) {
        if (isGone(response)) {
          return caches.delete(CACHE).then(function () { return response; });
        }
        if (response.ok && response.type === "basic") {
          return keep(response).then(function () { return response; });
        }
        return cached().then(function (copy) { return copy || response; });
      },
      function () {
        return cached().then(function (copy) { return copy || Response.error(); });
      }
    )
  );
});
