// Lược đồ: a document's typed relations drawn as a graph (SVG, no library, nothing loaded from elsewhere).
// The document sits in the middle; on the left what it does to other documents (căn cứ, hướng dẫn, thay thế,
// bãi bỏ, sửa đổi), on the right what other documents do to it (bị thay thế, được hướng dẫn, …). Every edge
// is a link to the clause that states the relation (its quote in the tooltip), coloured by its type.
"use strict";

const RELATION_WORDS = {
  based_on: "căn cứ", guides: "hướng dẫn", replaces: "thay thế", expires: "tuyên bố hết hiệu lực",
  repeals_part: "bãi bỏ một phần", amends: "sửa đổi, bổ sung",
  basis_for: "là căn cứ của", guided_by: "được hướng dẫn bởi", replaced_by: "bị thay thế bởi",
  expired_by: "bị tuyên bố hết hiệu lực bởi", part_repealed_by: "bị bãi bỏ một phần bởi",
  amended_by: "được sửa đổi, bổ sung bởi",
};
// one colour per family, the same both ways: what ends a document is red, what changes it amber
const RELATION_FAMILY = {
  based_on: "basis", basis_for: "basis", guides: "guide", guided_by: "guide", replaces: "end", replaced_by: "end",
  expires: "end", expired_by: "end", repeals_part: "part", part_repealed_by: "part", amends: "change", amended_by: "change",
};
const GRAPH_MAX_SIDE = 12; // more on one side: "+N" (the list under the graph has them all)

function svg(tag, attrs = {}, ...kids) {
  const el = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) el.setAttribute(k, v);
  for (const kid of kids.flat()) if (kid != null) el.append(kid);
  return el;
}

// Relations merged per (direction, type, other document): one node each, with every stating clause kept.
function relationNodes(relations) {
  const nodes = new Map();
  for (const r of relations) {
    const key = `${r.direction}|${r.type}|${r.other}`;
    if (!nodes.has(key)) nodes.set(key, { ...r, clauses: [] });
    nodes.get(key).clauses.push(r);
  }
  return [...nodes.values()];
}

const shorten = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

// The SVG of one document's relations. `link(relation)` gives the href of the clause stating a relation.
function relationGraph(doc, relations, link) {
  const nodes = relationNodes(relations);
  const sides = { out: nodes.filter((n) => n.direction === "out"), in: nodes.filter((n) => n.direction === "in") };
  const W = 940, ROW = 58, NODE_W = 290, NODE_H = 40, TOP = 34;
  const rows = Math.max(1, ...Object.values(sides).map((s) => Math.min(s.length, GRAPH_MAX_SIDE + 1)));
  const H = TOP + rows * ROW + 16;
  const cx = W / 2, cy = TOP + (rows * ROW) / 2;
  const centre = { w: 230, h: 64 };
  const defs = svg("defs", {}, Object.values(RELATION_FAMILY).filter((v, i, a) => a.indexOf(v) === i).map((fam) =>
    svg("marker", { id: `arrow-${fam}`, viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7", markerHeight: "7",
      orient: "auto-start-reverse", class: `arrow ${fam}` }, svg("path", { d: "M0,0 L10,5 L0,10 z" }))));
  const parts = [defs,
    svg("text", { x: 20, y: 20, class: "side-title" }, "Văn bản này tác động đến"),
    svg("text", { x: W - 20, y: 20, class: "side-title", "text-anchor": "end" }, "Văn bản tác động đến văn bản này")];
  for (const [side, list] of Object.entries(sides)) {
    const shown = list.slice(0, GRAPH_MAX_SIDE);
    const offset = TOP + ((rows - Math.min(list.length, GRAPH_MAX_SIDE + 1)) * ROW) / 2;
    shown.forEach((n, i) => {
      const y = offset + i * ROW + (ROW - NODE_H) / 2;
      const x = side === "out" ? 20 : W - 20 - NODE_W;
      const fam = RELATION_FAMILY[n.type] || "basis";
      const nodeEdge = side === "out" ? x + NODE_W : x;
      const centreEdge = side === "out" ? cx - centre.w / 2 : cx + centre.w / 2;
      const ny = y + NODE_H / 2;
      const mid = (nodeEdge + centreEdge) / 2;
      const d = side === "out"
        ? `M${centreEdge},${cy} C${mid},${cy} ${mid},${ny} ${nodeEdge},${ny}` // from this document to the other
        : `M${nodeEdge},${ny} C${mid},${ny} ${mid},${cy} ${centreEdge},${cy}`; // from the other to this document
      const first = n.clauses[0];
      const tip = `${RELATION_WORDS[n.type] || n.type} ${n.other}` + (n.scope !== "whole" ? ` (${n.scope})` : "") +
        (n.from ? `, từ ${viDate(n.from)}` : "") + `\n${first.citation}` + (first.quote ? `\n“${shorten(first.quote, 300)}”` : "");
      const href = link(first);
      const group = svg("g", { class: `edge ${fam}`, "data-type": n.type, "data-other": n.other },
        svg("title", {}, tip),
        svg("path", { d, class: "line", "marker-end": `url(#arrow-${fam})` }),
        svg("rect", { x, y, width: NODE_W, height: NODE_H, rx: 8, class: "node" }),
        svg("text", { x: x + 10, y: y + 16, class: "rel" }, shorten(RELATION_WORDS[n.type] || n.type, 40)),
        svg("text", { x: x + 10, y: y + 33, class: "other" },
          shorten(n.other + (n.scope !== "whole" ? ` · ${n.scope}` : ""), 33)));
      parts.push(href ? svg("a", { href, "aria-label": tip.split("\n")[0] + " — " + first.citation }, group) : group);
    });
    if (list.length > GRAPH_MAX_SIDE) {
      const y = offset + GRAPH_MAX_SIDE * ROW + (ROW - NODE_H) / 2;
      const x = side === "out" ? 20 : W - 20 - NODE_W;
      parts.push(svg("text", { x: x + 10, y: y + 24, class: "more" }, `+${list.length - GRAPH_MAX_SIDE} quan hệ nữa (xem danh sách)`));
    }
  }
  const name = [doc.type, doc.number].filter(Boolean).join(" ") || doc.doc_id;
  parts.push(svg("g", { class: `centre ${doc.validity || "unknown"}` },
    svg("rect", { x: cx - centre.w / 2, y: cy - centre.h / 2, width: centre.w, height: centre.h, rx: 12 }),
    svg("text", { x: cx, y: cy - 6, "text-anchor": "middle", class: "name" }, shorten(name, 30)),
    svg("text", { x: cx, y: cy + 16, "text-anchor": "middle", class: "status" }, doc.validity_label || "Chưa rõ hiệu lực")));
  return svg("svg", { viewBox: `0 0 ${W} ${H}`, class: "relation-graph", role: "img",
    "aria-label": `Lược đồ quan hệ của ${name}: ${nodes.length} văn bản liên quan` }, parts);
}
