// The classroom page: fetch + DOM, nothing else. Every answer comes from the JSON API
// (/v1/read, /v1/diff, the labs' /v1/numeric, gradient, dual, backprop, descend ... with
// "format": "html", /v1/check); MathML and SVG come from the
// server and are inserted as they are. The permalink is the URL's fragment (#f=...&r=...),
// so the function never reaches a server log.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const expr = $("expr"), at = $("at"), variable = $("var"), detail = $("detail"), order = $("order");
  const along = $("along"), hessian = $("hessian"), start = $("start"), rate = $("rate"), steps = $("steps");
  const answer = $("answer"), lines = $("lines");
  const resultBody = $("result-body"), result = $("result");
  const ROUTES = {
    solution: "Worked solution", at: "At a point", definition: "From the definition",
    implicit: "Implicit differentiation", tangent: "Tangent line", plot: "Plot",
    numeric: "Finite differences", gradient: "Gradient", dual: "Dual numbers",
    backprop: "Backpropagation", descend: "Gradient descent",
  };
  const NEEDS_POINT = { at: true, tangent: true, numeric: true, dual: true, backprop: true };
  // the boxes kept in the permalink besides f and r: [key, element, default]
  const KEPT = [["at", at, ""], ["var", variable, ""], ["order", order, "1"], ["along", along, ""],
                ["start", start, ""], ["rate", rate, ""], ["steps", steps, ""]];
  const BADGE = {
    correct: "Correct", incorrect: "Not quite",
    invalid: "Your answer could not be read", undetermined: "Could not decide",
  };
  let route = "solution";
  let runs = 0;

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function markup(html) {   // MathML, SVG or HTML made by this server
    const box = el("div", "scroll");
    box.innerHTML = html;
    return box;
  }

  function errorBox(err) {
    const box = el("div", "error");
    box.setAttribute("role", "group");
    const where = err.column ? ` (column ${err.column})` : "";
    box.append(el("p", "error-message", capital(err.message) + where));
    if (err.context) box.append(el("pre", "caret", err.context.replace(/^ {2}/gm, "")));
    if (err.hint) box.append(el("p", "hint", "Hint: " + err.hint));
    return box;
  }

  function capital(s) { return s ? s[0].toUpperCase() + s.slice(1) : s; }

  async function api(op, body, signal) {
    let r;
    try {
      r = await fetch("/v1/" + op, {
        method: "POST", headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body), signal,
      });
    } catch (e) {
      if (e.name === "AbortError") throw e;
      return { error: { message: "Cannot reach the tutor server. Is tutor serve still running?" } };
    }
    let data = null;
    try { data = await r.json(); } catch (e) { /* not JSON */ }
    if (r.status === 401) {
      return { error: { message: "This server asks for a token (it was started with --token-file), " +
        "so the page cannot use it.", hint: "start tutor serve without --token-file for the classroom" } };
    }
    if (!data) return { error: { message: `The server answered ${r.status} without a body.` } };
    if (data.schema === "tutor.error/1") return { error: data.error, status: r.status };
    return { data, status: r.status };
  }

  function fields(extra) {   // the optional boxes, only when filled in
    const body = Object.assign({}, extra);
    if (variable.value.trim()) body.var = variable.value.trim();
    return body;
  }

  function withOrder(body) {   // the order box, as a number (the server says what it allows)
    const n = order.value.trim();
    if (n && n !== "1") body.order = /^\d+$/.test(n) ? Number(n) : n;
    return body;
  }

  function filled(body, name, box) {   // an optional lab box, only when filled in
    if (box.value.trim()) body[name] = box.value.trim();
    return body;
  }

  // ---------------------------------------------------------------- the live reading

  function liveReading(input, target, prefix) {
    let timer = 0, controller = null;
    async function read() {
      const text = input.value;
      if (controller) controller.abort();
      if (!text.trim()) { target.replaceChildren(); return; }
      controller = new AbortController();
      let got;
      try { got = await api("read", { expr: text }, controller.signal); } catch (e) { return; }
      if (text !== input.value) return;   // typed on since
      if (input.dataset.checked === text) { target.replaceChildren(); return; }   // the verdict echoes it
      if (got.error) { target.replaceChildren(errorBox(got.error)); return; }
      const d = got.data;
      if (!d.ok) {
        target.replaceChildren(errorBox(d.error));
        input.setAttribute("aria-invalid", "true");
        return;
      }
      input.removeAttribute("aria-invalid");
      const line = el("p", "echo");
      line.append(prefix, " ", markup(d.mathml).firstChild);
      if (d.variables.length && input === expr) {
        line.append(el("span", "vars", `(variable${d.variables.length > 1 ? "s" : ""}: ${d.variables.join(", ")})`));
      }
      target.replaceChildren(line);
    }
    input.addEventListener("input", () => {
      clearTimeout(timer);
      delete input.dataset.checked;
      timer = setTimeout(read, 250);
      if (input === expr) setPermalink();
    });
    return read;
  }

  const readExpr = liveReading(expr, $("reading"), "You entered");
  const readAnswer = liveReading(answer, $("answer-reading"), "Your answer reads");

  // ---------------------------------------------------------------- the routes

  function request(r) {
    const f = expr.value, point = at.value.trim(), d = detail.value;
    switch (r) {
      case "solution": return ["diff", withOrder(fields({ expr: f, detail: d, format: "html" }))];
      case "at": return ["diff", withOrder(fields({ expr: f, at: point, detail: d, format: "html" }))];
      case "definition":
        return ["definition", fields(Object.assign({ expr: f, format: "html" }, point ? { at: point } : {}))];
      case "implicit":
        return ["implicit", withOrder(Object.assign({ equation: f, detail: d, format: "html" }, point ? { at: point } : {}))];
      case "tangent": return ["tangent", fields({ expr: f, at: point, detail: d, format: "html" })];
      case "plot": {
        const body = fields({ expr: f, derivative: true });
        const m = /^\s*[A-Za-z]\w*\s*=\s*([^,]+)$/.exec(point);
        if (m) body.tangent_at = m[1].trim();
        return ["plot", body];
      }
      case "numeric": return ["numeric", fields({ expr: f, at: point, format: "html" })];
      case "gradient": {
        const body = { expr: f, detail: d, format: "html" };
        if (variable.value.trim()) body.vars = variable.value.trim();
        if (point) body.at = point;
        if (hessian.checked) body.hessian = true;
        return ["gradient", filled(body, "along", along)];
      }
      case "dual": {   // with respect to the Variable box, or the point's first name
        const first = /^\s*([A-Za-z]\w*)\s*=/.exec(point);
        const wrt = variable.value.trim() || (first ? first[1] : "");
        return ["dual", { expr: f, wrt, at: point, format: "html" }];
      }
      case "backprop": return ["backprop", { expr: f, at: point, format: "html" }];
      case "descend": {
        const body = fields({ expr: f, format: "html" });
        filled(filled(body, "start", start), "rate", rate);
        const n = steps.value.trim();
        if (n) body.steps = /^\d+$/.test(n) ? Number(n) : n;
        return ["descend", body];
      }
    }
    return null;
  }

  function choose(r) {
    route = r;
    document.querySelectorAll(".routes button").forEach((b) => {
      b.setAttribute("aria-pressed", String(b.value === r));
    });
    document.querySelectorAll(".route-options").forEach((o) => { o.hidden = o.dataset.for !== r; });
  }

  let shownFor = null;   // the function the result was worked out for
  function show(title, ...nodes) {
    shownFor = expr.value;
    delete resultBody.dataset.answer;
    result.classList.remove("stale");
    resultBody.replaceChildren(el("h3", "", title), ...nodes);
  }

  function changed() {   // the function was edited: what is shown below no longer applies
    if (shownFor !== null && expr.value !== shownFor && !result.classList.contains("stale")) {
      result.classList.add("stale");
      const note = el("p", "stale-note", `This was worked out for ${shownFor}. Press Enter to work out the new function.`);
      resultBody.prepend(note);
    }
    ["verdict", "work-verdict"].forEach((id) => {
      const v = $(id);
      if (v.dataset.verdict) { v.replaceChildren(); v.removeAttribute("data-verdict"); v.removeAttribute("data-diagnoses"); }
    });
  }
  expr.addEventListener("input", changed);

  async function run(r) {
    choose(r);
    setPermalink();
    const title = ROUTES[r];
    if (!expr.value.trim()) {
      show(title, errorBox({ message: "Type a function first, in the box at the top." }));
      expr.focus();
      return;
    }
    if (NEEDS_POINT[r] && !at.value.trim()) {
      show(title, errorBox({ message: "This needs a point: type it in the Point box.",
                             hint: "for example x=1 (or x=3, y=4 on a curve)" }));
      at.focus();
      return;
    }
    const mine = ++runs;
    result.setAttribute("aria-busy", "true");
    show(title, el("p", "working", "Working…"));
    const [op, body] = request(r);
    const got = await api(op, body);
    if (mine !== runs) return;
    result.setAttribute("aria-busy", "false");
    if (got.error) { show(title, errorBox(got.error)); return; }
    if (got.data.schema === "tutor.plot/1") {
      const box = markup(got.data.svg);
      const svg = box.querySelector("svg");
      if (svg) {
        svg.setAttribute("role", "img");
        svg.setAttribute("aria-label", `Graph of ${expr.value} and its derivative`);
      }
      show(title, box);
      return;
    }
    show(title, markup(got.data.html));
    if (got.data.answer) resultBody.dataset.answer = got.data.answer;
  }

  // Enter in a box works out the chosen route again (with what was just typed: a direction, a
  // learning rate); the browser would report the first button, "Worked solution", as the submitter
  let viaEnter = false;
  $("problem").addEventListener("keydown", (ev) => {
    viaEnter = ev.key === "Enter" && ev.target.tagName === "INPUT";
  });
  $("problem").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const b = viaEnter ? null : ev.submitter;
    viaEnter = false;
    run(b && b.value in ROUTES ? b.value : route);
  });

  // ---------------------------------------------------------------- check my answer

  function verdictView(target, got) {
    target.removeAttribute("data-verdict");
    target.removeAttribute("data-diagnoses");
    if (got.error) { target.replaceChildren(errorBox(got.error)); return; }
    const d = got.data, rec = d.record || d;   // tutor.html/1, or a bare verdict past the deadline
    const box = el("div", "v-" + rec.verdict);
    const badge = el("p", "badge", BADGE[rec.verdict] || rec.verdict);
    if (rec.score > 0 && rec.score < 1) badge.append(el("span", "score", `partial credit ${rec.score}`));
    box.append(badge);
    if (d.html) box.append(markup(d.html));
    else box.append(el("p", "feedback", rec.feedback.text));
    target.dataset.verdict = rec.verdict;
    target.dataset.diagnoses = (rec.diagnoses || []).map((x) => x.id).join(" ");
    target.replaceChildren(box);
  }

  async function check(op, target, extra) {
    if (!expr.value.trim()) {
      target.replaceChildren(errorBox({ message: "Type the function first, in the box at the top." }));
      expr.focus();
      return;
    }
    target.replaceChildren(el("p", "working", "Checking…"));
    verdictView(target, await api(op, fields(Object.assign({ function: expr.value, format: "html" }, extra))));
  }

  $("check").addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (!answer.value.trim()) { answer.focus(); return; }
    answer.dataset.checked = answer.value;   // the verdict will echo it: no second reading
    $("answer-reading").replaceChildren();
    check("check", $("verdict"), { answer: answer.value });
  });
  function checkWork() {
    if (!lines.value.trim()) { lines.focus(); return; }
    check("check-work", $("work-verdict"), { lines: lines.value });
  }
  $("check-work").addEventListener("click", checkWork);
  lines.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); checkWork(); }
  });

  // ---------------------------------------------------------------- the permalink

  function setPermalink() {
    const p = new URLSearchParams();
    if (expr.value.trim()) p.set("f", expr.value);
    if (route !== "solution") p.set("r", route);
    KEPT.forEach(([key, box, none]) => { if (box.value.trim() && box.value.trim() !== none) p.set(key, box.value.trim()); });
    if (hessian.checked) p.set("hessian", "1");
    if (detail.value !== "normal") p.set("detail", detail.value);
    const hash = p.toString() ? "#" + p.toString() : "";
    history.replaceState(null, "", location.pathname + location.search + hash);
    $("permalink").href = location.href;
  }
  [detail, hessian].concat(KEPT.map((k) => k[1])).forEach((e) => e.addEventListener("change", setPermalink));

  function restore() {
    const p = new URLSearchParams(location.hash.slice(1));
    expr.value = p.get("f") || "";
    KEPT.forEach(([key, box, none]) => { box.value = p.get(key) || none; });
    hessian.checked = p.get("hessian") === "1";
    detail.value = ["brief", "normal", "full"].includes(p.get("detail")) ? p.get("detail") : "normal";
    choose(p.get("r") in ROUTES ? p.get("r") : "solution");
    $("permalink").href = location.href;
    if (expr.value.trim()) { readExpr(); run(route); }
  }
  window.addEventListener("hashchange", restore);
  restore();
  if (answer.value.trim()) readAnswer();
  expr.focus();
})();
