// The projector's count of answers, and whether the session is open, every 10 seconds.
// Fetched and swapped in rather than reloading the page (a meta refresh): nothing
// flashes on the wall and a screen reader keeps its place (WCAG 2.2.1; axe meta-refresh).
setInterval(async () => {
  try {
    const response = await fetch(location.href, { credentials: "same-origin" });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    const status = fresh.querySelector(".status");  // none on the login page, signed out
    if (status) document.querySelector(".status").replaceWith(status);
  } catch {
    // Offline for a moment: the next round tries again.
  }
}, 10000);
