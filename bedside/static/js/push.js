// Web push on this device: registers /sw.js and (un)subscribes this browser.
// Loaded by the push/_subscribe.html partial; the page works without it.
"use strict";

(() => {
  const box = document.querySelector("[data-push]");
  if (!box) return;
  const status = box.querySelector("[data-push-status]");
  const onButton = box.querySelector("[data-push-on]");
  const offButton = box.querySelector("[data-push-off]");
  const csrf = box.querySelector("input[name=csrfmiddlewaretoken]").value;

  const say = (text) => {
    status.textContent = text;
  };

  if (!("serviceWorker" in navigator && "PushManager" in window && "Notification" in window)) {
    say("This browser cannot receive push notifications.");
    return;
  }

  const keyBytes = (base64url) => {
    const base64 = (base64url + "===".slice((base64url.length + 3) % 4))
      .replace(/-/g, "+")
      .replace(/_/g, "/");
    return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  };

  const post = async (url, body) => {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    });
    if (!response.ok) {
      const answer = await response.json().catch(() => ({}));
      throw new Error(answer.error || "The server did not accept the subscription.");
    }
    return response;
  };

  const show = (subscribed) => {
    onButton.hidden = subscribed;
    offButton.hidden = !subscribed;
    if (Notification.permission === "denied") {
      onButton.hidden = true;
      say("Notifications are blocked for this site in your browser settings.");
    } else {
      say(subscribed ? "Push is on for this device." : "Push is off for this device.");
    }
  };

  const ready = navigator.serviceWorker
    .register(box.dataset.serviceWorker, { scope: "/" })
    .then(() => navigator.serviceWorker.ready);

  const refresh = async () => {
    const registration = await ready;
    const subscription = await registration.pushManager.getSubscription();
    // Tell the server again: it may have dropped a subscription the push service expired.
    if (subscription) await post(box.dataset.subscribeUrl, subscription.toJSON());
    show(Boolean(subscription));
  };

  onButton.addEventListener("click", async () => {
    onButton.disabled = true;
    try {
      if ((await Notification.requestPermission()) !== "granted") {
        show(false);
        return;
      }
      const registration = await ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(box.dataset.vapidKey),
      });
      await post(box.dataset.subscribeUrl, subscription.toJSON());
      show(true);
    } catch (error) {
      say(`Push could not be turned on: ${error.message}`);
    } finally {
      onButton.disabled = false;
    }
  });

  offButton.addEventListener("click", async () => {
    offButton.disabled = true;
    try {
      const registration = await ready;
      const subscription = await registration.pushManager.getSubscription();
      if (subscription) {
        await post(box.dataset.unsubscribeUrl, { endpoint: subscription.endpoint });
        await subscription.unsubscribe();
      }
      show(false);
    } catch (error) {
      say(`Push could not be turned off: ${error.message}`);
    } finally {
      offButton.disabled = false;
    }
  });

  refresh().catch((error) => say(`Push is unavailable: ${error.message}`));
})();
