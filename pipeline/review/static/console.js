// The console's pages. The call page: verdicts saved in the background (the page, its audio
// and the browser history stay as they are), the next open finding cued with a lead-in, a
// timeline of the call, player controls and a search within the transcript, all by keyboard.
// The queue page: move through the rows and open one by keyboard.
(function () {
  "use strict";
  const LEAD_IN = 2;  // seconds of audio before a cued finding
  const SPEEDS = [1, 1.25, 1.5, 2];

  function typing(target) {
    return target.closest && target.closest("input, textarea, select");
  }

  function onKeys(keys) {
    document.addEventListener("keydown", (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      const action = keys[event.key];
      if (action) {
        event.preventDefault();
        action();
      }
    });
  }

  // A category's colour, the same on the timeline, its legend and the tags: hues a golden
  // angle apart in the category table's order, so neighbours in the table never look alike.
  const categoryMeta = document.querySelector('meta[name="callqa-categories"]');
  const categoryIds = categoryMeta ? categoryMeta.content.split(",") : [];
  function categoryColour(category) {
    const index = categoryIds.indexOf(category);
    return `hsl(${Math.round(((index < 0 ? categoryIds.length : index) * 137.5) % 360)}, 65%, 46%)`;
  }
  document.querySelectorAll(".tag[data-category]").forEach((tag) => {
    tag.style.borderLeft = `4px solid ${categoryColour(tag.dataset.category)}`;
  });

  // --- the queue page --------------------------------------------------------------------
  const queueRows = Array.from(document.querySelectorAll("table.queue tbody tr[data-href]"));
  const nextUnreviewed = document.getElementById("next-unreviewed");
  if (queueRows.length) {
    let row = -1;
    const pick = (index) => {
      row = Math.max(0, Math.min(index, queueRows.length - 1));
      queueRows.forEach((r, i) => r.classList.toggle("selected", i === row));
      queueRows[row].scrollIntoView({ block: "nearest" });
    };
    onKeys({
      j: () => pick(row + 1),
      k: () => pick(row - 1),
      Enter: () => row >= 0 && (window.location.href = queueRows[row].dataset.href),
      o: () => row >= 0 && (window.location.href = queueRows[row].dataset.href),
      n: () => nextUnreviewed && (window.location.href = nextUnreviewed.href),
    });
  }

  // --- the call page ---------------------------------------------------------------------
  if (!document.querySelector(".transcript")) return;
  const findings = Array.from(document.querySelectorAll(".finding"));
  const lines = Array.from(document.querySelectorAll(".transcript .line"));
  const player = document.getElementById("player");
  let selected = -1;
  const playbar = document.getElementById("playbar");
  const barHeight = () => document.documentElement.style.setProperty("--bar", `${playbar.offsetHeight}px`);
  if (playbar) {
    barHeight();
    window.addEventListener("resize", barHeight);
  }

  function seek(seconds, { play = false } = {}) {
    if (!player || Number.isNaN(seconds)) return;
    const target = Math.max(0, seconds);
    // A seek to where the player already is would still fire a late 'seeked' and stall playback.
    if (Math.abs(player.currentTime - target) > 0.001) player.currentTime = target;
    if (play) {
      const playing = player.play();
      if (playing) playing.catch(() => {});  // autoplay may be refused; the position is set anyway
    }
  }

  function cue(card, play) {
    seek(parseFloat(card.dataset.start) - LEAD_IN, { play });
  }

  function findingIds(element) {
    return (element.dataset.findings || "").split(" ").filter(Boolean);
  }

  function select(index, { hear = false, scroll = true } = {}) {
    if (index < 0 || index >= findings.length) return;
    selected = index;
    const card = findings[index];
    const id = card.dataset.id;
    findings.forEach((f) => f.classList.toggle("selected", f === card));
    document.querySelectorAll(".transcript mark").forEach((m) => m.classList.toggle("on", findingIds(m).includes(id)));
    lines.forEach((l) => l.classList.toggle("current", findingIds(l).includes(id)));
    document.querySelectorAll(".marker").forEach((m) => m.classList.toggle("on", m.dataset.id === id));
    if (scroll) {
      card.scrollIntoView({ block: "nearest" });
      const line = document.querySelector(".line.current");
      if (line) line.scrollIntoView({ block: "nearest" });
    }
    if (hear) cue(card, true);
  }

  function isOpen(card) {
    return !card.dataset.verdict || card.dataset.verdict === "uncertain";
  }

  // The next open finding after ``from``, going round; -1 when none is left.
  function nextOpen(from) {
    for (let step = 1; step <= findings.length; step++) {
      const index = (from + step) % findings.length;
      if (isOpen(findings[index]) && index !== from) return index;
    }
    return -1;
  }

  findings.forEach((card, index) => {
    card.addEventListener("click", (event) => {
      if (event.target.closest("form, details")) return;  // a comment, a button, the history
      select(index, { hear: true, scroll: false });
    });
  });
  lines.forEach((line) => {
    line.addEventListener("click", (event) => {
      const mark = event.target.closest("mark");
      const index = mark ? findings.findIndex((f) => findingIds(mark).includes(f.dataset.id)) : -1;
      if (index >= 0) select(index, { hear: true });
      else seek(parseFloat(line.dataset.start), { play: true });
    });
  });
  document.querySelectorAll(".missed").forEach((item) =>
    item.addEventListener("click", () => seek(parseFloat(item.dataset.start), { play: true })));

  // 补充漏检: take the span's ends from where the recording is.
  document.querySelectorAll("[data-fill-time]").forEach((button) =>
    button.addEventListener("click", () => {
      const input = button.closest("form").querySelector(`input[name="${button.dataset.fillTime}"]`);
      input.value = player.currentTime.toFixed(1);
    }));

  // --- verdicts in the background ----------------------------------------------------------
  const draftKey = (card) => "callqa-comment-" + card.dataset.id;

  function showVerdict(card, review) {
    card.dataset.verdict = review.verdict;
    card.className = card.className.replace(/\bverdict-\S+/, "verdict-" + review.verdict);
    card.querySelector(".status").textContent = review.label;
    card.querySelector("input[name=base]").value = review.base;
    const history = card.querySelector(".history");
    const item = document.createElement("li");
    item.className = "current";
    item.textContent = `${review.at} ${review.reviewer}：${review.label}` + (review.comment ? `，${review.comment}` : "");
    history.querySelectorAll("li.current").forEach((li) => {
      li.classList.remove("current");
      li.textContent += "（已被后续结论取代）";
    });
    history.querySelector("ol").prepend(item);
    history.querySelector(".count").textContent = history.querySelectorAll("li").length;
    history.hidden = false;
  }

  function warn(card, message) {
    const box = card.querySelector(".conflict");
    box.textContent = message;
    box.hidden = !message;
  }

  async function submitVerdict(card, verdict) {
    const form = card.querySelector("form.verdict");
    const comment = form.querySelector("textarea");
    const body = new FormData(form);
    body.set("verdict", verdict);
    let response;
    try {
      response = await fetch(form.dataset.api, { method: "POST", body, headers: { Accept: "application/json" } });
    } catch (error) {
      warn(card, "网络错误，结论未保存，请重试");
      return false;
    }
    const answer = await response.json().catch(() => ({ detail: "服务器返回了无法识别的内容" }));
    if (response.ok) {
      showVerdict(card, answer);
      warn(card, "");
      comment.value = "";
      sessionStorage.removeItem(draftKey(card));
      return true;
    }
    if (response.status === 409) {  // someone decided meanwhile: show theirs, keep ours unsaved
      showVerdict(card, answer.current);
      warn(card, answer.detail + " 再按一次同一结论键即以您的结论为准。");
    } else if (response.status === 401) {  // the session ended: keep the comment for later
      sessionStorage.setItem(draftKey(card), comment.value);
      warn(card, "登录已过期，结论未保存（备注已保留）。请在新标签页登录后回到此页再按一次。");
    } else {
      warn(card, answer.detail || `保存失败（${response.status}）`);
    }
    return false;
  }

  let saving = false;
  async function verdict(value) {
    if (selected < 0 || saving) return;
    const index = selected;
    saving = true;
    try {
      if (!(await submitVerdict(findings[index], value))) return;
    } finally {
      saving = false;
    }
    const next = nextOpen(index);
    if (next >= 0) {
      select(next);
      cue(findings[next], false);  // playing goes on from the lead-in; paused stays paused
    }
  }

  // One verdict for every open finding on the selected finding's line, then on to the next.
  async function verdictLine(value) {
    if (selected < 0 || saving) return;
    const group = findings[selected].closest(".line-group");
    if (!group) return verdict(value);
    const cards = Array.from(group.querySelectorAll(".finding")).filter(isOpen);
    if (!cards.length) return;
    saving = true;
    try {
      for (const card of cards) await submitVerdict(card, value);
    } finally {
      saving = false;
    }
    const next = nextOpen(findings.indexOf(cards[cards.length - 1]));
    if (next >= 0) {
      select(next);
      cue(findings[next], false);
    }
  }

  findings.forEach((card) => {
    const form = card.querySelector("form.verdict");
    const comment = form.querySelector("textarea");
    comment.value = sessionStorage.getItem(draftKey(card)) || "";
    form.addEventListener("submit", (event) => {  // a click on a verdict button
      event.preventDefault();
      select(findings.indexOf(card), { scroll: false });
      verdict(event.submitter ? event.submitter.value : "uncertain");
    });
    comment.addEventListener("input", () => sessionStorage.setItem(draftKey(card), comment.value));
    comment.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        comment.blur();
        card.focus({ preventScroll: true });
      } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        // Save the comment: with the finding's verdict when it has one; an open one stays
        // open (存疑 counts as open) until a reviewer decides it.
        event.preventDefault();
        comment.blur();
        select(findings.indexOf(card), { scroll: false });
        verdict(card.dataset.verdict || "uncertain");
      }
    });
  });

  function writeComment() {
    if (selected < 0) return;
    findings[selected].querySelector("form.verdict textarea").focus();
  }

  function follow(id) {
    const link = document.getElementById(id);
    if (link) window.location.href = link.href;
  }

  // --- player controls -------------------------------------------------------------------
  const speed = document.getElementById("speed");
  function setSpeed(rate) {
    if (!player) return;
    player.playbackRate = rate;
    if (speed) speed.value = String(rate);
  }
  if (speed) speed.addEventListener("change", () => setSpeed(parseFloat(speed.value)));
  function nextSpeed() {
    if (!player) return;
    const at = SPEEDS.indexOf(player.playbackRate);
    setSpeed(SPEEDS[(at + 1) % SPEEDS.length]);
  }
  function skip(seconds) {
    if (player) player.currentTime = Math.max(0, Math.min(player.currentTime + seconds, player.duration || Infinity));
  }
  document.querySelectorAll("[data-skip]").forEach((button) =>
    button.addEventListener("click", () => skip(parseFloat(button.dataset.skip))));

  // Channel solo: route the recording through Web Audio only once a channel is chosen.
  const solo = document.getElementById("solo");
  let audioGraph = null;
  if (solo && player) {
    solo.addEventListener("change", () => {
      if (!audioGraph) {
        const context = new AudioContext();
        const source = context.createMediaElementSource(player);
        const splitter = context.createChannelSplitter(2);
        const merger = context.createChannelMerger(2);
        const gains = [context.createGain(), context.createGain()];
        source.connect(splitter);
        gains.forEach((gain, channel) => {
          splitter.connect(gain, channel);
          gain.connect(merger, 0, 0);  // the chosen channel on both ears
          gain.connect(merger, 0, 1);
        });
        merger.connect(context.destination);
        audioGraph = { context, gains };
      }
      audioGraph.context.resume();
      audioGraph.gains.forEach((gain, channel) => {
        gain.gain.value = solo.value === "both" ? 0.5 : Number(solo.value) === channel ? 1 : 0;
      });
    });
  }

  // --- the timeline ------------------------------------------------------------------------
  const timeline = document.getElementById("timeline");
  const duration = parseFloat(timeline && timeline.dataset.duration) || 0;
  const playhead = document.getElementById("playhead");
  const percent = (seconds) => `${Math.max(0, Math.min(100, (seconds / duration) * 100))}%`;
  if (timeline && duration > 0) {
    const lanes = {
      agent: timeline.querySelector(".lane-agent"),
      customer: timeline.querySelector(".lane-customer"),
      findings: timeline.querySelector(".lane-findings"),
    };
    lines.forEach((line) => {
      const lane = lanes[line.dataset.speaker];
      if (!lane) return;
      const region = document.createElement("span");
      region.className = "region";
      region.style.left = percent(parseFloat(line.dataset.start));
      region.style.width = percent(parseFloat(line.dataset.end) - parseFloat(line.dataset.start));
      lane.appendChild(region);
    });
    findings.forEach((card) => {
      const marker = document.createElement("span");
      marker.className = "marker";
      marker.dataset.id = card.dataset.id;
      marker.title = card.querySelector(".tag").textContent;
      marker.style.left = percent(parseFloat(card.dataset.start));
      const width = parseFloat(card.dataset.end) - parseFloat(card.dataset.start);
      marker.style.width = `max(4px, ${percent(width)})`;
      marker.style.background = categoryColour(card.dataset.category);
      marker.addEventListener("click", (event) => {
        event.stopPropagation();
        select(findings.indexOf(card), { hear: true });
      });
      lanes.findings.appendChild(marker);
    });
    timeline.addEventListener("click", (event) => {
      const box = timeline.getBoundingClientRect();
      seek(((event.clientX - box.left) / box.width) * duration, { play: true });
    });
  }

  // The line being played: highlighted, kept in view, the playhead on the timeline.
  let playingLine = null;
  function followPlayback() {
    const now = player.currentTime;
    if (playhead && duration > 0) playhead.style.left = percent(now);
    const line = lines.find((l) => parseFloat(l.dataset.start) <= now && now < parseFloat(l.dataset.end)) || null;
    if (line === playingLine) return;
    if (playingLine) playingLine.classList.remove("playing");
    playingLine = line;
    if (!line) return;
    line.classList.add("playing");
    const box = line.getBoundingClientRect();
    const top = document.getElementById("playbar").getBoundingClientRect().bottom;
    if (box.top < top || box.bottom > window.innerHeight) line.scrollIntoView({ block: "center" });
  }
  if (player) {
    player.addEventListener("timeupdate", followPlayback);
    player.addEventListener("seeked", followPlayback);
  }

  // --- search within the transcript (the text as shown, so masked digits stay masked) ----
  const find = document.getElementById("find");
  const findCount = document.getElementById("find-count");
  let hits = [];
  let hit = -1;
  function search() {
    const query = find.value.trim();
    hits = query ? lines.filter((l) => l.querySelector(".text").textContent.includes(query)) : [];
    lines.forEach((l) => l.classList.toggle("hit", hits.includes(l)));
    hit = -1;
    findCount.textContent = query ? `${hits.length} 处` : "";
  }
  function nextHit() {
    if (!hits.length) return;
    hit = (hit + 1) % hits.length;
    hits[hit].scrollIntoView({ block: "center" });
    seek(parseFloat(hits[hit].dataset.start));
    findCount.textContent = `${hit + 1} / ${hits.length} 处`;
  }
  if (find) {
    find.addEventListener("input", search);
    find.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        nextHit();
      } else if (event.key === "Escape") {
        event.preventDefault();
        find.blur();
      }
    });
  }

  onKeys({
    c: () => verdict("confirmed"),
    d: () => verdict("dismissed"),
    u: () => verdict("uncertain"),
    C: () => verdictLine("confirmed"),
    D: () => verdictLine("dismissed"),
    m: writeComment,
    j: () => select(Math.min(selected + 1, findings.length - 1), { hear: true }),
    k: () => select(Math.max(selected - 1, 0), { hear: true }),
    n: () => follow("next-call"),
    p: () => follow("previous-call"),
    w: () => { const form = document.getElementById("checked-form"); if (form) form.requestSubmit(); },
    s: nextSpeed,
    ArrowLeft: () => skip(-5),
    ArrowRight: () => skip(5),
    "/": () => find && find.focus(),
    " ": () => player && (player.paused ? player.play().catch(() => {}) : player.pause()),
  });

  // The first open finding is selected and cued: space plays it from its lead-in.
  const firstOpen = findings.findIndex(isOpen);
  select(Math.max(firstOpen, 0), { scroll: false });
  if (player && firstOpen >= 0) {
    const cueFirst = () => { if (player.currentTime === 0) cue(findings[firstOpen], false); };
    if (player.readyState >= 1) cueFirst();
    else player.addEventListener("loadedmetadata", cueFirst, { once: true });
  }
})();
