// The review workbench: one report at a time, every verdict saved by the server before the page shows it.
// Plain JavaScript, no build step, no library: the page fetches nothing but this server's own API.
"use strict";

(() => {
  const body = document.body;
  const token = document.querySelector('meta[name="review-token"]').content;
  const types = body.dataset.types.split(",");
  const cache = new Map(); // report number -> promise of its JSON; a change replaces the entry with the saved state
  const state = { number: Number(body.dataset.first), report: null, progress: null, started: 0 };

  const $ = (id) => document.getElementById(id);
  const element = (tag, attributes = {}, ...children) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "className") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
  };

  async function api(method, path, payload) {
    const response = await fetch(path, {
      method,
      cache: "no-store",
      headers: { "X-Review-Token": token, "Content-Type": "application/json" },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
    if (!response.ok) throw new Error(`${response.status}: ${await response.text()}`);
    return response.json();
  }

  function showError(error) {
    $("error").textContent = `Not saved: ${error.message}`;
    $("error").hidden = false;
  }

  // Navigation.

  // `started`: when the reviewer asked (a key's event time), for the timing the page reports in data-render-ms.
  async function go(number, started = performance.now()) {
    const total = state.progress ? state.progress.total : Number($("progress").max);
    if (number < 1 || number > total) return;
    state.started = started;
    state.number = number;
    closePopover();
    try {
      const report = await fetchReport(number);
      if (state.number === number) render(report);
    } catch (error) {
      cache.delete(number);
      showError(error);
    }
  }

  // The report, from the cache of requests made or under way (a prefetch still in flight is awaited, not repeated).
  function fetchReport(number) {
    if (!cache.has(number)) cache.set(number, api("GET", `/api/reports/${number}`));
    return cache.get(number);
  }

  function remember(report) {
    cache.set(report.number, Promise.resolve(report));
    state.progress = { reviewed: report.reviewed_count, total: report.total };
  }

  function prefetch(number) {
    if (state.progress && number <= state.progress.total) fetchReport(number).catch(() => cache.delete(number));
  }

  async function change(method, path, payload) {
    try {
      const report = await api(method, path, payload);
      remember(report);
      closePopover();
      if (report.number === state.number) render(report);
      return report;
    } catch (error) {
      showError(error);
      return null;
    }
  }

  async function allCorrect() {
    const report = await change("POST", `/api/reports/${state.number}/reviewed`, { reviewed: true });
    if (report && report.number < report.total) go(report.number + 1);
  }

  // Rendering.

  function render(report) {
    state.report = report;
    $("error").hidden = true;
    history.replaceState(null, "", `#${report.number}`);
    $("progress").value = state.progress.reviewed;
    $("progress").max = state.progress.total;
    $("progress-text").textContent = `${state.progress.reviewed} / ${state.progress.total} reviewed`;
    $("report-title").textContent = `Report ${report.number} of ${report.total} · ${report.source_id} · ${report.format}`;
    const status = $("report-status");
    status.className = report.reviewed ? "reviewed-yes" : "reviewed-no";
    status.textContent = report.reviewed ? "✓ reviewed" : "not reviewed yet";
    $("texts").replaceChildren(...renderTexts(report));
    $("output").textContent = report.quarantine ? "" : report.output;
    $("fields").replaceChildren(...renderFields(report));
    body.dataset.report = String(report.number);
    body.dataset.state = "ready";
    body.dataset.renderMs = (performance.now() - state.started).toFixed(1);
    requestAnimationFrame(() => { body.dataset.frameMs = (performance.now() - state.started).toFixed(1); });
    prefetch(report.number + 1);
  }

  function renderTexts(report) {
    if (report.quarantine) {
      return [element("p", { className: "quarantine" },
        `The worker would quarantine this report (${report.quarantine}): nothing of it reaches the clean topic. `
        + "Mark it reviewed to go on.")];
    }
    return report.texts.flatMap((text) => [
      element("div", { className: "text-label" }, text.label),
      renderText(text),
    ]);
  }

  // The text cut at every mark boundary; each piece carries the marks covering it.
  function renderText(text) {
    const marks = [
      ...text.detections.map((d) => ({ ...d, kind: "detection" })),
      ...text.missed.map((m) => ({ ...m, kind: "missed" })),
    ];
    const cuts = new Set([0, text.text.length]);
    for (const mark of marks) { cuts.add(mark.start); cuts.add(mark.end); }
    const points = [...cuts].sort((a, b) => a - b);
    const container = element("div", { className: "text", "data-text": String(text.id) });
    for (let index = 0; index + 1 < points.length; index++) {
      const [start, end] = [points[index], points[index + 1]];
      const piece = text.text.slice(start, end);
      const covering = marks.filter((mark) => mark.start <= start && mark.end >= end);
      if (covering.length === 0) { container.append(piece); continue; }
      const span = element("span", { className: markClass(covering), "data-start": String(start) }, piece);
      span.addEventListener("click", (event) => { event.stopPropagation(); markPopover(span, text, covering); });
      container.append(span);
    }
    container.addEventListener("mouseup", () => selectionPopover(container, text));
    return container;
  }

  function markClass(covering) {
    const detections = covering.filter((mark) => mark.kind === "detection");
    const standing = detections.filter((mark) => mark.verdict !== "false_alarm");
    const missed = covering.filter((mark) => mark.kind === "missed");
    const classes = ["mark"];
    if (standing.length) {
      classes.push(`t-${standing[0].reviewed_type || standing[0].type}`);
      if (standing.some((mark) => mark.reviewed_type)) classes.push("retyped");
    } else if (missed.length) {
      classes.push(`t-${missed[0].type}`);
    } else {
      classes.push("false-alarm");
    }
    if (missed.length) classes.push("missed");
    if (standing.length < detections.length) classes.push("has-false-alarm");
    return classes.join(" ");
  }

  function renderFields(report) {
    if (!report.fields.length) return [];
    const rows = report.fields.map((field) => element("tr", {},
      element("td", {}, field.path),
      element("td", { className: `decision-${field.decision}` }, field.decision),
      element("td", {}, field.detail)));
    return [
      element("h3", {}, "Field decisions"),
      element("table", { id: "field-decisions" },
        element("thead", {}, element("tr", {}, element("th", {}, "field"), element("th", {}, "decision"),
          element("th", {}, "detail"))),
        element("tbody", {}, ...rows)),
      element("details", {}, element("summary", {}, "The message as received"),
        element("pre", { className: "output" }, report.raw || "")),
    ];
  }

  // Popovers: what to do with a highlight, or with selected text.

  function typeSelect(selected) {
    const select = element("select", { "aria-label": "entity type" });
    for (const kind of types) {
      const option = element("option", { value: kind }, kind);
      if (kind === selected) option.selected = true;
      select.append(option);
    }
    return select;
  }

  function openPopover(anchor, ...rows) {
    const popover = $("popover");
    popover.replaceChildren(...rows);
    const box = anchor.getBoundingClientRect();
    popover.style.left = `${Math.max(8, box.left + window.scrollX)}px`;
    popover.style.top = `${box.bottom + window.scrollY + 6}px`;
    popover.hidden = false;
  }

  function closePopover() { $("popover").hidden = true; }

  function markPopover(anchor, text, covering) {
    const rows = covering.map((mark) => {
      const quote = element("span", { className: "quote" }, text.text.slice(mark.start, mark.end));
      if (mark.kind === "missed") {
        return element("div", { className: "row", "data-missed": String(mark.id) },
          `missed ${mark.type}: `, quote,
          element("button", { type: "button", className: "remove-missed",
            onclick: () => change("DELETE", `/api/missed/${mark.id}`) }, "Remove"));
      }
      const select = typeSelect(mark.reviewed_type || mark.type);
      const verdict = mark.verdict === "false_alarm" ? "false alarm" : (mark.reviewed_type ? "retyped" : "");
      return element("div", { className: "row", "data-detection": String(mark.id) },
        `${mark.type} (${mark.recognizer || "engine"}) ${verdict}: `, quote,
        element("button", { type: "button", className: "correct",
          onclick: () => change("POST", `/api/detections/${mark.id}`, { verdict: "correct", type: mark.type }) },
          "Correct"),
        element("button", { type: "button", className: "false-alarm-button",
          onclick: () => change("POST", `/api/detections/${mark.id}`, { verdict: "false_alarm" }) }, "False alarm"),
        select,
        element("button", { type: "button", className: "change-type",
          onclick: () => change("POST", `/api/detections/${mark.id}`, { verdict: "correct", type: select.value }) },
          "Change type"));
    });
    openPopover(anchor, ...rows);
  }

  // Character offset of a point in the text's container: the lengths of the text before it.
  function offsetIn(container, node, offset) {
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    let total = 0;
    for (let current = walker.nextNode(); current; current = walker.nextNode()) {
      if (current === node) return total + offset;
      total += current.data.length;
    }
    return node === container ? total : null;
  }

  function selectionPopover(container, text) {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return;
    const range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return;
    let start = offsetIn(container, range.startContainer, range.startOffset);
    let end = offsetIn(container, range.endContainer, range.endOffset);
    if (start === null || end === null) return;
    while (start < end && /\s/.test(text.text[start])) start++;
    while (end > start && /\s/.test(text.text[end - 1])) end--;
    if (start >= end) return;
    const select = typeSelect("PERSON");
    const add = element("button", { type: "button", className: "primary", id: "add-missed",
      onclick: () => change("POST", `/api/texts/${text.id}/missed`, { start, end, type: select.value }) },
      "Add missed span");
    openPopover({ getBoundingClientRect: () => range.getBoundingClientRect() },
      element("div", { className: "row" }, "missed: ", element("span", { className: "quote" }, text.text.slice(start, end))),
      element("div", { className: "row" }, select, add));
  }

  // Keys and buttons.

  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (["SELECT", "INPUT", "TEXTAREA"].includes(event.target.tagName)) return;
    const next = () => go(state.number + 1, event.timeStamp);
    const previous = () => go(state.number - 1, event.timeStamp);
    const actions = {
      ArrowRight: next, n: next, j: next, ArrowLeft: previous, p: previous, k: previous,
      a: allCorrect, Escape: closePopover,
    };
    const action = actions[event.key];
    if (action) { event.preventDefault(); action(); }
  });
  document.addEventListener("click", (event) => {
    if (!$("popover").contains(event.target) && window.getSelection().isCollapsed) closePopover();
  });
  $("next").addEventListener("click", () => go(state.number + 1));
  $("previous").addEventListener("click", () => go(state.number - 1));
  $("all-correct").addEventListener("click", allCorrect);

  window.addEventListener("hashchange", () => {
    const number = Number(location.hash.slice(1));
    if (Number.isInteger(number) && number !== state.number) go(number);
  });
  const fromHash = Number(location.hash.slice(1));
  state.progress = { reviewed: Number($("progress").value), total: Number($("progress").max) };
  go(Number.isInteger(fromHash) && fromHash >= 1 ? fromHash : state.number);
})();
