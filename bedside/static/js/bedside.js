// Small progressive enhancements; every page works without this file.
document.addEventListener("click", (event) => {
  const target = event.target.closest("[data-print]");
  if (target) {
    event.preventDefault();
    window.print();
  }
});

// An embedded video loads from YouTube or Vimeo only when the viewer presses its button:
// until then no request reaches them. The placeholder carries the player's address.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-video-load]");
  if (!button) return;
  const holder = button.closest("[data-embed-src]");
  if (!holder) return;
  const frame = document.createElement("iframe");
  frame.src = holder.dataset.embedSrc + (holder.dataset.embedSrc.includes("?") ? "&" : "?") + "autoplay=1";
  frame.title = holder.dataset.embedTitle || "Video";
  frame.allow = "autoplay; fullscreen; picture-in-picture";
  frame.allowFullscreen = true;
  frame.referrerPolicy = "strict-origin-when-cross-origin";
  holder.replaceChildren(frame);
  holder.classList.add("is-playing");
  frame.focus();
});
