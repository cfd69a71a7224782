// Click-to-load videos (the `video` shortcode): the player is requested from the video site only
// when the reader presses Play; until then the page loads nothing from outside the site.
document.addEventListener("click", (event) => {
  const button = event.target.closest(".video__play");
  if (!button) return;
  const figure = button.closest(".video");
  const frame = document.createElement("iframe");
  frame.className = "video__player";
  frame.src = figure.dataset.embed;
  frame.title = figure.dataset.title;
  frame.allow = "autoplay; fullscreen; picture-in-picture; encrypted-media";
  frame.allowFullscreen = true;
  figure.querySelector(".video__placeholder").replaceWith(frame);
  frame.focus();
});
