// Tra cứu: the search page. Plain DOM, no build step; the page routes on the hash:
//   #/tim?q=…&type=…&issuer=…&year=…   results of /ask and /search
//   #/van-ban/<doc_id>?unit=<path>      one document, scrolled to a unit
//   #/kiem-tra                          the citation checker for a pasted draft (POST /check)
//   #/theo-doi?at=YYYY-MM-DD            tasks per lead agency: late, due soon, done (GET /dashboard)
"use strict";

const $ = (sel) => document.querySelector(sel);
const COPY = "Sao chép trích dẫn";
const STOP = new Set("nao gi dau ai khong cac cua va cho voi la the nhung mot nay do thi ma hay hoac".split(" "));
const state = { seq: 0, searchKey: null, back: { hash: "#/", label: "kết quả tìm kiếm" }, terms: new Set(),
  docs: new Map(), doc: null, checkSeq: 0 };

// Accent-insensitive form: NFD, combining marks stripped, lowercase, đ → d.
const fold = (s) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/đ/g, "d");

// An element. `style` is an object of CSS properties set through the CSSOM (style.setProperty): the page's
// CSP (style-src 'self') refuses style="…" attributes, whether in markup or set with setAttribute.
function h(tag, attrs = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "style") for (const [prop, value] of Object.entries(v)) el.style.setProperty(prop, String(value));
    else if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat()) if (kid != null && kid !== false) el.append(kid);
  return el;
}

// Words to highlight: one typed with diacritics matches as typed; one typed without matches any accents.
function termsOf(...queries) {
  const terms = new Set();
  for (const q of queries) {
    for (const w of (q || "").normalize("NFC").match(/[\p{L}\p{N}]+/gu) || []) {
      const f = fold(w);
      if (f.length > 1 && !STOP.has(f)) terms.add(f === w.toLowerCase() ? f : `=${w.toLowerCase()}`);
    }
  }
  return terms;
}

const matches = (terms, word) => terms.has(`=${word.toLowerCase()}`) || terms.has(fold(word));

// The text with each word of `terms` wrapped in <mark>.
function highlight(raw, terms) {
  const text = raw.normalize("NFC");
  const frag = document.createDocumentFragment();
  let last = 0;
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    if (!matches(terms, m[0])) continue;
    frag.append(text.slice(last, m.index), h("mark", {}, m[0]));
    last = m.index + m[0].length;
  }
  frag.append(text.slice(last));
  return frag;
}

// A request to the API: its response when it succeeded, else an Error carrying the problem's detail.
async function call(path, params = {}, init = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) if (v !== "" && v != null) url.searchParams.set(k, v);
  let r;
  try {
    r = await fetch(url, { ...init, headers: { Accept: "application/json", ...init.headers } });
  } catch {
    throw new Error("Không kết nối được máy chủ; hãy thử lại.");
  }
  if (!r.ok) {
    const body = await r.json().catch(() => null);
    throw new Error((body && body.detail) || `Máy chủ trả lỗi ${r.status}.`);
  }
  return r;
}

const api = async (path, params = {}) => (await call(path, params)).json();
const post = (path, body, params = {}) =>
  call(path, params, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

function showAlert(messages) {
  const box = $("#alert");
  box.replaceChildren(...messages.map((m) => h("p", {}, m)));
  box.hidden = messages.length === 0;
}

function loading(on) {
  $("#loading").hidden = !on;
  $("#main").setAttribute("aria-busy", on ? "true" : "false");
}

function showView(name) {
  $("#search-view").hidden = name !== "search";
  $("#doc-view").hidden = name !== "doc";
  $("#check-view").hidden = name !== "check";
  $("#board-view").hidden = name !== "board";
  for (const a of document.querySelectorAll("nav.tabs a")) {
    if (a.dataset.tab === (name === "check" || name === "board" ? name : "search")) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

async function copy(text, btn) {
  let ok = false;
  try {
    await navigator.clipboard.writeText(text);
    ok = true;
  } catch {
    const ta = h("textarea", { class: "offscreen", readonly: true, "aria-hidden": "true" });
    ta.value = text;
    document.body.append(ta);
    ta.select();
    try { ok = document.execCommand("copy"); } catch { ok = false; }
    ta.remove();
  }
  btn.textContent = ok ? "Đã sao chép" : "Không sao chép được";
  setTimeout(() => { btn.textContent = COPY; }, 2500);
}

const copyButton = (citation) => h("button", { type: "button", class: "copy", onclick: (e) => copy(citation, e.currentTarget) }, COPY);
const docLink = (docId, unit) => `#/van-ban/${encodeURIComponent(docId)}` + (unit ? `?unit=${encodeURIComponent(unit)}` : "");
const unitOf = (chunkId) => (chunkId.split("#")[1] || "").split("~")[0];
const held = (a) => a.references.length > 0 && Boolean(a.references[0].unit);
const inCorpus = (r) => h("span", { class: r.in_corpus ? "badge yes" : "badge no" }, r.in_corpus ? "có trong kho" : "chưa có trong kho");
const viDate = (d) => (d ? d.split("-").reverse().join("/") : "—");

// ---- search -------------------------------------------------------------------------------------

const FIELDS = { q: "#search-q", type: "#filter-type", issuer: "#filter-issuer", year: "#filter-year",
  in_force: "#filter-in-force" };
const VALIDITY = { in_force: "Còn hiệu lực", partly_expired: "Hết hiệu lực một phần", expired: "Hết hiệu lực",
  not_yet_in_force: "Chưa có hiệu lực", unknown: "Chưa rõ hiệu lực" };
// a validity badge: the status in words, the dates in its tooltip
const validityBadge = (x) => h("span", { class: `validity ${x.validity || "unknown"}`,
  title: [x.effective_from && `có hiệu lực từ ${viDate(x.effective_from)}`, x.expired_from && `hết hiệu lực từ ${viDate(x.expired_from)}`]
    .filter(Boolean).join("; ") || null }, VALIDITY[x.validity] || VALIDITY.unknown);

function onSubmit(e) {
  e.preventDefault();
  const params = new URLSearchParams();
  for (const [k, sel] of Object.entries(FIELDS)) {
    const v = $(sel).value.trim();
    if (v) params.set(k, v);
  }
  if (!params.get("q")) {
    showAlert(["Hãy nhập câu hỏi hoặc từ khóa."]);
    $("#search-q").focus();
    return;
  }
  const hash = `#/tim?${params}`;
  state.searchKey = null; // a submit always asks again
  if (location.hash === hash) route();
  else location.hash = hash;
}

async function showSearch(params) {
  showView("search");
  for (const [k, sel] of Object.entries(FIELDS)) $(sel).value = params.get(k) || "";
  state.back = { hash: location.hash, label: "kết quả tìm kiếm" };
  const key = params.toString();
  if (key === state.searchKey) return; // back from a document: the results are still on the page
  state.searchKey = key;
  const seq = ++state.seq;
  const q = params.get("q");
  const filters = { type: params.get("type"), issuer: params.get("issuer"), year: params.get("year"),
    in_force: params.get("in_force") };
  showAlert([]);
  $("#answer").replaceChildren();
  $("#results").replaceChildren();
  loading(true);
  const [ask, search] = await Promise.allSettled([api("/ask", { q }), api("/search", { q, k: 10, ...filters })]);
  if (seq !== state.seq) return; // a newer search started meanwhile
  loading(false);
  const errors = [ask, search].filter((r) => r.status === "rejected").map((r) => r.reason.message);
  showAlert([...new Set(errors)]);
  state.terms = termsOf(q, search.value && search.value.restored_query);
  if (ask.status === "fulfilled") renderAnswer(ask.value);
  const scope = ask.status === "fulfilled" ? ask.value.scope : null;
  if (search.status === "fulfilled") renderResults(search.value, scope);
  else state.searchKey = null;
}

function renderAnswer(data) {
  const a = data.answer;
  let body;
  // a "cơ quan nào …?" policy question that no assignment answers is answered by the provision: quoted, linked
  if (data.kind === "lead_agency" && (a.lead || !(data.policy_kind && held(a)))) {
    const ev = data.evidence[0];
    const coLeads = (a.leads || []).filter((x) => x !== a.lead);
    body = a.lead
      ? [
          h("p", { class: "lead" }, "Cơ quan chủ trì: ", h("strong", {}, a.lead)),
          coLeads.length ? h("p", {}, "Đồng chủ trì: ", coLeads.join("; ")) : null,
          a.cooperating.length ? h("p", {}, "Phối hợp: ", a.cooperating.join("; ")) : null,
          h("blockquote", {}, a.text),
          ev ? h("p", { class: "cite" }, h("a", { href: docLink(ev.doc_id, unitOf(ev.chunk_id)) }, ev.citation), " ", copyButton(ev.citation)) : null,
          (a.conflicts || []).length
            ? h("div", { class: "conflicts", role: "note" },
                h("p", {}, h("strong", {}, "Văn bản cũng giao nội dung này cho:")),
                h("ul", {}, a.conflicts.map((c) => h("li", {}, h("strong", {}, c.lead), " — ", c.citation, " ", copyButton(c.citation)))))
            : null,
        ]
      : [h("p", { class: "honest" }, a.text)];
  } else if (data.kind === "reference" || (data.policy_kind && held(a))) {
    // the quoted passage with its own citation (a reference answer quotes the provision that holds the rule;
    // a passage answer its first evidence), then the documents that hold or are cited by the evidence
    const ev = data.evidence[0];
    const first = data.kind === "reference"
      ? (held(a) ? { citation: a.references[0].citation, href: docLink(a.references[0].doc_id, a.references[0].unit_path) } : null)
      : (ev ? { citation: ev.citation, href: docLink(ev.doc_id, unitOf(ev.chunk_id)) } : null);
    const rest = a.references.filter((r) => !first || r.citation !== first.citation);
    body = [
      first ? h("blockquote", {}, a.text) : null,
      first ? h("p", { class: "cite" }, h("a", { href: first.href }, first.citation), " ", copyButton(first.citation)) : null,
      rest.length ? h("ul", { class: "refs" }, rest.map((r) =>
        h("li", {}, r.doc_id ? h("a", { href: docLink(r.doc_id, r.unit_path) }, r.citation) : r.citation, " ", inCorpus(r)))) : null,
      !first && !rest.length ? h("p", { class: "honest" }, a.text) : null,
    ];
  } else {
    return;
  }
  const title = data.kind === "reference" && !held(a) ? "Văn bản liên quan" : "Trả lời";
  const scope = data.scope && data.scope.names.length
    ? h("p", { class: "note scope" }, "Trong văn bản của: ", h("strong", {}, data.scope.names.join(", ")))
    : null;
  const notes = (a.validity_notes || []).length
    ? h("ul", { class: "problems validity-notes", role: "note" }, a.validity_notes.map((n) => h("li", {}, n))) : null;
  $("#answer").replaceChildren(h("section", { class: "card answer", "aria-labelledby": "answer-title" },
    h("h2", { id: "answer-title" }, title), scope, notes, body));
}

function renderResults(data, scope) {
  // a question asked within a province or issuer ("Ở Gia Lai, …"): its passages only, as the answer is
  const scoped = scope ? new Set(scope.documents) : null; // none: the place asked about has no document
  const results = scoped ? data.results.filter((r) => scoped.has(r.doc_id)) : data.results;
  const items = results.map((r) =>
    h("li", { class: "result", "data-type": r.doc_type || "" },
      h("h3", {}, h("a", { href: docLink(r.doc_id, unitOf(r.chunk_id)) }, r.citation)),
      h("p", { class: "meta" }, validityBadge(r), " ", [r.doc_type, r.section].filter(Boolean).join(" · ")),
      h("p", { class: "passage" }, highlight(r.text, state.terms)),
      copyButton(r.citation)));
  $("#results").replaceChildren(h("div", {},
    h("h2", {}, `Đoạn văn liên quan (${items.length})`),
    data.restored_query ? h("p", { class: "note" }, "Đã hiểu là: ", h("em", {}, data.restored_query)) : null,
    scoped ? h("p", { class: "note" }, "Chỉ các đoạn trong văn bản của: ", scope.names.join(", ")) : null,
    items.length ? h("ol", { class: "results" }, items) : h("p", {}, "Không có đoạn văn phù hợp.")));
}

async function loadTypes() {
  const types = new Set();
  try {
    for (let offset = 0, total = 1; offset < total && offset < 10000; offset += 500) {
      const page = await api("/documents", { offset, limit: 500 });
      total = page.total;
      page.documents.forEach((d) => d.type && types.add(d.type));
    }
  } catch (err) {
    showAlert([err.message]);
  }
  const select = $("#filter-type");
  const wanted = new URLSearchParams(location.hash.split("?")[1] || "").get("type");
  select.append(...[...types].sort((a, b) => a.localeCompare(b, "vi")).map((t) => h("option", { value: t }, t)));
  if (wanted) select.value = wanted;
}

// ---- document view ------------------------------------------------------------------------------

async function showDoc(ref, unit) {
  showView("doc");
  showAlert([]);
  if (!state.docs.has(ref)) {
    loading(true);
    try {
      state.docs.set(ref, await fetchDoc(ref));
    } catch (err) {
      loading(false);
      $("#doc-view").replaceChildren(backLink());
      showAlert([err.message]);
      return;
    }
    loading(false);
  }
  const doc = state.docs.get(ref);
  if (state.doc !== doc) {
    state.doc = doc;
    renderDoc(doc);
  }
  $("#doc-view .back").replaceWith(backLink().firstChild); // back to where the reader came from
  focusUnit(doc, unit);
}

async function fetchDoc(ref) {
  const doc = await api(`/documents/${encodeURIComponent(ref)}`);
  doc.outline.sort((a, b) => a.start - b.start || b.end - a.end);
  const tops = [];
  for (const u of doc.outline) if (!tops.length || u.start >= tops[tops.length - 1].end) tops.push(u);
  const base = `/documents/${encodeURIComponent(doc.doc_id)}/units/`;
  doc.tops = await Promise.all(tops.map(async (t) => ({ ...t, text: (await api(base + encodeURIComponent(t.path))).text })));
  return doc;
}

const backLink = () => h("p", {}, h("a", { href: state.back.hash, class: "back" }, `← Quay lại ${state.back.label}`));

function renderDoc(doc) {
  const name = [doc.type, doc.number && `số ${doc.number}`].filter(Boolean).join(" ") || doc.doc_id;
  const field = (k, v) => [h("dt", {}, k), h("dd", {}, v || "—")];
  const outline = h("ol", { class: "outline" }, doc.outline.map((u) =>
    h("li", { style: { "--level": u.level } }, h("a", { href: docLink(doc.doc_id, u.path) }, u.heading || u.label || u.path))));
  $("#doc-view").replaceChildren(
    backLink(),
    h("h2", { id: "doc-title", tabindex: "-1" }, name),
    h("dl", { class: "docmeta" }, field("Số hiệu", doc.number), field("Loại văn bản", doc.type),
      field("Ngày ban hành", viDate(doc.date)), field("Cơ quan ban hành", doc.issuer_full || doc.issuer),
      field("Trích yếu", doc.title),
      field("Hiệu lực", h("span", {}, validityBadge(doc),
        doc.effective_from ? ` từ ${viDate(doc.effective_from)}` : "",
        doc.expired_from ? `; hết hiệu lực từ ${viDate(doc.expired_from)}` : "",
        doc.replaced_by ? `; thay thế bởi ${doc.replaced_by}` : ""))),
    (doc.validity_conflicts || []).length
      ? h("div", { class: "conflicts", role: "note" },
          h("p", {}, h("strong", {}, "Mâu thuẫn: nhiều văn bản cùng chấm dứt hiệu lực văn bản này"),
            " (ngày có hiệu lực muộn hơn quyết định văn bản thay thế):"),
          h("ul", {}, doc.validity_conflicts.map((c) => h("li", {}, `${c.source} — `,
            c.doc_id ? h("a", { href: docLink(c.doc_id, c.unit_path) }, c.citation) : c.citation,
            c.from ? `, từ ${viDate(c.from)}` : ""))))
      : null,
    relationPanel(doc),
    h("nav", { class: "card", "aria-label": "Dàn ý văn bản" },
      h("details", { open: true }, h("summary", {}, `Dàn ý (${doc.outline.length} mục)`), outline)),
    h("section", { class: "doctext", "aria-label": "Nội dung văn bản" }, doc.tops.map((t) => unitBlocks(doc, t))),
    h("section", { class: "card", "aria-labelledby": "cites-title" },
      h("h3", { id: "cites-title" }, "Văn bản được viện dẫn"),
      listOrNone(doc.cites.map((c) => h("li", {}, c.doc_id ? h("a", { href: docLink(c.doc_id) }, c.label) : c.label, " ", inCorpus(c))))),
    h("section", { class: "card", "aria-labelledby": "cited-by-title" },
      h("h3", { id: "cited-by-title" }, "Văn bản viện dẫn văn bản này"),
      listOrNone(doc.cited_by.map((c) => h("li", {}, h("a", { href: docLink(c.doc_id) }, `${c.type || "Văn bản"} số ${c.number}`),
        c.title ? ` — ${c.title}` : "", c.section ? h("span", { class: "meta" }, ` (${c.section})`) : "")))));
}

// "Lược đồ": the relations as a graph (graph.js), then as a list a screen reader or a printout can read.
function relationPanel(doc) {
  const relations = doc.relations || [];
  const link = (r) => (r.doc_id ? docLink(r.doc_id, r.unit_path) : null);
  const items = relations.map((r) => h("li", { "data-type": r.type },
    h("strong", {}, `${RELATION_WORDS[r.type] || r.type} ${r.other}`), r.scope !== "whole" ? ` (${r.scope})` : "",
    r.from ? ` — từ ${viDate(r.from)}` : "", h("br"),
    link(r) ? h("a", { href: link(r) }, r.citation) : h("span", {}, r.citation, " ", h("span", { class: "badge no" }, "danh mục Pháp điển")),
    r.quote ? h("blockquote", {}, r.quote) : null));
  return h("section", { class: "card relations", "aria-labelledby": "relations-title" },
    h("h3", { id: "relations-title" }, `Lược đồ (${relations.length} quan hệ)`),
    relations.length
      ? [h("div", { class: "graph-wrap" }, relationGraph(doc, relations, link)),
         h("p", { class: "legend" }, "Màu: ", ["basis", "guide", "change", "part", "end"].map((f) =>
           h("span", { class: `key ${f}` }, { basis: "căn cứ", guide: "hướng dẫn", change: "sửa đổi", part: "bãi bỏ một phần",
             end: "thay thế, hết hiệu lực" }[f])), ". Bấm vào một quan hệ để mở điều khoản nêu nó."),
         h("details", {}, h("summary", {}, "Danh sách quan hệ và điều khoản nêu"), h("ul", { class: "refs" }, items))]
      : h("p", {}, "Chưa biết quan hệ nào của văn bản này với văn bản khác."));
}

const listOrNone = (items) => (items.length ? h("ul", { class: "refs" }, items) : h("p", {}, "Không có."));

// One top-level unit as a block per unit (its own text up to its first child), each with id = its path.
function unitBlocks(doc, top) {
  const inside = doc.outline.filter((u) => u.start >= top.start && u.start < top.end);
  return h("div", { class: "top-unit" }, inside.map((u, i) => {
    const next = i + 1 < inside.length ? inside[i + 1].start : top.end;
    const text = top.text.slice(u.start - top.start, Math.max(u.start, next) - top.start).trim();
    return h("div", { id: u.path, class: "unit", style: { "--level": u.level }, "data-start": u.start, "data-end": u.end }, text);
  }));
}

function focusUnit(doc, path) {
  for (const el of document.querySelectorAll("#doc-view .unit.hit")) {
    el.classList.remove("hit");
    el.textContent = el.textContent; // drops the marks
  }
  let p = path || "";
  while (p && !doc.outline.some((u) => u.path === p)) p = p.includes(".") ? p.slice(0, p.lastIndexOf(".")) : "";
  const u = doc.outline.find((x) => x.path === p);
  if (!u) {
    window.scrollTo(0, 0);
    $("#doc-title").focus({ preventScroll: true });
    return;
  }
  const blocks = [...document.querySelectorAll("#doc-view .unit")].filter((el) => +el.dataset.start >= u.start && +el.dataset.start < u.end);
  for (const el of blocks) {
    el.classList.add("hit");
    if (state.terms.size) el.replaceChildren(highlight(el.textContent, state.terms));
  }
  const target = document.getElementById(u.path);
  target.setAttribute("tabindex", "-1");
  target.scrollIntoView({ block: "start" });
  target.focus({ preventScroll: true });
}

// ---- citation checker ---------------------------------------------------------------------------

const STATUS = { ok: "Đúng", problem: "Có vấn đề", unverifiable: "Không kiểm chứng được" };
const FIXES = { "\u00d0": "Đ", "\u00f0": "đ", "\u0189": "Đ", "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\t": " " };

// The draft as the server reads it (ingest.normalize.clean_text, and a lone surrogate as "?"), so that the
// findings' spans (in code points) fall on the text shown here.
const cleanText = (s) => s
  .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "?")
  .replace(/\r\n/g, "\n").normalize("NFC")
  .replace(/[\u00d0\u00f0\u0189\u00a0\u2007\u202f\t]/g, (c) => FIXES[c])
  .replace(/[\u200b-\u200d\ufeff\u00ad\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g, "");

function showCheck() {
  showView("check");
  showAlert([]);
  state.back = { hash: "#/kiem-tra", label: "kiểm tra trích dẫn" };
  if (!$("#check-result").childElementCount) $("#check-title").focus({ preventScroll: true });
}

// The draft to send, or null (and a message) when there is none.
function draftText() {
  const text = cleanText($("#check-text").value);
  if (text.trim()) return text;
  showAlert(["Hãy dán nội dung dự thảo cần kiểm tra."]);
  $("#check-text").focus();
  return null;
}

async function checking(work) {
  const seq = ++state.checkSeq;
  const buttons = document.querySelectorAll("#check-form button");
  showAlert([]);
  loading(true);
  buttons.forEach((b) => { b.disabled = true; });
  try {
    await work(() => seq === state.checkSeq);
  } catch (err) {
    showAlert([err.message]);
  } finally {
    loading(false);
    buttons.forEach((b) => { b.disabled = false; });
  }
}

function onCheck(e) {
  e.preventDefault();
  const text = draftText();
  if (text == null) return;
  $("#check-result").replaceChildren(); // the findings of an older draft are not this one's
  checking(async (current) => {
    const data = await (await post("/check", { text })).json();
    if (current()) renderCheck(text, data);
  });
}

function onCheckDocx() {
  const text = draftText();
  if (text == null) return;
  checking(async () => {
    const r = await post("/check", { text }, { format: "docx" });
    const name = /filename="([^"]+)"/.exec(r.headers.get("Content-Disposition") || "");
    const url = URL.createObjectURL(await r.blob());
    const a = h("a", { href: url, download: name ? name[1] : "du-thao-nhan-xet.docx", hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  });
}

function renderCheck(text, data) {
  const s = data.summary;
  const line = s.total
    ? `${s.total} trích dẫn: ${s.ok} đúng, ${s.problem} có vấn đề, ${s.unverifiable} không kiểm chứng được`
    : "Không tìm thấy trích dẫn văn bản nào trong dự thảo.";
  $("#check-result").replaceChildren(
    h("p", { id: "check-summary", class: "summary", tabindex: "-1" }, line),
    data.findings.length ? h("ol", { class: "findings", "aria-label": "Các trích dẫn" }, data.findings.map(renderFinding)) : null,
    h("section", { class: "card", "aria-labelledby": "draft-title" },
      h("h3", { id: "draft-title" }, "Dự thảo đã kiểm tra"),
      h("p", { class: "legend" }, "Chú thích: ", ["ok", "problem", "unverifiable"].flatMap((k) => [h("mark", { class: k }, STATUS[k]), " "])),
      h("div", { class: "draft" }, markDraft(text, data.findings))));
  $("#check-summary").focus();
}

function renderFinding(f) {
  const unit = f.unit && f.unit.status === "found" ? f.unit : null;
  const number = f.reference.number;
  const citation = f.in_corpus && number ? h("a", { href: docLink(number, unit && unit.path) }, f.citation) : f.citation;
  return h("li", { class: `finding ${f.status}` },
    h("p", { class: "cited" }, h("span", { class: `status ${f.status}` }, STATUS[f.status] || f.status), " ",
      h("q", {}, f.text)),
    f.problems.length ? h("ul", { class: "problems" }, f.problems.map((p) => h("li", { "data-code": p.code }, p.message,
      p.evidence && p.evidence.quote ? h("blockquote", { class: "proof" }, p.evidence.quote) : null))) : null,
    f.status === "unverifiable"
      ? h("p", { class: "note" }, "Văn bản không có trong kho và danh mục: không kiểm chứng được (không phải là sai).")
      : null,
    f.unit && f.unit.status === "unverifiable"
      ? h("p", { class: "note" }, `Không kiểm chứng được ${f.unit.label}: văn bản trong kho chưa đủ toàn văn.`)
      : null,
    h("p", { class: "cite" }, "Trích dẫn chuẩn: ", citation, " ", copyButton(f.citation)),
    h("p", { class: "marks" },
      h("span", { class: f.in_corpus ? "badge yes" : "badge no" }, f.in_corpus ? "có trong kho" : "chưa có trong kho"), " ",
      h("span", { class: f.in_catalog ? "badge yes" : "badge no" }, f.in_catalog ? "trong danh mục" : "ngoài danh mục")),
    unit ? h("figure", { class: "unit-text" }, h("figcaption", {}, `Nguyên văn ${unit.label}:`), h("blockquote", {}, unit.text)) : null);
}

// The draft as text nodes, each finding's span (code points, as the server counts) in <mark class=status>.
function markDraft(text, findings) {
  const chars = Array.from(text);
  const frag = document.createDocumentFragment();
  let at = 0;
  findings.map((f, i) => ({ f, i })).sort((a, b) => a.f.span[0] - b.f.span[0]).forEach(({ f, i }) => {
    const [start, end] = f.span;
    if (start < at || end > chars.length) return; // overlapping or off the text: left unmarked
    frag.append(chars.slice(at, start).join(""),
      h("mark", { class: f.status, title: `${i + 1}. ${STATUS[f.status] || f.status}` }, chars.slice(start, end).join("")));
    at = end;
  });
  frag.append(chars.slice(at).join(""));
  return frag;
}

// ---- following tasks up -------------------------------------------------------------------------


async function showBoard(params) {
  showView("board");
  showAlert([]);
  const at = params.get("at") || "";
  $("#board-at").value = at;
  loading(true);
  try {
    renderBoard(await api("/dashboard", { at }));
  } catch (err) {
    $("#board").replaceChildren();
    showAlert([err.message]);
  } finally {
    loading(false);
  }
}

function bar(row) {
  // one bar per agency: late, due soon, done and the rest, each a share of its tasks (widths set through the CSSOM)
  const parts = [["overdue", row.overdue, "quá hạn"], ["soon", row.due_soon, "sắp đến hạn"], ["done", row.done, "hoàn thành"],
    ["rest", row.tasks - row.overdue - row.due_soon - row.done, "khác"]];
  return h("div", { class: "bar", role: "img", "aria-label": parts.map(([, n, label]) => `${n} ${label}`).join(", ") },
    parts.filter(([, n]) => n > 0).map(([cls, n]) => h("span", { class: cls, style: { width: `${(100 * n) / row.tasks}%` } })));
}

function taskLine(t, label) {
  const href = `#/van-ban/${encodeURIComponent(t.doc_id)}` + (t.unit_path ? `?unit=${encodeURIComponent(t.unit_path)}` : "");
  return h("li", {}, h("strong", {}, `${label} ${viDate(t.due)}`), " — ", t.task, " ",
    h("a", { href }, t.citation));
}

function renderBoard(data) {
  const rows = data.agencies;
  state.back = { hash: location.hash || "#/theo-doi", label: "theo dõi nhiệm vụ" };
  if (!rows.length) {
    $("#board").replaceChildren(h("p", { class: "note" }, "Kho chưa có nhiệm vụ nào được giao."));
    return;
  }
  const sum = (k) => rows.reduce((n, r) => n + r[k], 0);
  const table = h("table", { class: "board" },
    h("caption", {}, `Ngày ${viDate(data.at)}: ${sum("overdue")} nhiệm vụ quá hạn, ${sum("due_soon")} sắp đến hạn ` +
      `(${data.soon_days} ngày), ${sum("done")} hoàn thành trên ${sum("tasks")} nhiệm vụ của ${rows.length} cơ quan.`),
    h("thead", {}, h("tr", {}, ["Cơ quan chủ trì", "Nhiệm vụ", "Quá hạn", "Sắp đến hạn", "Hoàn thành", ""].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows.map((r) => h("tr", { class: r.overdue ? "late" : null },
      h("th", { scope: "row" }, r.agency), h("td", {}, String(r.tasks)), h("td", {}, String(r.overdue)),
      h("td", {}, String(r.due_soon)), h("td", {}, String(r.done)), h("td", { class: "chart" }, bar(r))))));
  const legend = h("p", { class: "board-legend" }, ["overdue:quá hạn", "soon:sắp đến hạn", "done:hoàn thành", "rest:khác"]
    .map((x) => x.split(":")).map(([cls, label]) => h("span", {}, h("i", { class: cls }), label)));
  const lists = rows.filter((r) => r.overdue || r.due_soon).map((r) => h("section", { class: "card" },
    h("h3", {}, r.agency),
    r.overdue_tasks.length ? h("ul", { class: "late" }, r.overdue_tasks.map((t) => taskLine(t, "Quá hạn từ"))) : null,
    r.due_soon_tasks.length ? h("ul", {}, r.due_soon_tasks.map((t) => taskLine(t, "Hạn"))) : null));
  $("#board").replaceChildren(table, legend, ...lists);
}

function onBoard(e) {
  e.preventDefault();
  const at = $("#board-at").value;
  location.hash = at ? `#/theo-doi?at=${at}` : "#/theo-doi";
}

// ---- routing ------------------------------------------------------------------------------------

function route() {
  const raw = location.hash.slice(1) || "/";
  const cut = raw.indexOf("?");
  const path = cut < 0 ? raw : raw.slice(0, cut);
  const params = new URLSearchParams(cut < 0 ? "" : raw.slice(cut + 1));
  const m = path.match(/^\/van-ban\/(.+)$/);
  if (m) return showDoc(decodeURIComponent(m[1]), params.get("unit"));
  if (path === "/tim" && params.get("q")) return showSearch(params);
  if (path === "/kiem-tra") return showCheck();
  if (path === "/theo-doi") return showBoard(params);
  showView("search");
}

// While the server computes the vectors a fresh index lacks, searches are by keyword: say so, with the share
// done (GET /healthz `dense`), until they are all there.
async function watchVectors() {
  const line = $("#vectors");
  let dense;
  try {
    dense = (await api("/healthz")).dense;
  } catch {
    return; // no store or index yet: the searches themselves say why
  }
  if (!dense || dense.ready) {
    line.hidden = true;
    return;
  }
  line.textContent = dense.error
    ? `Tìm theo từ khóa: chưa tính xong vector (${dense.error}).`
    : `Đang tính vector: ${Math.floor(dense.percent)}% (${dense.embedded.toLocaleString("vi-VN")}/` +
      `${dense.total.toLocaleString("vi-VN")} đoạn). Trong lúc chờ, kết quả tìm theo từ khóa.`;
  line.hidden = false;
  setTimeout(watchVectors, dense.error ? 15000 : 5000); // a stopped fill is taken up again: keep watching
}

$("#search-form").addEventListener("submit", onSubmit);
$("#check-form").addEventListener("submit", onCheck);
$("#check-docx").addEventListener("click", onCheckDocx);
$("#board-form").addEventListener("submit", onBoard);
window.addEventListener("hashchange", route);
loadTypes();
watchVectors();
route();
