// factstream web page: search claims, read a claim, speakers' timelines, contradictions, reviews.
// No build step and no framework. Every value from the API is put into the page with textContent
// (never innerHTML), so a claim that contains markup is shown as text, not run.
"use strict";

const PAGE_SIZE = 20; // rows per page: one screen of cards

const $ = (sel) => document.querySelector(sel);
const view = () => $("#view");
const render = (...nodes) => view().replaceChildren(...nodes.flat().filter((n) => n !== null && n !== undefined && n !== false));

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function setStatus(text, isError = false) {
  const status = $("#status");
  status.textContent = text;
  status.classList.toggle("error", isError);
}

function when(value) {
  return value ? new Date(value).toISOString().slice(0, 10) : "undated";
}

// A mention's date, saying so when it is not the article's own: "ingested at 2026-12-05".
function dated(value, dateSource) {
  if (value && dateSource === "ingested") return `ingested at ${when(value)}`;
  if (value && dateSource === "given") return `${when(value)} (date given at ingest)`;
  return when(value);
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

// Mentions, distinct articles and outlets in the same words everywhere (the Sources list counts outlets).
function counts(c) {
  return `${plural(c.mention_count, "mention", "mentions")} in ${plural(c.source_count, "distinct article",
    "distinct articles")} from ${plural(c.outlet_count, "outlet", "outlets")}`;
}

const INGEST_ORDER_NOTE = "Some of these articles carry no publication time: their dates are the times "
  + "they were ingested, so the order is ingest order.";

// Bumped on every navigation: a slow answer for a page the user already left is dropped.
let routeSeq = 0;
class Stale extends Error {}

async function api(path, options = {}) {
  const seq = routeSeq;
  const response = await fetch(path, options);
  if (seq !== routeSeq && (options.method || "GET") === "GET") throw new Stale();
  let body = null;
  try { body = await response.json(); } catch (_) { /* empty or not JSON */ }
  if (!response.ok) {
    let detail = body && body.detail !== undefined ? body.detail : response.statusText;
    if (Array.isArray(detail)) detail = detail.map((d) => `${(d.loc || []).join(".")}: ${d.msg}`).join("; ");
    throw new Error(`${response.status}: ${detail}`);
  }
  return body;
}

// -- reviewer identity (kept in localStorage) ------------------------------------------------------

function initReviewer() {
  for (const id of ["reviewer", "token"]) {
    const input = $("#" + id);
    input.value = localStorage.getItem("factstream." + id) || "";
    input.addEventListener("change", () => localStorage.setItem("factstream." + id, input.value));
  }
}

async function review(targetKind, targetId, verdict, onDone) {
  const reviewer = $("#reviewer").value.trim();
  const token = $("#token").value.trim();
  if (!reviewer || !token) {
    $("#reviewer-box").open = true;
    setStatus("Enter your name and the API token (Reviewer, top right) to record a review.", true);
    return;
  }
  try {
    const saved = await api("/reviews", {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ target_kind: targetKind, target_id: targetId, verdict, reviewer }),
    });
    setStatus(`Recorded: ${targetKind} ${verdict} by ${saved.reviewer}.`);
    if (onDone) onDone(saved);
  } catch (err) {
    setStatus(`Review not recorded (${err.message})`, true);
  }
}

function reviewBadge(state) {
  if (!state) return el("span", { class: "badge review-state" }, "not reviewed");
  return el("span", { class: `badge review-state ${state.verdict}` },
    `${state.verdict} by ${state.reviewer} ${when(state.reviewed_at)}`);
}

function reviewButtons(kind, id, onDone) {
  return el("span", { class: "review-buttons" },
    el("button", { type: "button", class: "confirm", "data-verdict": "confirmed",
                   onclick: () => review(kind, id, "confirmed", onDone) }, "Confirm"),
    " ",
    el("button", { type: "button", class: "reject", "data-verdict": "rejected",
                   onclick: () => review(kind, id, "rejected", onDone) }, "Reject"));
}

// -- views ---------------------------------------------------------------------------------------

function pager(page, go) {
  return el("div", { class: "pager" },
    page.offset > 0 ? el("button", { type: "button", onclick: () => go(Math.max(0, page.offset - page.limit)) },
      "← Previous") : null,
    page.next_offset !== null ? el("button", { type: "button", class: "next", onclick: () => go(page.next_offset) },
      "Next →") : null);
}

function claimCard(c) {
  return el("article", { class: "card claim", "data-id": c.id },
    el("div", {}, el("a", { href: `#/claim/${encodeURIComponent(c.id)}`, class: "claim-link" }, c.canonical_text)),
    el("div", { class: "meta" },
      c.speaker ? el("a", { href: `#/speaker/${encodeURIComponent(c.speaker)}` }, c.speaker) : "(reporting)",
      ` · ${counts(c)} · last seen ${when(c.last_seen_at)}`,
      c.negated ? " · negated" : "", c.modality === "hedged" ? " · hedged" : ""));
}

async function showClaims(params) {
  const form = $("#search");
  for (const input of form.elements) if (input.name) input.value = params.get(input.name) || "";
  const query = new URLSearchParams();
  for (const [k, v] of params) if (v) query.set(k, v);
  query.set("limit", PAGE_SIZE);
  setStatus("Searching…");
  const page = await api(`/claims?${query}`);
  setStatus(page.items.length ? "" : "No claims match.");
  render(
    el("h2", {}, params.get("q") ? `Claims matching “${params.get("q")}”` : "Recent claims"),
    ...page.items.map(claimCard),
    pager(page, (offset) => { params.set("offset", offset); location.hash = `#/claims?${params}`; }));
}

function contradictionCard(x, onChange) {
  const side = (label, c, evidence) => el("div", { class: "side" },
    el("div", { class: "meta" }, label, " · ", c.speaker || "(reporting)", " · last seen ", when(c.last_seen_at)),
    el("a", { href: `#/claim/${encodeURIComponent(c.id)}` }, c.canonical_text),
    ...evidence.map((e) => el("blockquote", { class: "evidence" }, e.quote || e.text,
      el("div", { class: "meta" }, `${e.source || ""} ${when(e.published_at)} · article ${e.article_id} `
        + `[${e.span[0]}, ${e.span[1]})`))));
  const evidence = x.evidence || [];
  const state = el("span", {}, reviewBadge(x.review));
  return el("article", { class: "card contradiction", "data-id": x.id },
    el("div", { class: "meta" }, el("span", { class: `badge kind ${x.kind === "stance_reversal" ? "reversal" : ""}` },
      x.kind), ` score ${x.score.toFixed(2)} · detected ${when(x.detected_at)} `, state),
    el("div", { class: "pair" },
      side("A", x.claim_a, evidence.filter((e) => e.tracked_claim_id === x.claim_a.id)),
      side("B", x.claim_b, evidence.filter((e) => e.tracked_claim_id === x.claim_b.id))),
    el("p", { class: "explanation" }, x.explanation),
    reviewButtons("contradiction", x.id, (saved) => {
      state.replaceChildren(reviewBadge({ ...saved, reviewed_at: saved.created_at }));
      if (onChange) onChange(saved);
    }));
}

async function showClaim(id) {
  setStatus("Loading…");
  const c = await api(`/claims/${encodeURIComponent(id)}`);
  setStatus("");
  const ingested = c.mentions.some((m) => m.date_source === "ingested");
  const mention = (m) => {
    const state = el("span", {}, m.first_mention ? el("span", { class: "badge" }, "first mention")
      : reviewBadge(m.review));
    return el("li", { class: "card mention", "data-id": m.id },
      el("div", { class: "meta" }, el("strong", {}, m.source), ` · ${dated(m.published_at, m.date_source)} · `,
        m.speaker || "(reporting)", m.speaker_role ? ` (${m.speaker_role})` : "",
        m.first_mention ? "" : ` · match ${m.match_score.toFixed(2)}`, " ", state),
      el("div", {}, m.article_url ? el("a", { href: m.article_url, rel: "noopener noreferrer" },
        m.article_title || m.article_id) : (m.article_title || m.article_id)),
      m.quote ? el("blockquote", {}, m.quote) : el("div", {}, m.text),
      m.first_mention ? null : el("div", {}, el("span", { class: "meta" }, "Same fact as the claim? "),
        reviewButtons("duplicate", m.id, (saved) =>
          state.replaceChildren(reviewBadge({ ...saved, reviewed_at: saved.created_at })))));
  };
  render(
    el("h2", { class: "claim-text" }, c.canonical_text),
    el("p", { class: "meta" }, c.speaker ? el("a", { href: `#/speaker/${encodeURIComponent(c.speaker)}` }, c.speaker)
      : "(reporting)", ` · ${c.modality}${c.negated ? ", negated" : ""} · first seen `
      + (c.mentions.length ? dated(c.mentions[0].published_at, c.mentions[0].date_source) : when(c.first_seen_at))
      + ` · ${counts(c)}`,
      c.entities.length ? " · entities: " : "",
      ...c.entities.map((e, i) => [i ? ", " : "", el("a", { href: `#/story?entity=${encodeURIComponent(e)}` }, e)])),
    ingested ? el("p", { class: "note ingest-order" }, INGEST_ORDER_NOTE) : null,
    el("h3", {}, `Sources: ${plural(c.sources.length, "outlet", "outlets")}`),
    el("ul", { class: "sources" }, c.sources.map((s) =>
      el("li", {}, `${s.source}: ${plural(s.mentions, "mention", "mentions")}, first ${when(s.first_published_at)}`))),
    el("h3", {}, `Mentions (${c.mentions.length})`),
    el("ul", { class: "mentions", style: "list-style:none;padding:0" }, c.mentions.map(mention)),
    el("h3", {}, `Contradictions (${c.contradictions.length})`),
    ...c.contradictions.map((x) => contradictionCard(x)),
    el("h3", {}, "Timeline"),
    el("ul", { class: "timeline" }, c.timeline.map((e) =>
      el("li", { class: `event-${e.event}` }, el("span", { class: "meta" }, when(e.at), " "),
        el("span", { class: "badge" }, e.event), e.summary))));
}

async function showSpeakers(params) {
  setStatus("Loading…");
  const query = new URLSearchParams({ limit: 200 });
  if (params.get("q")) query.set("q", params.get("q"));
  const page = await api(`/speakers?${query}`);
  setStatus(page.items.length ? "" : "No speakers yet.");
  const filter = el("input", { type: "search", placeholder: "filter speakers", "aria-label": "Filter speakers", value: params.get("q") || "",
                               maxlength: 300, onchange: (ev) => { location.hash = `#/speakers?q=${encodeURIComponent(ev.target.value)}`; } });
  render(el("h2", {}, "Speakers"), filter,
    ...page.items.map((s) => el("article", { class: "card speaker" },
      el("a", { href: `#/speaker/${encodeURIComponent(s.name)}` }, s.name), s.role ? ` (${s.role})` : "",
      el("div", { class: "meta" }, `${plural(s.claims, "claim", "claims")}, ${plural(s.mentions, "mention", "mentions")}, ${when(s.first_said_at)} – `
        + when(s.last_said_at)),
      s.stance_reversals ? el("span", { class: "badge reversal" }, `${s.stance_reversals} stance reversal(s)`) : null)));
}

async function showTimeline(name) {
  setStatus("Loading…");
  const t = await api(`/speakers/${encodeURIComponent(name)}/timeline`);
  setStatus(t.entries.length ? "" : "No claims by this speaker.");
  render(
    el("h2", {}, `${t.speaker}${t.role ? ` (${t.role})` : ""}: claims over time`),
    t.entries.some((e) => e.date_source === "ingested") ? el("p", { class: "note ingest-order" }, INGEST_ORDER_NOTE) : null,
    el("ol", { class: "timeline" }, t.entries.map((e) =>
      el("li", { class: e.stance_reversal ? "entry reversal" : "entry", "data-id": e.claim_id },
        el("div", { class: "meta" }, dated(e.first_said_at, e.date_source), e.last_said_at && when(e.last_said_at) !== when(e.first_said_at)
          ? ` – ${when(e.last_said_at)}` : "", ` · ${plural(e.mentions, "mention", "mentions")} from ${plural(e.sources, "outlet", "outlets")}`),
        el("a", { href: `#/claim/${encodeURIComponent(e.claim_id)}` }, e.canonical_text),
        e.stance_reversal ? el("div", {}, el("span", { class: "badge reversal" }, "stance reversal"),
          ...e.reversals.map((r) => el("a", { href: `#/claim/${encodeURIComponent(r.other_claim_id)}`, class: "meta" },
            " see the other claim"))) : null))),
    t.truncated ? el("p", { class: "meta" }, "Only the first entries are shown.") : null);
}

async function showContradictions(params) {
  const status = params.get("status") || "open";
  const kind = params.get("kind") || "";
  const query = new URLSearchParams({ status, limit: PAGE_SIZE, offset: params.get("offset") || 0 });
  if (kind) query.set("kind", kind);
  setStatus("Loading…");
  const page = await api(`/contradictions?${query}`);
  setStatus("");
  const go = (changes) => {
    const next = new URLSearchParams({ status, kind, ...changes });
    location.hash = `#/contradictions?${next}`;
  };
  const select = (name, value, options) => el("select", { name, "aria-label": name === "kind" ? "Kind" : "Review status", onchange: (ev) => go({ [name]: ev.target.value }) },
    options.map(([v, label]) => el("option", { value: v, selected: v === value }, label)));
  render(
    el("h2", {}, "Contradictions"),
    el("div", {}, select("status", status, [["open", "not reviewed"], ["confirmed", "confirmed"],
      ["rejected", "rejected"], ["all", "all"]]), " ",
    select("kind", kind, [["", "any kind"], ["numeric", "numeric"], ["negation", "negation"], ["antonym", "antonym"],
      ["stance_reversal", "stance reversal"], ["conflicting_report", "conflicting report"]])),
    page.items.length ? null : el("p", { class: "empty" }, "No contradictions here."),
    ...page.items.map((x) => contradictionCard(x)),
    pager(page, (offset) => go({ offset })));
}

function storyMention(m, label) {
  return el("li", { class: `said ${label === "first report" ? "first-report" : "restatement"}` },
    el("span", { class: "badge" }, label), " ", el("strong", {}, m.source), ` · ${dated(m.published_at, m.date_source)} · `,
    m.article_url ? el("a", { href: m.article_url, rel: "noopener noreferrer" }, m.article_title || m.article_id)
      : (m.article_title || m.article_id),
    m.quote ? el("blockquote", {}, m.quote) : null);
}

const RELATION = { updates: "updates", updated_by: "updated by", contradicts: "contradicted by" };

async function showStory(params) {
  const entity = params.get("entity") || "";
  const form = el("form", { class: "story-form", role: "search", onsubmit: (ev) => {
    ev.preventDefault();
    location.hash = `#/story?entity=${encodeURIComponent(ev.target.elements.entity.value)}`;
  } },
  el("label", {}, "Entity or event ", el("input", { name: "entity", type: "search", value: entity, maxlength: 300,
    required: true })), " ", el("button", { type: "submit" }, "Show story"));
  if (!entity) {
    setStatus("");
    render(el("h2", {}, "Stories"), form,
      el("p", { class: "meta" }, "A story gathers the claims about one entity or event across outlets and time."));
    return;
  }
  setStatus("Loading…");
  const st = await api(`/stories?entity=${encodeURIComponent(entity)}`);
  setStatus("");
  render(
    el("h2", {}, `Story: ${st.matched.join(", ")}`),
    form,
    el("p", { class: "meta story-summary" },
      `${plural(st.claims.length, "claim", "claims")} in ${plural(st.article_count, "article", "articles")}`
      + ` from ${plural(st.outlets.length, "outlet", "outlets")}`
      + (st.outlets.length ? ` (${st.outlets.join(", ")})` : "")
      + (st.speakers.length ? ` · speakers: ${st.speakers.join(", ")}` : "")),
    st.ingest_order ? el("p", { class: "note ingest-order" }, INGEST_ORDER_NOTE) : null,
    el("ol", { class: "timeline story" }, st.claims.map((c) =>
      el("li", { class: `entry story-claim${c.links.length ? " changed" : ""}`, "data-id": c.id },
        el("div", { class: "meta" }, c.first_report ? dated(c.first_report.published_at, c.first_report.date_source)
          : when(c.first_seen_at), " · ", c.speaker || "(reporting)", ` · ${counts(c)}`,
          c.matched_by === "headline" ? " · from an article with the name in its headline" : ""),
        el("a", { href: `#/claim/${encodeURIComponent(c.id)}` }, c.canonical_text),
        el("ul", { class: "said" },
          c.first_report ? storyMention(c.first_report, "first report") : null,
          c.restatements.map((m) => storyMention(m, "restated"))),
        c.links.length ? el("ul", { class: "links" }, c.links.map((x) =>
          el("li", { class: `link ${x.relation}` },
            el("span", { class: `badge ${x.relation === "contradicts" ? "reversal" : "update"}` },
              `${RELATION[x.relation]} · ${x.kind.replace("_", " ")}`), " ",
            el("a", { href: `#/claim/${encodeURIComponent(x.other_claim_id)}` }, x.other_text),
            el("span", { class: "meta" }, ` (${x.explanation})`), " ", reviewBadge(x.review)))) : null))),
    st.truncated ? el("p", { class: "meta" }, "Only the first claims are shown.") : null);
}

// -- routing -------------------------------------------------------------------------------------

async function route() {
  routeSeq += 1;
  const hash = location.hash.slice(1) || "/claims";
  const [path, queryString] = hash.split("?");
  const params = new URLSearchParams(queryString || "");
  const parts = path.split("/").filter(Boolean);
  for (const name of ["claims", "speakers", "contradictions", "story"]) {
    $("#nav-" + name).classList.toggle("active", parts[0] === name
      || (name === "claims" && parts[0] === "claim") || (name === "speakers" && parts[0] === "speaker"));
  }
  try {
    if (parts[0] === "claim" && parts[1]) await showClaim(decodeURIComponent(parts[1]));
    else if (parts[0] === "speakers") await showSpeakers(params);
    else if (parts[0] === "speaker" && parts[1]) await showTimeline(decodeURIComponent(parts.slice(1).join("/")));
    else if (parts[0] === "contradictions") await showContradictions(params);
    else if (parts[0] === "story") await showStory(params);
    else await showClaims(params);
  } catch (err) {
    if (err instanceof Stale) return;
    setStatus(err.message, true);
    view().replaceChildren();
  }
}

function init() {
  initReviewer();
  $("#search").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const params = new URLSearchParams();
    for (const input of ev.target.elements) if (input.name && input.value) params.set(input.name, input.value);
    location.hash = `#/claims?${params}`;
  });
  window.addEventListener("hashchange", route);
  route();
}

document.addEventListener("DOMContentLoaded", init);
