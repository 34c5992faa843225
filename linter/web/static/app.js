// followup-lint serve: the page.  It only shows what POST /api/lint returns (the `--format json`
// document); no linting happens here.  Offsets in that document count Unicode code points; this file
// converts them to the UTF-16 indices JavaScript strings use before touching the text.
"use strict";

(() => {
  const $ = (sel) => document.querySelector(sel);
  const els = {
    draft: $("#draft"), editor: $("#editor"), mirrors: $("#mirrors"), tooltip: $("#tooltip"),
    status: $("#status"), findings: $("#findings"), count: $("#count"), noFindings: $("#no-findings"),
    checklist: $("#checklist"), figures: $("#figures"), rules: $("#rules"), version: $("#version"),
    preset: $("#preset"), company: $("#ctx-company"), values: $("#ctx-values"),
    interviewer: $("#ctx-interviewer"), role: $("#ctx-role"), filename: $("#filename"), file: $("#file"),
    lintNow: $("#lint-now"), fixAll: $("#fix-all"), undo: $("#undo"), copy: $("#copy"),
    suggestion: $("#suggestion"), suggestionTitle: $("#suggestion-title"), suggestionDiff: $("#suggestion-diff"),
    suggestionAccept: $("#suggestion-accept"), suggestionDismiss: $("#suggestion-dismiss"),
    caretFinding: $("#caret-finding"),
  };

  const DEBOUNCE_MS = 300;
  const MAX_FIX_ROUNDS = 4; // as `followup-lint --fix`
  const SEVERITY_WORD = { error: "Error", warning: "Warning", info: "Info" };
  const MARKS = { present: "[x]", missing: "[ ]", violated: "[!]", "not checked": "[-]" };

  // Everything a test or a curious user may want to look at: window.followupLint.
  const state = {
    state: "loading", // loading | ready | pending | linting | done | error
    text: null, // the text the findings below belong to
    doc: null, // the last document from /api/lint
    findings: [], // doc.findings sorted by position, each with u0/u1 (UTF-16 offsets) and index
    rules: {}, // code -> rule (from /api/rules)
    maxBytes: 256000,
    seq: 0,
    lints: 0,
    lastMs: null, // the last lint: request sent to findings drawn, in ms
    lastFetchMs: null, // ... of which waiting for the answer (the rest is drawing it)
    firstResultMs: null, // performance.now() when the first result was drawn
    history: [], // drafts before each applied fix (Undo)
    fixing: false, // "Apply all safe fixes" is still going round
  };
  window.followupLint = state;

  // -- offsets -------------------------------------------------------------------------------------

  /** Code point index -> UTF-16 index, or null when the two are the same (no astral characters). */
  function unitMap(text) {
    if (!/[\uD800-\uDFFF]/.test(text)) return null;
    const map = [];
    let u = 0;
    for (const ch of text) {
      map.push(u);
      u += ch.length;
    }
    map.push(u);
    return map;
  }
  const toUnit = (map, cp) => (map ? map[Math.max(0, Math.min(cp, map.length - 1))] : cp);

  /** Apply edits given in code points to `text`, last first (as followup_lint.fixes.apply_edits). */
  function applyEdits(text, edits) {
    const map = unitMap(text);
    const sorted = edits
      .map((e) => ({ start: toUnit(map, e.offset), end: toUnit(map, e.end_offset), text: e.text }))
      .sort((a, b) => b.start - a.start || b.end - a.end);
    let out = text;
    for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
    return out;
  }

  // -- small helpers -------------------------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("data-")) node.setAttribute(k, String(v));
      else if (k in node && typeof v !== "string") node[k] = v;
      else node.setAttribute(k, v);
    }
    for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
    return node;
  }

  function setStatus(message, kind) {
    els.status.textContent = message;
    if (kind) {
      els.status.dataset.state = kind;
      document.body.dataset.state = kind;
      state.state = kind;
    }
  }

  function plural(n, word, many) {
    return `${n} ${n === 1 ? word : many || word + "s"}`;
  }

  /** The body of an example draft: without its greeting and closing paragraphs. */
  function exampleBody(example) {
    const parts = example.trim().split(/\n[ \t]*\n/);
    return (parts.length >= 3 ? parts.slice(1, -1) : parts).join("\n\n").trim();
  }

  function advicePhrase(advice) {
    return (advice || "").replace(/-/g, " ");
  }

  // -- the draft box -------------------------------------------------------------------------------

  function autoGrow() {
    const d = els.draft;
    d.style.height = "auto";
    const border = d.offsetHeight - d.clientHeight;
    d.style.height = `${d.scrollHeight + border}px`;
  }

  function setDraft(text) {
    els.draft.value = text;
    autoGrow();
  }

  function contextFields() {
    const ctx = {};
    for (const key of ["company", "values", "interviewer", "role"]) {
      const v = els[key].value.trim();
      if (v) ctx[key] = v;
    }
    return ctx;
  }

  // -- linting -------------------------------------------------------------------------------------

  let timer = null;
  let controller = null;

  function schedule(delay = DEBOUNCE_MS) {
    clearTimeout(timer);
    if (state.state !== "linting") setStatus(els.status.textContent, "pending");
    timer = setTimeout(lintNow, delay);
  }

  /** Lint the draft as it is now; resolves once its findings are drawn (or it was superseded). */
  async function lintNow() {
    clearTimeout(timer);
    const text = els.draft.value;
    const body = JSON.stringify({
      text, filename: els.filename.value.trim() || "draft.txt", context: contextFields(),
      preset: els.preset.value, checklist: true,
    });
    if (new Blob([body]).size > state.maxBytes) {
      setStatus(`The draft is too large to check (the limit is ${Math.round(state.maxBytes / 1000)} kB).`, "error");
      return;
    }
    if (controller) controller.abort();
    const mine = new AbortController();
    controller = mine;
    const seq = ++state.seq;
    setStatus("Checking…", "linting");
    const started = performance.now();
    let res, data;
    try {
      res = await fetch("/api/lint", {
        method: "POST", headers: { "Content-Type": "application/json" }, body, signal: mine.signal,
      });
      data = await res.json();
      state.lastFetchMs = performance.now() - started;
    } catch (err) {
      if (err.name === "AbortError" || seq !== state.seq) return;
      setStatus("Could not reach followup-lint. Is `followup-lint serve` still running?", "error");
      return;
    }
    if (seq !== state.seq) return;
    controller = null;
    if (!res.ok) {
      setStatus(`Not checked: ${(data && data.message) || "error " + res.status}`, "error");
      return;
    }
    if (els.draft.value !== text) {
      schedule(0); // typed while this ran: these findings belong to an older text
      return;
    }
    render(text, data);
    state.lastMs = performance.now() - started;
    if (state.firstResultMs === null) state.firstResultMs = performance.now();
    state.lints += 1;
    if (rulesLoaded && !renderedWithRules) renderFindings(state.findings);
    const s = data.summary || {};
    let message = s.findings
      ? `${plural(s.findings, "finding")}: ${[
          s.errors ? plural(s.errors, "error") : "", s.warnings ? plural(s.warnings, "warning") : "",
          s.infos ? plural(s.infos, "info", "infos") : "",
        ].filter(Boolean).join(", ")}.`
      : "No problems found.";
    if (data.errors && data.errors.length) message += " " + data.errors.map((e) => e.message).join(" ");
    setStatus(message, "done");
  }

  function render(text, doc) {
    state.text = text;
    state.doc = doc;
    const map = unitMap(text);
    state.findings = (doc.findings || [])
      .map((f) => ({ ...f, u0: toUnit(map, f.offset), u1: toUnit(map, f.end_offset) }))
      .sort((a, b) => a.offset - b.offset || a.end_offset - b.end_offset || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    state.findings.forEach((f, i) => { f.index = i; });
    renderMirrors(text, state.findings);
    renderFindings(state.findings);
    renderChecklist(doc, state.findings);
    els.fixAll.disabled = !state.findings.some((f) => f.fix && f.fix.safe);
    hideTooltip();
    hideSuggestion();
  }

  // -- highlights ----------------------------------------------------------------------------------

  /** One mirror of the text per layer; findings that overlap go to different layers, so every
   *  finding is one mark wrapping exactly its own text. */
  function renderMirrors(text, findings) {
    const layers = [];
    for (const f of findings) {
      let layer = layers.find((l) => l.end <= f.u0);
      if (!layer) {
        layer = { end: 0, items: [] };
        layers.push(layer);
      }
      layer.items.push(f);
      layer.end = Math.max(layer.end, f.u1);
    }
    if (!layers.length) layers.push({ end: 0, items: [] });
    els.mirrors.replaceChildren(...layers.map((layer, n) => {
      const div = el("div", { class: "mirror", "data-layer": n });
      let pos = 0;
      for (const f of layer.items) {
        if (f.u0 > pos) div.append(text.slice(pos, f.u0));
        div.append(el("mark", {
          class: `sev-${f.severity}`, "data-code": f.code, "data-index": f.index,
          "data-offset": f.offset, "data-end-offset": f.end_offset, text: text.slice(f.u0, f.u1),
        }));
        pos = Math.max(pos, f.u1);
      }
      div.append(text.slice(pos) + "\u200b"); // a last empty line still has a height
      return div;
    }));
  }

  function marksFor(index) {
    return [...els.mirrors.querySelectorAll(`mark[data-index="${index}"]`)];
  }

  function setActive(indices) {
    for (const m of els.mirrors.querySelectorAll("mark.active")) m.classList.remove("active");
    for (const li of els.findings.querySelectorAll("li.active")) li.classList.remove("active");
    for (const i of indices) {
      for (const m of marksFor(i)) m.classList.add("active");
      const li = els.findings.querySelector(`li[data-index="${i}"]`);
      if (li) li.classList.add("active");
    }
  }

  // -- the note on hover and focus -----------------------------------------------------------------

  let hideTimer = null;
  let shown = "";

  function noteFor(f) {
    const rule = state.rules[f.code] || {};
    const note = el("div", { class: "note", "data-code": f.code },
      el("p", {},
        el("span", { class: `sev-label sev-${f.severity}`, text: SEVERITY_WORD[f.severity] || f.severity }), " ",
        el("strong", { text: f.code }), " ", rule.name || f.rule),
      el("p", { class: "message", text: f.message }));
    if (f.confidence !== undefined && f.confidence !== null) {
      note.append(el("p", { class: "confidence", text: `Confidence: ${formatScore(f.confidence)}` }));
    }
    if (rule.description) {
      note.append(el("p", {}, el("span", { class: "label", text: `Why (${advicePhrase(f.advice)}): ` }),
        rule.description));
    }
    if (f.fix && !f.fix.safe) {
      const rewritten = f.fix.edits.map((e) => e.text).filter(Boolean).join(" … ");
      if (rewritten) note.append(el("p", {}, el("span", { class: "label", text: "Suggested rewording: " }), `“${rewritten}”`));
    } else if (f.fix && f.fix.safe) {
      note.append(el("p", {}, el("span", { class: "label", text: "Safe fix: " }), f.fix.title));
    }
    const example = ((rule.examples || {}).pass || [])[0];
    if (example) {
      note.append(el("p", { class: "label", text: "A note that passes this rule:" }),
        el("p", { class: "example", text: exampleBody(example) }));
    }
    return note;
  }

  function formatScore(v) {
    return typeof v === "number" && v >= 0 && v <= 1 ? `${Math.round(v * 100)} %` : String(v);
  }

  function showTooltip(indices, rect) {
    clearTimeout(hideTimer);
    const key = indices.join(",");
    if (key !== shown) {
      els.tooltip.replaceChildren(...indices.map((i) => noteFor(state.findings[i])));
      shown = key;
    }
    els.tooltip.hidden = false;
    const box = els.editor.getBoundingClientRect();
    const width = els.tooltip.offsetWidth;
    const left = Math.max(0, Math.min(rect.left - box.left, box.width - width));
    els.tooltip.style.left = `${left}px`;
    els.tooltip.style.top = `${rect.bottom - box.top + 6}px`;
    setActive(indices);
  }

  function hideTooltip() {
    clearTimeout(hideTimer);
    els.tooltip.hidden = true;
    shown = "";
    setActive([]);
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hideTooltip, 400);
  }

  function anchorRect(index, x, y) {
    const rects = marksFor(index).flatMap((m) => [...m.getClientRects()]);
    if (!rects.length) return els.draft.getBoundingClientRect();
    if (x !== undefined) {
      const hit = rects.find((r) => x >= r.left && x <= r.right && y >= r.top && y <= r.bottom);
      if (hit) return hit;
    }
    return rects[0];
  }

  // The textarea lies over the marks: find what is under the pointer through it.
  let pending = null;
  els.draft.addEventListener("mousemove", (ev) => {
    pending = ev;
    requestAnimationFrame(() => {
      if (!pending) return;
      const { clientX: x, clientY: y } = pending;
      pending = null;
      if (state.text !== els.draft.value) return;
      const under = document.elementsFromPoint(x, y)
        .filter((n) => n.tagName === "MARK" && n.dataset.index !== undefined)
        .map((n) => Number(n.dataset.index));
      const indices = [...new Set(under)].sort((a, b) => a - b);
      if (indices.length) showTooltip(indices, anchorRect(indices[0], x, y));
      else if (!els.tooltip.hidden) hideSoon();
    });
  });
  els.draft.addEventListener("mouseleave", hideSoon);
  els.tooltip.addEventListener("mouseenter", () => clearTimeout(hideTimer));
  els.tooltip.addEventListener("mouseleave", hideSoon);

  // The cursor inside a highlighted span (keyboard users): the same note, and it is announced.
  let caretKey = "";
  document.addEventListener("selectionchange", () => {
    if (document.activeElement !== els.draft || state.text !== els.draft.value) return;
    const c = els.draft.selectionStart;
    if (c !== els.draft.selectionEnd) return;
    const hits = state.findings.filter((f) => (f.u0 <= c && c < f.u1) || (f.u0 === f.u1 && f.u0 === c));
    const key = hits.map((f) => f.index).join(",");
    if (key === caretKey) return;
    caretKey = key;
    if (!hits.length) {
      hideTooltip();
      els.caretFinding.textContent = "";
      return;
    }
    showTooltip(hits.map((f) => f.index), anchorRect(hits[0].index));
    els.caretFinding.textContent = hits.map((f) => `${SEVERITY_WORD[f.severity]} ${f.code}: ${f.message}`).join(" ");
  });

  // -- the findings list ---------------------------------------------------------------------------

  let rulesLoaded = false;
  let renderedWithRules = false;

  function renderFindings(findings) {
    renderedWithRules = rulesLoaded;
    els.count.textContent = findings.length ? `(${findings.length})` : "";
    els.noFindings.hidden = findings.length > 0;
    els.findings.replaceChildren(...findings.map((f) => {
      const rule = state.rules[f.code] || {};
      const quoted = state.text.slice(f.u0, f.u1);
      const actions = el("div", { class: "actions" },
        el("button", { type: "button", class: "show", text: "Show in draft", onclick: () => selectInDraft(f) }));
      if (f.fix && f.fix.safe) {
        actions.append(el("button", {
          type: "button", class: "apply-fix", "data-code": f.code, text: `Apply fix: ${f.fix.title || "safe fix"}`,
          onclick: () => applyFix(f),
        }));
      } else if (f.fix) {
        actions.append(el("button", {
          type: "button", class: "review-suggestion", "data-code": f.code, text: "Review suggested rewording",
          onclick: () => showSuggestion(f),
        }));
      }
      actions.append(el("a", { href: `#rule-${f.code}`, text: `About ${f.code}${rule.id ? " (" + rule.id + ")" : ""}` }));
      const li = el("li", {
        class: `finding sev-${f.severity}`, tabindex: "0", "data-code": f.code, "data-index": f.index,
        "data-offset": f.offset, "data-end-offset": f.end_offset, "data-severity": f.severity,
        "aria-label": `${SEVERITY_WORD[f.severity]} ${f.code}, line ${f.line}: ${f.message}`,
      },
      el("div", { class: "head" },
        el("span", { class: `sev-label sev-${f.severity}`, text: SEVERITY_WORD[f.severity] || f.severity }),
        el("span", { class: "code", text: f.code }),
        el("span", { class: "where", text: `line ${f.line}, column ${f.column}` }),
        f.confidence !== undefined && f.confidence !== null
          ? el("span", { class: "confidence", text: `confidence ${formatScore(f.confidence)}` }) : null),
      el("p", { class: "msg", text: f.message }),
      quoted.trim() && quoted.length <= 200 ? el("p", { class: "quote" }, "In your draft: ", el("q", { text: quoted.trim() })) : null,
      actions);
      li.addEventListener("focus", () => {
        if (state.text === els.draft.value) showTooltip([f.index], anchorRect(f.index));
      });
      li.addEventListener("blur", hideSoon);
      li.addEventListener("mouseenter", () => setActive([f.index]));
      li.addEventListener("mouseleave", () => { if (els.tooltip.hidden) setActive([]); });
      li.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter" && ev.target === li) {
          ev.preventDefault(); // or the Enter would reach the draft once it has the focus
          selectInDraft(f);
        }
      });
      return li;
    }));
  }

  function selectInDraft(f) {
    els.draft.focus();
    els.draft.setSelectionRange(f.u0, f.u1);
    const m = marksFor(f.index)[0];
    if (m) m.scrollIntoView({ block: "center" });
  }

  // -- the checklist -------------------------------------------------------------------------------

  function codesOf(m) {
    const c = m.codes;
    if (!c) return [];
    if (Array.isArray(c)) {
      const counts = {};
      for (const x of c) {
        const code = typeof x === "string" ? x : x.code;
        counts[code] = (counts[code] || 0) + (typeof x === "string" ? 1 : x.count || 1);
      }
      return Object.entries(counts).sort();
    }
    return Object.entries(c).sort();
  }

  function renderChecklist(doc, findings) {
    let entry = doc.checklist;
    if (Array.isArray(entry)) entry = entry.length && (entry[0].moves || entry[0].items) ? entry[0] : { moves: entry };
    if (!entry || typeof entry !== "object") {
      els.checklist.replaceChildren(el("li", { class: "help", text: "No checklist for this draft." }));
      els.figures.textContent = "";
      return;
    }
    const moves = entry.moves || entry.items || [];
    els.checklist.replaceChildren(...moves.map((m) => {
      const label = m.move || m.label || m.name || "";
      const status = m.status || "";
      const codes = codesOf(m);
      const codeText = codes.map(([c, n]) => (n > 1 ? `${c} x${n}` : c)).join("  ");
      const li = el("li", {
        class: `move status-${status.replace(/\s+/g, "-")}`, "data-move": label, "data-status": status,
        "data-codes": codeText,
      },
      el("span", { class: "box", "aria-hidden": "true", text: MARKS[status] || "[?]" }), " ",
      el("span", { class: "move-name", text: label }), " — ",
      el("span", { class: "move-status", text: status }),
      codeText ? el("span", { class: "codes", text: `  ${codeText}` }) : null);
      const ev = m.evidence && typeof m.evidence === "object" && !Array.isArray(m.evidence) ? m.evidence : {};
      let score = m.score !== undefined ? m.score : m.confidence;
      if (score === undefined || score === null) score = ev.score !== undefined ? ev.score : ev.confidence;
      if (score !== undefined && score !== null) li.append(el("span", { class: "codes", text: `  score ${formatScore(score)}` }));
      let evidence = m.evidence;
      if (evidence && typeof evidence === "object" && !Array.isArray(evidence)) {
        evidence = evidence.text || (evidence.sentence ? `“${evidence.sentence}”` : "")
          || (evidence.closest ? `closest: “${evidence.closest}”` : "");
      }
      if (Array.isArray(evidence)) evidence = evidence.map((e) => (typeof e === "string" ? e : e.text || e.sentence)).join(" … ");
      if (!evidence && status === "violated") {
        const wanted = new Set(codes.map(([c]) => c));
        evidence = findings.filter((f) => wanted.has(f.code)).map((f) => `“${state.text.slice(f.u0, f.u1).trim()}”`).join(", ");
      }
      if (evidence) li.append(el("span", { class: "evidence", text: evidence }));
      return li;
    }));
    const fig = entry.figures;
    els.figures.textContent = fig && Object.keys(fig).length
      ? `words ${fig.words} · sentences ${fig.sentences} · apologies ${fig.apologies} · I/you ${fig.i}/${fig.you} · questions ${fig.questions}`
      : "";
  }

  // -- fixes ---------------------------------------------------------------------------------------

  function pushHistory(text) {
    state.history.push(text);
    els.undo.disabled = false;
  }

  async function freshFindings() {
    if (state.text !== els.draft.value || state.state !== "done") await lintNow();
    return state.text === els.draft.value && state.state === "done";
  }

  async function applyFix(f) {
    const before = state.text;
    if (els.draft.value !== before) {
      await lintNow(); // the draft changed since it was checked: look again first
      return;
    }
    pushHistory(before);
    setDraft(applyEdits(before, f.fix.edits));
    await lintNow();
  }

  /** Safe fixes that do not overlap, in the order `followup-lint --fix` takes them. */
  function chooseSafe(findings) {
    const start = (f) => Math.min(...f.fix.edits.map((e) => e.offset));
    const candidates = findings.filter((f) => f.fix && f.fix.safe && f.fix.edits.length)
      .sort((a, b) => start(a) - start(b) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    const used = [];
    const taken = [];
    for (const f of candidates) {
      const spans = f.fix.edits.map((e) => [e.offset, e.end_offset]);
      const clash = spans.some(([s, e]) => used.some(([us, ue]) => (s < ue && us < e) || (s === us && e === ue)));
      if (clash) continue;
      taken.push(f);
      used.push(...spans);
    }
    return taken;
  }

  /** Apply every safe fix, re-checking between rounds (as `followup-lint --fix`). */
  async function fixAll() {
    state.fixing = true;
    try {
      await fixRounds();
    } finally {
      state.fixing = false;
    }
  }

  async function fixRounds() {
    if (!(await freshFindings())) return;
    const original = state.text;
    const seen = new Set([original]);
    let applied = 0;
    for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
      const taken = chooseSafe(state.findings);
      if (!taken.length) break;
      const next = applyEdits(state.text, taken.flatMap((f) => f.fix.edits));
      if (seen.has(next)) break;
      seen.add(next);
      if (!applied) pushHistory(original);
      applied += taken.length;
      setDraft(next);
      await lintNow();
      if (state.state !== "done" || state.text !== next) break;
    }
    if (state.state === "done") {
      setStatus(`Applied ${plural(applied, "safe fix", "safe fixes")}. ${els.status.textContent}`, "done");
    }
  }

  async function undo() {
    if (!state.history.length) return;
    setDraft(state.history.pop());
    els.undo.disabled = !state.history.length;
    await lintNow();
  }

  let suggestionFor = null;

  function showSuggestion(f) {
    const text = state.text;
    const after = applyEdits(text, f.fix.edits);
    const starts = f.fix.edits.map((e) => e.offset);
    const ends = f.fix.edits.map((e) => e.end_offset);
    const map = unitMap(text);
    const u0 = toUnit(map, Math.min(...starts));
    const u1 = toUnit(map, Math.max(...ends));
    const lineStart = text.lastIndexOf("\n", u0 - 1) + 1;
    let lineEnd = text.indexOf("\n", u1);
    if (lineEnd < 0) lineEnd = text.length;
    const edits = f.fix.edits
      .map((e) => ({ s: toUnit(map, e.offset), e: toUnit(map, e.end_offset), t: e.text }))
      .sort((a, b) => a.s - b.s);
    const before = el("span", { class: "line before" }, el("span", { class: "tag", text: "Before: " }));
    const afterLine = el("span", { class: "line after" }, el("span", { class: "tag", text: "After:  " }));
    let pos = lineStart;
    for (const e of edits) {
      before.append(text.slice(pos, e.s), el("del", { text: text.slice(e.s, e.e) }));
      afterLine.append(text.slice(pos, e.s), el("ins", { text: e.t }));
      pos = e.e;
    }
    before.append(text.slice(pos, lineEnd));
    afterLine.append(text.slice(pos, lineEnd));
    els.suggestionTitle.textContent = `${f.code}: ${f.fix.title || "a suggested rewording"} (a suggestion: read it before you accept it)`;
    els.suggestionDiff.replaceChildren(before, afterLine);
    els.suggestion.hidden = false;
    suggestionFor = { finding: f, text, after };
    els.suggestionAccept.focus();
  }

  function hideSuggestion() {
    els.suggestion.hidden = true;
    suggestionFor = null;
  }

  async function acceptSuggestion() {
    if (!suggestionFor) return;
    const { text, after, finding } = suggestionFor;
    if (els.draft.value !== text) {
      hideSuggestion();
      await lintNow();
      return;
    }
    pushHistory(text);
    setDraft(after);
    hideSuggestion();
    await lintNow();
    const li = els.findings.querySelector(`li[data-code="${finding.code}"]`);
    (li || els.draft).focus();
  }

  // -- copy, open ----------------------------------------------------------------------------------

  async function copyDraft() {
    const text = els.draft.value;
    let ok = false;
    try {
      await navigator.clipboard.writeText(text);
      ok = true;
    } catch (err) {
      els.draft.focus();
      els.draft.select();
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    }
    els.copy.textContent = ok ? "Copied" : "Copy draft";
    els.caretFinding.textContent = ok ? "The draft is copied." : "";
    if (!ok) setStatus("Could not copy: select the text and press Ctrl+C.", state.state);
    setTimeout(() => { els.copy.textContent = "Copy draft"; }, 2000);
  }

  els.file.addEventListener("change", () => {
    const file = els.file.files && els.file.files[0];
    if (!file) return;
    if (file.size > state.maxBytes) {
      setStatus(`${file.name} is too large to be a draft.`, "error");
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      els.filename.value = file.name;
      setDraft(String(reader.result));
      lintNow();
    };
    reader.readAsText(file);
    els.file.value = "";
  });

  // -- the rules -----------------------------------------------------------------------------------

  function renderRules(rules) {
    els.rules.replaceChildren(...rules.map((r) => {
      const examples = (label, list) => (list && list.length
        ? [el("h3", { text: label }), ...list.slice(0, 3).map((x) => el("pre", { text: x.trim() }))] : []);
      return el("details", { class: "rule", id: `rule-${r.code}` },
        el("summary", {},
          el("span", { class: "code", text: r.code }), ` ${r.id}: ${r.name} `,
          el("span", { class: `sev-label sev-${r.severity}`, text: r.severity })),
        el("p", { text: r.description }),
        el("p", { class: "help", text: `Advice: ${advicePhrase(r.advice)} · checks the ${r.scope.replace(/_/g, " ")}` }),
        ...examples("Drafts that trigger it", r.examples.fail),
        ...examples("Drafts that pass", r.examples.pass));
    }));
    openRuleFromHash();
  }

  function openRuleFromHash() {
    const id = decodeURIComponent(location.hash.slice(1));
    if (!id.startsWith("rule-")) return;
    const d = document.getElementById(id);
    if (d && d.tagName === "DETAILS") {
      d.open = true;
      d.scrollIntoView({ block: "start" });
      d.querySelector("summary").focus();
    }
  }
  window.addEventListener("hashchange", openRuleFromHash);

  // -- wiring --------------------------------------------------------------------------------------

  els.draft.addEventListener("input", () => {
    autoGrow();
    hideTooltip();
    schedule();
  });
  els.draft.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      lintNow();
    } else if (ev.key === "Escape") {
      hideTooltip();
    }
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && !els.tooltip.hidden) hideTooltip();
  });
  for (const input of [els.company, els.values, els.interviewer, els.role, els.filename]) {
    input.addEventListener("input", () => schedule());
  }
  els.preset.addEventListener("change", () => lintNow());
  els.lintNow.addEventListener("click", () => lintNow());
  els.fixAll.addEventListener("click", () => fixAll());
  els.undo.addEventListener("click", () => undo());
  els.copy.addEventListener("click", () => copyDraft());
  els.suggestionAccept.addEventListener("click", () => acceptSuggestion());
  els.suggestionDismiss.addEventListener("click", () => {
    const f = suggestionFor && suggestionFor.finding;
    hideSuggestion();
    const btn = f && els.findings.querySelector(`li[data-index="${f.index}"] .review-suggestion`);
    if (btn) btn.focus();
  });
  let lastWidth = 0;
  if (window.ResizeObserver) {
    new ResizeObserver(() => { // a new width rewraps the text: grow the box to fit it again
      const w = els.editor.clientWidth;
      if (w !== lastWidth) {
        lastWidth = w;
        autoGrow();
      }
    }).observe(els.editor);
  }

  async function start() {
    autoGrow();
    try {
      const [status, rules] = await Promise.all([
        fetch("/api/status").then((r) => r.json()), fetch("/api/rules").then((r) => r.json()),
      ]);
      state.maxBytes = status.max_bytes || state.maxBytes;
      els.version.textContent = status.version || "";
      for (const r of rules) state.rules[r.code] = r;
      rulesLoaded = true;
      renderRules(rules);
      if (state.text !== null) renderFindings(state.findings); // a result came before the rules
    } catch (err) {
      setStatus("Could not reach followup-lint. Is `followup-lint serve` still running?", "error");
      return;
    }
    if (els.draft.value.trim()) {
      await lintNow();
    } else if (state.state === "loading") {
      setStatus("Ready. Paste or type your draft.", "ready");
    }
  }
  start();
})();
