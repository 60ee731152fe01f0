// The call page: click a finding (or a highlighted phrase, or a line) to hear it; keyboard
// shortcuts for verdicts and navigation. No other page needs script.
(function () {
  "use strict";
  const findings = Array.from(document.querySelectorAll(".finding"));
  const player = document.getElementById("player");
  if (!document.querySelector(".transcript")) return;
  let selected = -1;

  function seek(seconds) {
    if (!player || Number.isNaN(seconds)) return;
    player.currentTime = seconds;
    const playing = player.play();
    if (playing) playing.catch(() => {});  // autoplay may be refused; the position is set anyway
  }

  function select(index, { hear = false, scroll = true } = {}) {
    if (index < 0 || index >= findings.length) return;
    selected = index;
    const card = findings[index];
    const id = card.dataset.id;
    findings.forEach((f) => f.classList.toggle("selected", f === card));
    document.querySelectorAll("mark").forEach((m) =>
      m.classList.toggle("on", m.dataset.findings.split(" ").includes(id)));
    document.querySelectorAll(".line").forEach((l) =>
      l.classList.toggle("current", l.dataset.findings.split(" ").includes(id)));
    if (scroll) {
      card.scrollIntoView({ block: "nearest" });
      const line = document.querySelector(".line.current");
      if (line) line.scrollIntoView({ block: "center" });
    }
    history.replaceState(null, "", "#f" + id);
    if (hear) seek(parseFloat(card.dataset.start));
  }

  findings.forEach((card, index) => {
    card.addEventListener("click", (event) => {
      if (event.target.closest("form")) return;  // typing a comment or pressing a verdict button
      select(index, { hear: true, scroll: false });
    });
  });
  document.querySelectorAll(".line").forEach((line) => {
    line.addEventListener("click", (event) => {
      const mark = event.target.closest("mark");
      const index = mark ? findings.findIndex((f) => mark.dataset.findings.split(" ").includes(f.dataset.id)) : -1;
      if (index >= 0) select(index, { hear: true });
      else seek(parseFloat(line.dataset.start));
    });
  });
  document.querySelectorAll(".missed").forEach((item) =>
    item.addEventListener("click", () => seek(parseFloat(item.dataset.start))));

  // 补充漏检: take the span's ends from where the recording is.
  document.querySelectorAll("[data-fill-time]").forEach((button) =>
    button.addEventListener("click", () => {
      const input = button.closest("form").querySelector(`input[name="${button.dataset.fillTime}"]`);
      input.value = player.currentTime.toFixed(1);
    }));

  function verdict(value) {
    if (selected < 0) return;
    const button = findings[selected].querySelector(`button[name="verdict"][value="${value}"]`);
    if (button) button.click();
  }

  function follow(id) {
    const link = document.getElementById(id);
    if (link) window.location.href = link.href;
  }

  const keys = {
    c: () => verdict("confirmed"),
    d: () => verdict("dismissed"),
    u: () => verdict("uncertain"),
    j: () => select(Math.min(selected + 1, findings.length - 1), { hear: true }),
    k: () => select(Math.max(selected - 1, 0), { hear: true }),
    n: () => follow("next-call"),
    p: () => follow("previous-call"),
    " ": () => player && (player.paused ? player.play().catch(() => {}) : player.pause()),
  };
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input, textarea, select")) return;
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  const fromHash = findings.findIndex((f) => "#f" + f.dataset.id === window.location.hash);
  const firstOpen = findings.findIndex((f) => f.classList.contains("verdict-open"));
  select(fromHash >= 0 ? fromHash : Math.max(firstOpen, 0), { scroll: fromHash >= 0 });
})();
