/* implicit-atlas map page.
 * Reads the graph from the JSON block in the page and draws it with vis-network.
 * Every text that comes from the data is written with textContent (never innerHTML), and
 * links are only followed when they are http(s) URLs: a hostile title shows as text. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("atlas-data").textContent);
  var OTHER = "\u0000other"; // legend key of papers linked to no curated section
  var CITATION_STEPS = [0, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000];
  var DIM_NODE = { background: "#eceef1", border: "#dde1e6" };
  var EDGE_COLOUR = "rgba(110, 118, 129, 0.28)";
  var EDGE_STRONG = "rgba(55, 62, 71, 0.62)";
  // a timeline's links are long and cross the bands: fainter, so the papers stay readable
  var edgeColour = data.layout === "timeline" ? "rgba(110, 118, 129, 0.12)" : EDGE_COLOUR;
  var BIG = data.nodes.length > 1000;

  var byId = new Map();
  var neighbours = new Map();
  var incident = new Map();
  var SMALL = "\u0000small"; // legend key of papers in no named community
  var acronyms = data.acronyms || {};
  var acronymPhrases = Object.keys(acronyms).map(function (a) { return [a, acronyms[a].split(" ")]; });
  data.nodes.forEach(function (n) {
    byId.set(n.id, n);
    neighbours.set(n.id, new Set());
    incident.set(n.id, []);
    if (data.colourBy === "community") n.sectionKey = n.community || SMALL;
    else if (data.colourBy === "year") n.sectionKey = n.seed ? "seed" : OTHER;
    else n.sectionKey = n.section === null ? OTHER : n.section;
  });
  data.edges.forEach(function (e, i) {
    e.id = i;
    neighbours.get(e.from).add(e.to);
    neighbours.get(e.to).add(e.from);
    incident.get(e.from).push(i);
    incident.get(e.to).push(i);
  });

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function words(text) {
    return fold(text).match(/[a-z0-9]+/g) || [];
  }
  // the words a paper answers to: its title and author words, plus the acronyms of the long
  // forms it spells out ("ordinary differential equations" -> ode) and the long forms of the
  // acronyms it uses (DEQ -> deep equilibrium); the same rule as graph/searchterms.py
  function searchTokens(text) {
    var found = words(text);
    var out = found.slice();
    var seen = new Set(found);
    function add(w) { if (!seen.has(w)) { seen.add(w); out.push(w); } }
    acronymPhrases.forEach(function (pair) {
      var phrase = pair[1];
      for (var i = 0; i + phrase.length <= found.length; i++) {
        var all = true;
        for (var j = 0; j < phrase.length && all; j++) all = found[i + j].indexOf(phrase[j]) === 0;
        if (all) { add(pair[0]); break; }
      }
    });
    found.forEach(function (w) {
      var base = /s$/.test(w) && acronyms[w.slice(0, -1)] ? w.slice(0, -1) : w;
      if (Object.prototype.hasOwnProperty.call(acronyms, base)) acronyms[base].split(" ").forEach(add);
    });
    return out;
  }
  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url) ? url : null;
  }
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function formatCount(n) {
    return Number(n).toLocaleString("en-US");
  }

  // --- vis-network data -------------------------------------------------------------------
  function baseNode(n) {
    var node = {
      id: n.id,
      x: n.x,
      y: n.y,
      size: n.size,
      shape: n.shape,
      color: {
        background: n.colour,
        border: n.id === data.focus || n.seed ? "#000000" : n.curated ? "#30363d" : n.colour,
        highlight: { background: n.colour, border: "#000000" },
        hover: { background: n.colour, border: "#000000" },
      },
      // the paper an ego map (--focus) is centred on gets a thick black outline
      borderWidth: n.id === data.focus || n.seed ? 4 : n.curated ? 1.5 : 0.5,
      font: { color: "#1f2328" },
    };
    if (data.layout === "timeline") node.fixed = { x: true, y: false };
    return node;
  }
  function baseEdge(e) {
    if (e.kind === "similar") {
      return {
        id: e.id,
        from: e.from,
        to: e.to,
        width: 0.6 + 3.4 * Math.min(1, e.weight / maxWeight),
        color: { color: "rgba(70, 90, 120, " + (0.18 + 0.4 * Math.min(1, e.weight / maxWeight)).toFixed(2) + ")", highlight: "#d1242f", hover: "#1f2328", inherit: false },
      };
    }
    return {
      id: e.id,
      from: e.from,
      to: e.to,
      arrows: { to: { enabled: true, scaleFactor: e.influential ? 0.55 : 0.4 } },
      dashes: e.kind === "implements" ? [6, 4] : false,
      width: e.influential ? 2.4 : 0.7,
      color: { color: e.influential ? EDGE_STRONG : edgeColour, highlight: "#d1242f", hover: "#1f2328", inherit: false },
    };
  }
  var maxWeight = data.edges.reduce(function (m, e) { return Math.max(m, e.weight || 0); }, 0) || 1;
  var nodes = new vis.DataSet(data.nodes.map(baseNode));
  var edges = new vis.DataSet(data.edges.map(baseEdge));

  var options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 1 },
    physics: {
      enabled: data.physics,
      solver: "barnesHut",
      barnesHut: { gravitationalConstant: -2600, springLength: 60, springConstant: 0.03, damping: 0.35, avoidOverlap: 0.1 },
      stabilization: { enabled: true, iterations: 120, updateInterval: 25, fit: true },
    },
    interaction: {
      hover: true,
      hideEdgesOnDrag: BIG,
      hideEdgesOnZoom: BIG,
      tooltipDelay: 120,
      keyboard: false,
      multiselect: false,
    },
    nodes: {
      font: { size: 13, face: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", strokeWidth: 3, strokeColor: "#ffffff" },
      scaling: { label: { enabled: false } },
    },
    // on a timeline many links join papers of one band: slight curves keep them apart
    edges: {
      smooth: data.layout === "timeline" ? { enabled: true, type: "curvedCW", roundness: 0.12 } : false,
      selectionWidth: 1.2,
      hoverWidth: 0.6,
    },
  };
  var container = document.getElementById("map");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);

  // --- state: filters and highlight ---------------------------------------------------------
  // The year slider's stops are years, from yearAxis.start on; papers older than that share one
  // "earlier" stop (the year before yearAxis.start), so one 1895 reference does not make every
  // recent year a sliver of the track. yearAxis is null when no paper has a year.
  var yearAxis = data.years;
  var EARLIER = yearAxis && yearAxis.first < yearAxis.start ? yearAxis.start - 1 : null;
  var firstYear = yearAxis ? (EARLIER !== null ? EARLIER : yearAxis.start) : 0;
  var lastYear = yearAxis ? yearAxis.last : 0;
  var undatedCount = data.nodes.filter(function (n) { return typeof n.year !== "number"; }).length;
  var maxCitations = data.nodes.reduce(function (m, n) { return Math.max(m, n.citations || 0); }, 0);
  var steps = CITATION_STEPS.filter(function (s) { return s === 0 || s <= maxCitations; });
  var state = {
    sections: new Set(data.nodes.map(function (n) { return n.sectionKey; })),
    yearFrom: firstYear,
    yearTo: lastYear,
    minCitations: 0,
    hidden: new Set(),
    highlighted: null,
  };

  function isVisible(n) {
    if (!state.sections.has(n.sectionKey)) return false;
    if (state.yearFrom > firstYear || state.yearTo < lastYear) {
      if (typeof n.year !== "number") return false; // a narrowed range hides undated papers
      var from = state.yearFrom === EARLIER ? -Infinity : state.yearFrom;
      if (n.year < from || n.year > state.yearTo) return false;
    }
    // a paper whose citation count is unknown is kept: "unknown" is not "fewer"
    if (state.minCitations > 0 && typeof n.citations === "number" && n.citations < state.minCitations) return false;
    return true;
  }

  function applyFilters() {
    var nodeUpdates = [];
    var nowHidden = new Set();
    data.nodes.forEach(function (n) {
      var hide = !isVisible(n);
      if (hide) nowHidden.add(n.id);
      if (hide !== state.hidden.has(n.id)) nodeUpdates.push({ id: n.id, hidden: hide });
    });
    var edgeUpdates = [];
    data.edges.forEach(function (e) {
      var was = state.hidden.has(e.from) || state.hidden.has(e.to);
      var hide = nowHidden.has(e.from) || nowHidden.has(e.to);
      if (was !== hide) edgeUpdates.push({ id: e.id, hidden: hide });
    });
    state.hidden = nowHidden;
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (edgeUpdates.length) edges.update(edgeUpdates);
    if (state.highlighted !== null && nowHidden.has(state.highlighted)) clearSelection();
    updateStats();
    placeLabels();
    renderList();
  }

  function visibleEdgeCount() {
    var count = 0;
    data.edges.forEach(function (e) {
      if (!state.hidden.has(e.from) && !state.hidden.has(e.to)) count += 1;
    });
    return count;
  }

  function updateStats() {
    var shownNodes = data.nodes.length - state.hidden.size;
    var stats = document.getElementById("map-stats");
    stats.textContent = "";
    var a = el("b", null, formatCount(shownNodes));
    a.id = "stat-nodes";
    var b = el("b", null, formatCount(visibleEdgeCount()));
    b.id = "stat-edges";
    stats.appendChild(a);
    stats.appendChild(document.createTextNode(" of " + formatCount(data.nodes.length) + " papers, "));
    stats.appendChild(b);
    stats.appendChild(document.createTextNode(" of " + formatCount(data.edges.length) + " links shown · " + data.view));
  }

  // Highlight: everything but the clicked paper, its neighbours and its links is dimmed.
  // The cheap way ("overlay") changes no node at all: after vis-network has drawn the map, a
  // translucent veil is painted over it and only the neighbourhood is drawn again on top, so
  // selecting and clearing cost the same whatever the map's size. It uses vis-network's
  // per-item draw methods (pinned 9.1.2); if they are missing, or the bench asks for the old
  // behaviour as its baseline, every paper is re-coloured instead ("recolour").
  var VEIL = "rgba(251, 251, 252, 0.8)";
  var highlightMode = canRedrawItems() ? "overlay" : "recolour";
  function canRedrawItems() {
    var body = network.body;
    var anyNode = data.nodes.length ? body.nodes[data.nodes[0].id] : null;
    var anyEdge = data.edges.length ? body.edges[data.edges[0].id] : null;
    return !!(body.emitter && anyNode && typeof anyNode.draw === "function") &&
      (!anyEdge || (typeof anyEdge.draw === "function" && typeof anyEdge.drawArrows === "function"));
  }

  function highlight(id) {
    state.highlighted = id;
    if (highlightMode === "recolour") recolour();
    else requestRedraw();
  }

  function clearHighlight() {
    if (state.highlighted === null) return;
    state.highlighted = null;
    if (highlightMode === "recolour") recolour();
    else requestRedraw();
  }

  // the next frame draws the change: one redraw however many things changed in between
  function requestRedraw() {
    network.body.emitter.emit("_requestRedraw");
  }

  function drawHighlight(ctx) {
    var id = state.highlighted;
    if (highlightMode !== "overlay" || id === null || state.hidden.has(id)) return;
    var topLeft = network.DOMtoCanvas({ x: 0, y: 0 });
    var bottomRight = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    ctx.save();
    ctx.fillStyle = VEIL;
    ctx.fillRect(topLeft.x, topLeft.y, bottomRight.x - topLeft.x, bottomRight.y - topLeft.y);
    ctx.restore();
    var body = network.body;
    var links = incident.get(id).filter(function (i) {
      var e = data.edges[i];
      return !state.hidden.has(e.from) && !state.hidden.has(e.to) && body.edges[i];
    });
    links.forEach(function (i) { body.edges[i].draw(ctx); });
    links.forEach(function (i) { body.edges[i].drawArrows(ctx); });
    var labels = [];
    var near = [];
    neighbours.get(id).forEach(function (other) { if (!state.hidden.has(other)) near.push(other); });
    near.push(id); // the clicked paper last, on top of its neighbours
    near.forEach(function (other) {
      var node = body.nodes[other];
      if (!node) return;
      var drawn = node.draw(ctx);
      if (drawn && drawn.drawExternalLabel) labels.push(drawn.drawExternalLabel);
    });
    labels.forEach(function (draw) { draw(); });
    drawLabels(ctx, new Set(near)); // the neighbourhood's names stay readable
  }
  network.on("afterDrawing", function (ctx) { drawLabels(ctx); });
  network.on("afterDrawing", drawHighlight);

  // the old way, kept as the fallback and as the bench's baseline: every paper gets a colour
  function recolour() {
    var id = state.highlighted;
    nodes.update(data.nodes.map(function (n) {
      var keep = id === null || n.id === id || neighbours.get(id).has(n.id);
      return { id: n.id, color: keep ? baseNode(n).color : DIM_NODE, font: fontFor(n) };
    }));
  }

  // DataSet.update replaces a node's whole font object, so colour and size always go together
  function fontFor(n, size) {
    var h = state.highlighted;
    var dim = highlightMode === "recolour" && h !== null && n.id !== h && !neighbours.get(h).has(n.id);
    return { color: dim ? "#b8bec6" : "#1f2328", size: size || 13 };
  }

  function shortLabel(title) {
    return title.length > 34 ? title.slice(0, 33) + "…" : title;
  }

  // --- details card, tooltip -----------------------------------------------------------------
  var details = document.getElementById("details");
  var current = null;

  function metaLines(n) {
    var lines = [];
    if (n.authors.length) lines.push(n.authors.join(", ") + (n.moreAuthors ? " and " + n.moreAuthors + " more" : ""));
    var where = [n.year, n.venue].filter(function (x) { return x !== null && x !== undefined && x !== ""; }).join(" · ");
    if (where) lines.push(where);
    if (typeof n.citations === "number") {
      lines.push(formatCount(n.citations) + " citations" + (n.citationsAsOf ? " (as of " + n.citationsAsOf + ")" : ""));
    } else if (typeof n.citesInGraph === "number") {
      lines.push("Citation count unknown; cited by " + formatCount(n.citesInGraph) + " papers of the graph");
    }
    if (typeof n.rank === "number" && n.rank > 0) lines.push("Rank " + n.rank + " among the papers related to the seeds");
    if (n.seed) lines.push("Seed paper of this map");
    if (typeof n.refs === "number") {
      lines.push("Cites " + formatCount(n.refs) + " papers in the graph (" +
        (n.refsList === "full" ? "full reference list" : "reference list incomplete") + ")");
    } else if (n.type === "paper" || n.type === "thesis") {
      lines.push("Reference list not in the data");
    }
    if (n.refsBy) {  // how complete the list is, per service (a build with OpenAlex)
      lines.push("References: S2 " + formatCount(n.refsBy.s2) + ", OpenAlex " +
        formatCount(n.refsBy.openalex) + ", union " + formatCount(n.refsBy.union) +
        (typeof n.refsBy.stated === "number" ? " of stated " + formatCount(n.refsBy.stated) : ""));
    }
    if (n.section !== null) lines.push((n.curated ? "Section: " : "Near section: ") + n.section);
    if (n.type !== "paper") lines.push("Type: " + n.type);
    if (n.note) lines.push(n.note);
    return lines;
  }

  function showDetails(id) {
    var n = byId.get(id);
    current = n;
    document.getElementById("details-title").textContent = n.title;
    var body = document.getElementById("details-body");
    body.textContent = "";
    metaLines(n).forEach(function (line) { body.appendChild(el("p", null, line)); });
    if (n.abstract) body.appendChild(el("p", "abstract", n.abstract));
    var near = neighbours.get(id);
    var cites = 0;
    var citedBy = 0;
    incident.get(id).forEach(function (i) {
      var e = data.edges[i];
      if (e.from === id) cites += 1; else citedBy += 1;
    });
    body.appendChild(el("p", "muted", data.colourBy === "year" && data.similar ?
      "In this map: similar to " + near.size + " papers (co-citation and shared references)" :
      "In this map: cites " + cites + ", cited by " + citedBy + " (" + near.size + " neighbours)"));
    var links = el("p");
    n.links.forEach(function (pair) {
      var url = safeUrl(pair[1]);
      if (!url) return;
      var a = el("a", null, pair[0]);
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      links.appendChild(a);
    });
    body.appendChild(links);
    var copy = document.getElementById("copy-bibtex");
    copy.disabled = !n.bibtex;
    copy.title = n.bibtex ? "Copy this paper's BibTeX entry" : "No BibTeX entry in this map";
    document.getElementById("open-paper").disabled = !n.links.length;
    document.getElementById("copy-status").textContent = "";
    var box = document.getElementById("bibtex-box");
    box.hidden = !n.bibtex;
    document.getElementById("bibtex-text").textContent = n.bibtex || "";
    details.hidden = false;
  }

  function hideDetails() {
    details.hidden = true;
    current = null;
  }

  function openPaper(n) {
    var url = n && n.links.length ? safeUrl(n.links[0][1]) : null;
    if (url) window.open(url, "_blank", "noopener");
  }

  function copyBibtex() {
    if (!current || !current.bibtex) return;
    var text = current.bibtex;
    var status = document.getElementById("copy-status");
    function fallback() {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (err) { ok = false; }
      document.body.removeChild(area);
      status.textContent = ok ? "Copied." : "Copy blocked: select the text below.";
      if (!ok) document.getElementById("bibtex-box").open = true;
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { status.textContent = "Copied."; }, fallback);
    } else {
      fallback();
    }
  }

  var tooltip = document.getElementById("tooltip");
  function showTooltip(parts, pointer) {
    tooltip.textContent = "";
    parts.forEach(function (p) { tooltip.appendChild(p); });
    tooltip.hidden = false;
    var rect = container.getBoundingClientRect();
    var x = rect.left + pointer.x + 14;
    var y = rect.top + pointer.y + 14;
    var w = tooltip.offsetWidth;
    var h = tooltip.offsetHeight;
    if (x + w > window.innerWidth - 6) x = rect.left + pointer.x - w - 14;
    if (y + h > window.innerHeight - 6) y = Math.max(6, window.innerHeight - h - 6);
    tooltip.style.left = x + "px";
    tooltip.style.top = y + "px";
  }
  function hideTooltip() {
    tooltip.hidden = true;
  }
  function nodeTooltip(n) {
    var parts = [el("div", "tt-title", n.title)];
    metaLines(n).forEach(function (line) { parts.push(el("p", null, line)); });
    if (n.links.length) parts.push(el("p", null, "Links: " + n.links.map(function (l) { return l[0]; }).join(" · ")));
    parts.push(el("div", "tt-hint", "Click: highlight its links · double-click: open " + (n.links.length ? n.links[0][0] : "(no link)")));
    return parts;
  }
  function edgeTooltip(e) {
    var a = byId.get(e.from);
    var b = byId.get(e.to);
    var verb = e.kind === "implements" ? " implements " : " cites ";
    var parts = [el("p", null, shortLabel(a.title) + verb + shortLabel(b.title))];
    if (e.influential) parts.push(el("p", "tt-hint", "influential citation (Semantic Scholar)"));
    return parts;
  }

  // --- events --------------------------------------------------------------------------------
  function selectNode(id, focusCamera) {
    var n = byId.get(id);
    if (!n) return;
    if (state.hidden.has(id)) resetFilters();
    network.selectNodes([id]);
    highlight(id);
    placeLabels();
    showDetails(id);
    markListSelection(id);
    if (focusCamera) {
      network.focus(id, { scale: Math.max(network.getScale(), 1.1), animation: { duration: 450, easingFunction: "easeInOutQuad" } });
    }
  }
  function clearSelection() {
    network.setSelection({ nodes: [], edges: [] }); // unselectAll() would redraw at once
    clearHighlight();
    placeLabels();
    hideDetails();
    markListSelection(null);
  }

  network.on("click", function (params) {
    hideTooltip();
    if (params.nodes.length) selectNode(params.nodes[0], false);
    else clearSelection();
  });
  network.on("doubleClick", function (params) {
    if (params.nodes.length) openPaper(byId.get(params.nodes[0]));
  });
  network.on("hoverNode", function (params) {
    showTooltip(nodeTooltip(byId.get(params.node)), params.pointer.DOM);
  });
  network.on("hoverEdge", function (params) {
    showTooltip(edgeTooltip(data.edges[params.edge]), params.pointer.DOM);
  });
  ["blurNode", "blurEdge", "dragStart", "zoom"].forEach(function (name) { network.on(name, hideTooltip); });
  document.getElementById("details-close").addEventListener("click", clearSelection);
  document.getElementById("copy-bibtex").addEventListener("click", copyBibtex);
  document.getElementById("open-paper").addEventListener("click", function () { openPaper(current); });

  // --- search --------------------------------------------------------------------------------
  var searchBox = document.getElementById("search");
  var resultList = document.getElementById("search-results");
  var results = [];
  var active = 0;

  // every typed word must begin a word of the title, the authors or their acronyms/long forms
  // ("neural ode" finds "Neural Ordinary Differential Equations"); accents and case ignored
  // built on the first search, not at load: the map is drawn sooner
  function tokensOf(n) {
    if (!n.tokens) n.tokens = searchTokens(n.title + " " + n.authors.join(" ") + " " + (n.short || ""));
    return n.tokens;
  }
  function matches(query) {
    var qs = words(query);
    if (!qs.length) return [];
    var q = fold(query).trim();
    var found = data.nodes.filter(function (n) {
      return qs.every(function (w) {
        var tokens = tokensOf(n);
        for (var i = 0; i < tokens.length; i++) if (tokens[i].indexOf(w) === 0) return true;
        return false;
      });
    });
    // the query with its acronyms spelled out: "neural ode" ranks "Neural Ordinary
    // Differential Equations" as a title that starts with what was typed
    var spelled = qs.map(function (w) {
      var base = /s$/.test(w) && acronyms[w.slice(0, -1)] ? w.slice(0, -1) : w;
      return Object.prototype.hasOwnProperty.call(acronyms, base) ? acronyms[base] : w;
    }).join(" ");
    function rank(n) {
      var t = fold(n.title);
      var tw = words(n.title).join(" ");
      if (t === q || tw === spelled) return 0;
      if (t.indexOf(q) === 0 || tw.indexOf(spelled) === 0) return 1;
      if (t.indexOf(q) !== -1 || tw.indexOf(spelled) !== -1) return 2;
      return 3;
    }
    found.sort(function (a, b) {
      return rank(a) - rank(b) || (b.curated - a.curated) || ((b.citations || 0) - (a.citations || 0)) || (a.id < b.id ? -1 : 1);
    });
    return found;
  }
  function search(query) {
    return matches(query).slice(0, MAX_RESULTS);
  }
  var MAX_RESULTS = 50;
  function drawMatches(ctx) {
    if (state.matches === null || !state.matches.size) return;
    var scale = network.getScale();
    var positions = network.getPositions(Array.from(state.matches).filter(function (id) { return !state.hidden.has(id); }));
    ctx.save();
    ctx.strokeStyle = "#e8590c";
    ctx.lineWidth = 3 / scale;
    Object.keys(positions).forEach(function (id) {
      var p = positions[id];
      var node = network.body.nodes[id];
      var r = (node ? node.options.size : byId.get(id).size) + 5 / scale;
      ctx.beginPath();
      ctx.arc(p.x, p.y, r, 0, 2 * Math.PI);
      ctx.stroke();
    });
    ctx.restore();
  }
  network.on("afterDrawing", drawMatches);
  // the papers the search box matches: ringed on the map and the only ones in the paper list
  state.matches = null;
  function markMatches(found) {
    state.matches = found === null ? null : new Set(found.map(function (n) { return n.id; }));
    requestRedraw();
    renderList();
  }

  function renderResults() {
    resultList.textContent = "";
    var count = document.getElementById("search-count");
    count.textContent = state.matches === null ? "" : state.matches.size ?
      formatCount(state.matches.size) + " match" + (state.matches.size === 1 ? "" : "es") + ", ringed on the map" +
        (state.matches.size > results.length ? " (first " + results.length + " listed)" : "") : "";
    if (searchBox.value.trim() && !results.length) {
      resultList.appendChild(el("li", "empty", "No paper matches."));
      return;
    }
    results.forEach(function (n, i) {
      var li = el("li", i === active ? "active" : null);
      li.setAttribute("role", "option");
      var button = el("button", null);
      button.type = "button";
      button.appendChild(el("span", null, n.title));
      var meta = [n.year, n.authors[0], n.curated ? n.section : null].filter(function (x) { return x; }).join(" · ");
      button.appendChild(el("span", "meta", meta));
      button.addEventListener("click", function () { choose(n); });
      li.appendChild(button);
      resultList.appendChild(li);
    });
  }

  function choose(n) {
    selectNode(n.id, true);
  }

  function runSearch() {
    var found = searchBox.value.trim() ? matches(searchBox.value) : null;
    results = found ? found.slice(0, MAX_RESULTS) : [];
    active = 0;
    markMatches(found);
    renderResults();
  }
  searchBox.addEventListener("input", runSearch);
  searchBox.addEventListener("keydown", function (ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!results.length) return;
      active = (active + (ev.key === "ArrowDown" ? 1 : results.length - 1)) % results.length;
      renderResults();
      ev.preventDefault();
    } else if (ev.key === "Enter") {
      if (!results.length) results = search(searchBox.value);
      if (results.length) choose(results[Math.min(active, results.length - 1)]);
      else renderResults();
      ev.preventDefault();
    } else if (ev.key === "Escape") {
      searchBox.value = "";
      runSearch();
    }
  });

  // --- legend and filters --------------------------------------------------------------------
  function shapeIcon(shape, colour) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "icon");
    svg.setAttribute("width", "14");
    svg.setAttribute("height", "14");
    svg.setAttribute("viewBox", "0 0 14 14");
    var shapes = {
      dot: ["circle", { cx: 7, cy: 7, r: 5.5 }],
      square: ["rect", { x: 1.5, y: 1.5, width: 11, height: 11 }],
      triangle: ["polygon", { points: "7,1 13,12.5 1,12.5" }],
      triangleDown: ["polygon", { points: "1,1.5 13,1.5 7,13" }],
      diamond: ["polygon", { points: "7,0.5 13.5,7 7,13.5 0.5,7" }],
      star: ["polygon", { points: "7,0.5 8.8,5 13.5,5.2 9.8,8.2 11,13 7,10.3 3,13 4.2,8.2 0.5,5.2 5.2,5" }],
    };
    var spec = shapes[shape] || shapes.dot;
    var item = document.createElementNS(ns, spec[0]);
    Object.keys(spec[1]).forEach(function (k) { item.setAttribute(k, spec[1][k]); });
    item.setAttribute("fill", colour);
    item.setAttribute("stroke", "#30363d");
    item.setAttribute("stroke-width", "0.8");
    svg.appendChild(item);
    return svg;
  }
  function edgeIcon(width, dashed, colour) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("class", "icon");
    svg.setAttribute("width", "34");
    svg.setAttribute("height", "10");
    svg.setAttribute("viewBox", "0 0 34 10");
    var line = document.createElementNS(ns, "line");
    [["x1", 1], ["y1", 5], ["x2", 26], ["y2", 5], ["stroke", colour], ["stroke-width", width]].forEach(function (kv) { line.setAttribute(kv[0], kv[1]); });
    if (dashed) line.setAttribute("stroke-dasharray", "4 3");
    var head = document.createElementNS(ns, "polygon");
    head.setAttribute("points", "25,1 33,5 25,9");
    head.setAttribute("fill", colour);
    svg.appendChild(line);
    svg.appendChild(head);
    return svg;
  }
  function lighter(hex) {
    var c = [1, 3, 5].map(function (i) { return parseInt(hex.slice(i, i + 2), 16); });
    return "#" + c.map(function (v) { return Math.round(v + (255 - v) * 0.55).toString(16).padStart(2, "0"); }).join("");
  }

  var sectionBoxes = [];
  function buildLegend() {
    var list = document.getElementById("legend-sections");
    var counts = new Map();
    data.nodes.forEach(function (n) { counts.set(n.sectionKey, (counts.get(n.sectionKey) || 0) + 1); });
    var rows;
    if (data.colourBy === "community") {
      document.getElementById("legend-title").textContent = "Clusters";
      document.getElementById("legend-note").textContent = "Communities of the " + (data.similar ? "similarity" : "citation") +
        " links (Louvain), each named by the title words most frequent in it and rare elsewhere; the count is its papers on this map.";
      rows = data.communities.map(function (c) { return { key: c.key, name: c.name, colour: c.colour, light: null }; });
      rows.push({ key: SMALL, name: data.smallClusters, colour: "#a8adb4", light: null });
    } else if (data.colourBy === "year") {
      document.getElementById("legend-title").textContent = "Papers";
      var yc = data.yearColours;
      document.getElementById("legend-note").textContent = yc ?
        "Colour: year, from " + yc.first + " (light) to " + yc.last + " (dark)." : "No paper has a year.";
      if (yc) {
        var bar = el("div", "year-gradient");
        bar.style.background = "linear-gradient(to right, " + yc.from + ", " + yc.to + ")";
        document.getElementById("legend-note").appendChild(bar);
      }
      rows = [
        { key: "seed", name: "Seed papers (black outline)", colour: "#30363d", light: null },
        { key: OTHER, name: data.similar ? "Similar papers" : "Other papers", colour: yc ? yc.to : "#a8adb4", light: yc ? yc.from : null },
      ];
    } else {
      rows = data.sections.map(function (s) { return { key: s.name, name: s.name, colour: s.colour, light: lighter(s.colour) }; });
      rows.push({ key: OTHER, name: data.otherName, colour: "#a8adb4", light: null });
    }
    rows.forEach(function (row) {
      if (!counts.get(row.key)) return; // a colour that is not on the map needs no entry
      var li = el("li");
      var label = el("label");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.key = row.key;
      box.addEventListener("change", function () {
        if (box.checked) state.sections.add(row.key); else state.sections.delete(row.key);
        applyFilters();
      });
      sectionBoxes.push(box);
      label.appendChild(box);
      var sw = el("span", "swatch");
      sw.style.background = row.colour;
      label.appendChild(sw);
      if (row.light) {
        var sw2 = el("span", "swatch light");
        sw2.style.background = row.light;
        label.appendChild(sw2);
      }
      label.appendChild(el("span", null, row.name));
      label.appendChild(el("span", "count", formatCount(counts.get(row.key) || 0)));
      li.appendChild(label);
      var subs = (data.sections.find(function (s) { return s.name === row.key; }) || {}).subsections || [];
      if (subs.length) { // the list's sub-headings, for reading the legend as the list reads
        var sub = el("ul", "legend-subsections");
        subs.forEach(function (s) {
          var item = el("li", null, s.name);
          item.appendChild(el("span", "count", formatCount(s.count)));
          sub.appendChild(item);
        });
        li.appendChild(sub);
      }
      list.appendChild(li);
    });
    var shapes = document.getElementById("legend-shapes");
    data.types.forEach(function (t) {
      var li = el("li");
      li.appendChild(shapeIcon(t.shape, "#c9d1d9"));
      li.appendChild(el("span", null, t.type));
      shapes.appendChild(li);
    });
    var measure = { citations: "citation count", pagerank: "PageRank in the citation graph", degree: "number of links" }[data.sizeMeasure];
    if (data.sizeMeasure === "citations") {
      var known = data.nodes.filter(function (n) { return n.sizeBasis === "count"; }).length;
      var unknown = data.nodes.length - known;
      measure = unknown ?
        "citation count (Semantic Scholar) for " + formatCount(known) + " papers; for the " + formatCount(unknown) +
          " whose count is unknown, with the papers of this graph citing them" :
        "citation count (Semantic Scholar)";
    }
    document.getElementById("legend-size").textContent =
      "Size grows with the " + measure + " (log scale). Dark-outlined: curated papers. Labels: titles of curated papers, first author and year of the most cited others (more as you zoom in)." +
      (data.focus !== null && byId.has(data.focus) ? " Thick black outline: " + shortLabel(byId.get(data.focus).title) + ", the paper this map is centred on." : "");
    var edgesList = document.getElementById("legend-edges");
    var present = { cites: false, influential: false, implements: false };
    data.edges.forEach(function (e) {
      if (e.kind === "implements") present.implements = true;
      else if (e.influential) present.influential = true;
      else present.cites = true;
    });
    if (data.edges.some(function (e) { return e.kind === "similar"; })) {
      var sim = el("li");
      sim.appendChild(edgeIcon(2.5, false, "#5a6e88"));
      sim.appendChild(el("span", null, "similar: cited together, or citing the same papers (thicker: more)"));
      edgesList.appendChild(sim);
      return;
    }
    [
      ["cites", 1, false, "#8b949e", "cites (arrow points to the cited paper)"],
      ["influential", 2.6, false, "#3d444d", "influential citation"],
      ["implements", 1.4, true, "#6e7781", "software implements the paper"],
    ].forEach(function (spec) {
      if (!present[spec[0]] && spec[0] !== "cites") return;
      var li = el("li");
      li.appendChild(edgeIcon(spec[1], spec[2], spec[3]));
      li.appendChild(el("span", null, spec[4]));
      edgesList.appendChild(li);
    });
  }

  var yearFrom = document.getElementById("year-from");
  var yearTo = document.getElementById("year-to");
  var citeSlider = document.getElementById("min-citations");
  var yearBars = [];
  function setupYears() {
    if (!yearAxis) {
      document.getElementById("year-filter").hidden = true;
      return;
    }
    [yearFrom, yearTo].forEach(function (input) {
      input.min = String(firstYear);
      input.max = String(lastYear);
      input.step = "1";
    });
    yearFrom.value = String(firstYear);
    yearTo.value = String(lastYear);
    var perStop = new Map();
    data.nodes.forEach(function (n) {
      if (typeof n.year !== "number") return;
      var stop = Math.max(n.year, firstYear);
      perStop.set(stop, (perStop.get(stop) || 0) + 1);
    });
    var most = Math.max.apply(null, Array.from(perStop.values()).concat([1]));
    var histogram = document.getElementById("year-histogram");
    var stops = lastYear - firstYear + 1;
    for (var year = firstYear; year <= lastYear; year++) {
      var count = perStop.get(year) || 0;
      var bar = el("div", "bar");
      bar.style.left = stopPosition(year - 0.45);
      bar.style.width = "calc((100% - var(--thumb)) * " + (0.9 / Math.max(1, stops - 1)).toFixed(5) + ")";
      bar.style.height = count ? Math.max(2, Math.round(26 * Math.sqrt(count / most))) + "px" : "0";
      bar.dataset.year = String(year);
      bar.dataset.count = String(count);
      histogram.appendChild(bar);
      yearBars.push(bar);
    }
    // tick labels: "earlier" (or the first year), round years, the last year; a label that
    // would touch the previous one is left out (the last year always stays)
    var ticks = document.getElementById("year-ticks");
    var pxPerYear = Math.max(1, histogram.clientWidth - 16) / Math.max(1, stops - 1);
    var step = [1, 2, 5, 10, 20, 50].filter(function (s) { return s * pxPerYear >= 34; })[0] || 100;
    var marks = [[firstYear, EARLIER !== null ? "earlier" : String(firstYear)]];
    for (var y = Math.ceil((firstYear + 1) / step) * step; y < lastYear; y += step) marks.push([y, String(y)]);
    marks.push([lastYear, String(lastYear)]);
    // extents in years: the first label is left-aligned, the last right-aligned, others centred
    function extent(mark, i, count) {
      var w = (mark[1].length * 6 + 8) / pxPerYear;
      if (i === 0) return [mark[0], mark[0] + w];
      if (i === count - 1) return [mark[0] - w, mark[0]];
      return [mark[0] - w / 2, mark[0] + w / 2];
    }
    var last = extent(marks[marks.length - 1], marks.length - 1, marks.length);
    var kept = [marks[0]];
    var reach = extent(marks[0], 0, marks.length)[1];
    for (var i = 1; i < marks.length - 1; i++) {
      var span = extent(marks[i], i, marks.length);
      if (span[0] > reach && span[1] < last[0]) {
        kept.push(marks[i]);
        reach = span[1];
      }
    }
    if (lastYear > firstYear) kept.push(marks[marks.length - 1]);
    marks = kept;
    marks.forEach(function (mark) {
      var tick = el("span", null, mark[1]);
      tick.style.left = stopPosition(mark[0]);
      ticks.appendChild(tick);
    });
  }
  // where a year's stop sits along the track (the centre of the handle when it is there)
  function stopPosition(year) {
    var share = lastYear > firstYear ? (year - firstYear) / (lastYear - firstYear) : 0.5;
    return "calc(var(--thumb) / 2 + (100% - var(--thumb)) * " + share.toFixed(5) + ")";
  }
  function showYearRange() {
    if (!yearAxis) return;
    var fill = document.getElementById("year-fill");
    var span = Math.max(1, lastYear - firstYear);
    fill.style.left = (100 * (state.yearFrom - firstYear) / span) + "%";
    fill.style.right = (100 * (lastYear - state.yearTo) / span) + "%";
    yearBars.forEach(function (bar) {
      var year = Number(bar.dataset.year);
      bar.className = year >= state.yearFrom && year <= state.yearTo ? "bar in" : "bar";
      bar.title = (year === EARLIER ? "before " + yearAxis.start : String(year)) + ": " + formatCount(Number(bar.dataset.count)) + " papers";
    });
    // the handle nearer its end of the track sits on top, so two handles at one stop can part
    var fromOnTop = state.yearFrom - firstYear > lastYear - state.yearTo;
    yearFrom.style.zIndex = fromOnTop ? "2" : "1";
    yearTo.style.zIndex = fromOnTop ? "1" : "2";
  }
  function yearRangeText() {
    if (!yearAxis) return "";
    var all = state.yearFrom === firstYear && state.yearTo === lastYear;
    var from = state.yearFrom === EARLIER ? yearAxis.first : state.yearFrom;
    var text = from === state.yearTo ? String(from) : from + "–" + state.yearTo;
    if (all) return "all (" + text + ")";
    return undatedCount ? text + " · " + formatCount(undatedCount) + " undated hidden" : text;
  }

  function setupFilters() {
    setupYears();
    citeSlider.max = String(steps.length - 1);
    citeSlider.value = "0";
    function onYears(ev) {
      var a = Number(yearFrom.value);
      var b = Number(yearTo.value);
      if (a > b) {
        if (ev && ev.target === yearFrom) yearTo.value = String(a); else yearFrom.value = String(b);
      }
      state.yearFrom = Number(yearFrom.value);
      state.yearTo = Number(yearTo.value);
      showFilterValues();
      applyFilters();
    }
    yearFrom.addEventListener("input", onYears);
    yearTo.addEventListener("input", onYears);
    citeSlider.addEventListener("input", function () {
      state.minCitations = steps[Number(citeSlider.value)];
      showFilterValues();
      applyFilters();
    });
    var physics = document.getElementById("physics");
    physics.checked = data.physics;
    physics.addEventListener("change", function () {
      network.setOptions({ physics: { enabled: physics.checked, stabilization: { enabled: false } } });
    });
    document.getElementById("fit").addEventListener("click", function () { fitView(true); });
    document.getElementById("reset").addEventListener("click", resetFilters);
    document.getElementById("sections-all").addEventListener("click", function () { setAllSections(true); });
    document.getElementById("sections-none").addEventListener("click", function () { setAllSections(false); });
    showFilterValues();
  }
  function setAllSections(on) {
    sectionBoxes.forEach(function (box) {
      box.checked = on;
      if (on) state.sections.add(box.dataset.key); else state.sections.delete(box.dataset.key);
    });
    applyFilters();
  }
  function showFilterValues() {
    document.getElementById("year-value").textContent = yearRangeText();
    showYearRange();
    document.getElementById("citations-value").textContent = state.minCitations ? "≥ " + formatCount(state.minCitations) : "any";
  }
  function resetFilters() {
    sectionBoxes.forEach(function (box) { box.checked = true; state.sections.add(box.dataset.key); });
    state.yearFrom = firstYear;
    state.yearTo = lastYear;
    state.minCitations = 0;
    yearFrom.value = String(firstYear);
    yearTo.value = String(lastYear);
    citeSlider.value = "0";
    showFilterValues();
    applyFilters();
  }

  // "Fit to view": vis fits the papers; the timeline replaces it to fit its axis too
  var fitView = function (animate) { network.fit(animate ? { animation: { duration: 400 } } : undefined); };

  // --- timeline axis -------------------------------------------------------------------------
  if (data.layout === "timeline" && data.timeline) {
    var axis = data.timeline;
    // the year labels above the bands and the "earlier"/"undated" columns' labels lie outside
    // the papers' box, which is all vis-network fits: fit the whole axis instead
    fitView = function (animate) {
      if (!axis.columns.length || !axis.bands.length) { network.fit(); return; }
      var width = container.clientWidth || 800, height = container.clientHeight || 600;
      var left = axis.columns[0].x - 100, right = axis.columns[axis.columns.length - 1].x + 100;
      var top = Math.min.apply(null, axis.bands.map(function (b) { return b.top; })) - 40;
      var bottom = Math.max.apply(null, axis.bands.map(function (b) { return b.bottom; })) + 20;
      var scale = Math.min(width / (right - left), height / (bottom - top));
      top -= 2.4 * Math.max(18, 12 / scale); // two lines of year labels, at their on-screen size
      // a curated paper's label is about 12 px high on screen whatever the zoom: room for the
      // labels of papers in the first and last columns, so none is cut off
      var all = network.getPositions(labelled.map(function (n) { return n.id; }));
      labelled.forEach(function (n) {
        var p = all[n.id];
        if (!p) return;
        var half = (textWidth(n.label, TITLE_PX, "600") / 2 + 6) / scale;
        left = Math.min(left, p.x - half);
        right = Math.max(right, p.x + half);
      });
      scale = 0.97 * Math.min(width / (right - left), height / (bottom - top));
      var target = { position: { x: (left + right) / 2, y: (top + bottom) / 2 }, scale: scale };
      if (!animate) { network.moveTo(target); return; }
      // an animated move from far in ends a little off its target: land exactly on it
      network.once("animationFinished", function () { network.moveTo(target); });
      network.moveTo(Object.assign({ animation: { duration: 400, easingFunction: "easeInOutQuad" } }, target));
    };
    network.once("afterDrawing", function () { fitView(false); });
  }
  // until the reader moves the view, keep the whole map in it when the page's size settles
  // or changes (a headless screenshot lays the page out after the first drawing)
  var viewMoved = false;
  ["dragStart", "zoom"].forEach(function (name) { network.on(name, function () { viewMoved = true; }); });
  // (drawn at once: a headless screenshot resizes the page just before it captures it)
  window.addEventListener("resize", function () {
    if (viewMoved) return;
    network.setSize("100%", "100%"); // vis re-reads the container size now, not on its timer
    fitView(false);
    placeLabels();
    network.redraw();
  });
  if (data.layout === "timeline" && data.timeline) {
    network.on("beforeDrawing", function (ctx) {
      var top = Math.min.apply(null, axis.bands.map(function (b) { return b.top; })) - 40;
      var bottom = Math.max.apply(null, axis.bands.map(function (b) { return b.bottom; }));
      var left = axis.columns.length ? axis.columns[0].x - 90 : 0;
      var right = axis.columns.length ? axis.columns[axis.columns.length - 1].x + 90 : 0;
      ctx.save();
      axis.bands.forEach(function (b, i) {
        if (i % 2 === 0) {
          ctx.fillStyle = "rgba(0, 0, 0, 0.025)";
          ctx.fillRect(left, b.top, right - left, b.bottom - b.top);
        }
      });
      // labels keep a readable size on screen at any zoom; year labels thin out to every
      // 2nd, 5th or 10th year when the columns get too narrow for them
      var scale = network.getScale();
      var yearPx = Math.max(18, 12 / scale);
      // columns are as wide as their papers need: a year is labelled when the label fits
      // after the previous one, round years first where the columns are narrow
      var edges = axis.edges && axis.edges.length === axis.columns.length + 1 ? axis.edges : null;
      var wordsEnd = -Infinity; // right edge of the "undated"/"earlier" labels
      var labelEnd = -Infinity; // right edge of the last label drawn
      ctx.font = "bold " + yearPx + "px system-ui, sans-serif";
      ctx.textBaseline = "middle";
      ctx.textAlign = "center";
      axis.columns.forEach(function (c, i) {
        var year = Number(c.label);
        var numeric = !isNaN(year);
        var lineX = edges ? edges[i] : c.x;
        ctx.strokeStyle = numeric && year % 5 === 0 ? "rgba(0,0,0,0.12)" : "rgba(0,0,0,0.05)";
        ctx.lineWidth = 1 / scale;
        ctx.beginPath();
        ctx.moveTo(lineX, top);
        ctx.lineTo(lineX, bottom);
        ctx.stroke();
        var half = ctx.measureText(c.label).width / 2;
        var width = edges ? edges[i + 1] - edges[i] : 150;
        var every = [1, 2, 5, 10, 20, 50].filter(function (k) { return k * width * scale >= 44; })[0] || 100;
        if (numeric && (year % every !== 0 || c.x - half < Math.max(wordsEnd, labelEnd) + 8 / scale)) return;
        if (numeric) labelEnd = c.x + half;
        // "undated" and "earlier" sit side by side: the second goes one line up if they touch
        var line = !numeric && c.x - half < wordsEnd + 4 / scale ? 2 : 1;
        if (!numeric) wordsEnd = c.x + half;
        ctx.fillStyle = "#57606a";
        ctx.fillText(c.label, c.x, top - yearPx * (line === 2 ? 2.1 : 1));
      });
      ctx.restore();
    });
    // band names on top of the papers, on a light box, so a paper never hides them; they start
    // after the "undated"/"earlier" columns, which hold many papers, not over them
    var firstYearColumn = axis.columns.filter(function (c) { return !isNaN(Number(c.label)); })[0];
    network.on("afterDrawing", function (ctx) {
      var scale = network.getScale();
      var left = firstYearColumn ? firstYearColumn.x - 75 : axis.columns.length ? axis.columns[0].x - 90 : 0;
      ctx.save();
      ctx.textAlign = "left";
      ctx.textBaseline = "top";
      var bandPx = Math.max(20, 13 / scale);
      ctx.font = "bold " + bandPx + "px system-ui, sans-serif";
      axis.bands.forEach(function (b) {
        var width = ctx.measureText(b.name).width;
        ctx.fillStyle = "rgba(255, 255, 255, 0.85)";
        ctx.fillRect(left + 4 / scale, b.top + 2 / scale, width + 8 / scale, bandPx * 1.25);
        ctx.fillStyle = "#3d444d";
        ctx.fillText(b.name, left + 8 / scale, b.top + 4 / scale);
      });
      ctx.restore();
    });
  }

  // --- paper list ----------------------------------------------------------------------------
  // The papers the filters (and a search) leave, sortable; a click on a row selects the paper.
  var LIST_MAX_ROWS = 200;
  var listRows = document.getElementById("list-rows");
  var listSort = document.getElementById("list-sort");
  var listItems = new Map();
  var buildOrder = new Map();
  data.nodes.forEach(function (n, i) { buildOrder.set(n.id, i); });
  // relevance: distance from the paper the map is centred on (ego map), then the order the map
  // was built in (seeds and their most related papers first, or curated papers then PageRank)
  var distance = new Map();
  if (data.focus !== null && byId.has(data.focus)) {
    var frontier = [data.focus];
    distance.set(data.focus, 0);
    while (frontier.length) {
      var next = [];
      frontier.forEach(function (id) {
        neighbours.get(id).forEach(function (w) {
          if (!distance.has(w)) { distance.set(w, distance.get(id) + 1); next.push(w); }
        });
      });
      frontier = next;
    }
  }
  var sorters = {
    relevance: function (a, b) {
      var da = distance.has(a.id) ? distance.get(a.id) : 99, db = distance.has(b.id) ? distance.get(b.id) : 99;
      return da - db || buildOrder.get(a.id) - buildOrder.get(b.id);
    },
    citations: function (a, b) { return citeValue(b) - citeValue(a) || buildOrder.get(a.id) - buildOrder.get(b.id); },
    year: function (a, b) { return (b.year || 0) - (a.year || 0) || buildOrder.get(a.id) - buildOrder.get(b.id); },
    links: function (a, b) { return neighbours.get(b.id).size - neighbours.get(a.id).size || buildOrder.get(a.id) - buildOrder.get(b.id); },
  };
  function citeValue(n) {
    return typeof n.citations === "number" ? n.citations : typeof n.citesInGraph === "number" ? n.citesInGraph : 0;
  }
  function listedPapers() {
    return data.nodes.filter(function (n) {
      return !state.hidden.has(n.id) && (state.matches === null || state.matches.has(n.id));
    }).sort(sorters[listSort.value] || sorters.relevance);
  }
  function renderList() {
    if (!listRows) return;
    var papers = listedPapers();
    listRows.textContent = "";
    listItems = new Map();
    papers.slice(0, LIST_MAX_ROWS).forEach(function (n) {
      var li = el("li", n.id === state.highlighted ? "selected" : null);
      li.dataset.id = n.id;
      var button = el("button");
      button.type = "button";
      var title = el("span", "row-title");
      var sw = el("span", "swatch");
      sw.style.background = n.colour;
      title.appendChild(sw);
      title.appendChild(document.createTextNode(n.title));
      button.appendChild(title);
      var cites = typeof n.citations === "number" ? formatCount(n.citations) + " citations" :
        typeof n.citesInGraph === "number" ? formatCount(n.citesInGraph) + " cited here" : null;
      var meta = [n.short || null, cites, neighbours.get(n.id).size + " links"];
      if (n.curated) meta.push("curated");
      button.appendChild(el("span", "row-meta", meta.filter(function (x) { return x; }).join(" · ")));
      button.addEventListener("click", function () { selectNode(n.id, true); });
      li.appendChild(button);
      listRows.appendChild(li);
      listItems.set(n.id, li);
    });
    document.getElementById("list-count").textContent = "(" + formatCount(papers.length) + (state.matches !== null ? " matching" : " shown") + ")";
    var more = document.getElementById("list-more");
    more.hidden = papers.length <= LIST_MAX_ROWS;
    more.textContent = "and " + formatCount(papers.length - LIST_MAX_ROWS) + " more: narrow the filters or search.";
  }
  function markListSelection(id) {
    listItems.forEach(function (li, key) { li.className = key === id ? "selected" : ""; });
    var li = id !== null ? listItems.get(id) : null;
    if (li && li.scrollIntoView) li.scrollIntoView({ block: "nearest" });
  }
  listSort.addEventListener("change", renderList);
  if (data.similar === null) listSort.options[0].textContent = data.focus !== null ? "relevance (links from the centre)" : "relevance (curated, then PageRank)";
  else listSort.options[0].textContent = "relevance (rank for the seeds)";
  var listToggle = document.getElementById("list-toggle");
  function showList(on) {
    document.body.classList.toggle("list-hidden", !on);
    listToggle.textContent = on ? "Hide list" : "Paper list";
    listToggle.setAttribute("aria-expanded", on ? "true" : "false");
    network.setSize("100%", "100%");
    if (!viewMoved) fitView(false);
    placeLabels();
    network.redraw();
  }
  listToggle.addEventListener("click", function () { showList(document.body.classList.contains("list-hidden")); });

  // --- prior and derivative works (similarity view) --------------------------------------------
  function buildLineage() {
    if (!data.similar) return;
    var lin = data.similar.lineage || {};
    document.getElementById("lineage").hidden = false;
    [["prior", "lineage-prior", "cited by "], ["derivative", "lineage-derivative", "cites "]].forEach(function (spec) {
      var list = document.getElementById(spec[1]);
      var works = lin[spec[0]] || [];
      if (!works.length) list.appendChild(el("li", "muted", "none in the graph"));
      works.forEach(function (w) {
        var li = el("li");
        var button = el("button", null, w.title || w.key);
        button.type = "button";
        if (byId.has(w.key)) {
          button.title = "Select it on the map";
          button.addEventListener("click", function () { selectNode(w.key, true); });
        } else {
          button.disabled = true;
          button.title = "Not among the papers drawn";
        }
        li.appendChild(button);
        var seeds = data.similar.seeds.length;
        li.appendChild(el("span", "meta", " " + [w.year, spec[2] + w.seeds + "/" + seeds + " seeds", w.cited_in_graph + " cite it here"].filter(function (x) { return x; }).join(" · ")));
        list.appendChild(li);
      });
    });
    document.getElementById("lineage-notes").textContent = (data.similar.notes || []).join(" ");
  }

  // --- start ---------------------------------------------------------------------------------
  if (data.leftOut > 0) {
    var note = document.getElementById("map-left-out");
    note.textContent = formatCount(data.leftOut) + " less central papers were left out (--max-nodes).";
    note.hidden = false;
  }
  if (data.builtAt) {
    var footer = document.getElementById("map-footer");
    footer.appendChild(el("span", "built", " Graph built " + String(data.builtAt).slice(0, 10) + " by implicit-atlas."));
  }
  buildLegend();
  buildLineage();
  setupFilters();
  updateStats();
  network.once("afterDrawing", function () { renderList(); }); // after the map is drawn
  if (window.innerWidth < 1000) showList(false);

  // Labels are drawn by the page, not by vis-network, so the boxes that keep them apart are
  // exactly what is drawn: titles of curated papers (and of the seeds or the focus) first, at
  // a fixed size on screen, below their paper or else above it; then "Chen 2018" for the most
  // cited other papers in view, where there is room. No label covers another or a curated paper.
  var TITLE_PX = 13;
  var SHORT_PX = 11;
  var LABEL_FONT = "system-ui, -apple-system, Segoe UI, Roboto, sans-serif";
  var MAX_SHORT_LABELS = 160;
  // zoomed out, curated papers (the labelled ones) stay at least this many pixels in radius,
  // so the list's papers remain visible among thousands of others
  // (not on a timeline: its grid is spaced for the papers' own sizes, enlarged ones would touch)
  var CURATED_MIN_PX = data.layout === "timeline" ? 0 : 5;
  var sizeShown = new Map();
  var labelled = data.nodes.filter(function (n) { return n.label; }).sort(function (a, b) {
    var ca = a.seed || a.id === data.focus ? 1 : 0, cb = b.seed || b.id === data.focus ? 1 : 0;
    return cb - ca || b.size - a.size || (b.citations || 0) - (a.citations || 0) || (a.id < b.id ? -1 : 1);
  });
  var shortCandidates = data.nodes.filter(function (n) { return !n.label && n.short; }).sort(function (a, b) {
    return citeValue(b) - citeValue(a) || b.size - a.size || (a.id < b.id ? -1 : 1);
  });
  var placedLabels = []; // {id, text, title, dy: screen px from the paper's centre to the text's top}
  var lastBoxes = { labels: [], curated: [] };
  var measurer = document.createElement("canvas").getContext("2d");
  var textWidths = new Map();
  function textWidth(text, px, weight) {
    var key = weight + "/" + px + "/" + text;
    if (!textWidths.has(key)) {
      measurer.font = weight + " " + px + "px " + LABEL_FONT;
      textWidths.set(key, measurer.measureText(text).width);
    }
    return textWidths.get(key);
  }
  function overlaps(box, boxes) {
    for (var i = 0; i < boxes.length; i++) {
      var b = boxes[i];
      if (!(box.x2 < b.x1 || box.x1 > b.x2 || box.y2 < b.y1 || box.y1 > b.y2)) return true;
    }
    return false;
  }
  function placeLabels() {
    var scale = network.getScale();
    var all = network.getPositions();
    var width = container.clientWidth, height = container.clientHeight;
    // curated papers are obstacles: no label is drawn over one
    var discs = [];
    labelled.forEach(function (n) {
      if (state.hidden.has(n.id) || !all[n.id]) return;
      var p = network.canvasToDOM(all[n.id]);
      var r = Math.max(n.size, CURATED_MIN_PX / scale) * scale + 1;
      discs.push({ id: n.id, box: { x1: p.x - r, x2: p.x + r, y1: p.y - r, y2: p.y + r } });
    });
    var order = state.highlighted !== null && all[state.highlighted] && byId.get(state.highlighted).label ? [byId.get(state.highlighted)] : [];
    labelled.forEach(function (n) { if (n.id !== state.highlighted) order.push(n); });
    var boxes = [];
    var shown = [];
    var next = [];
    var updates = [];
    var titleHeight = TITLE_PX * 1.25;
    order.forEach(function (n) {
      if (state.hidden.has(n.id) || !all[n.id]) return;
      var p = network.canvasToDOM(all[n.id]);
      var radius = Math.max(n.size, CURATED_MIN_PX / scale);
      var r = radius * scale;
      var half = textWidth(n.label, TITLE_PX, "600") / 2 + 3;
      var place = null;
      [p.y + r + 2, p.y - r - 2 - titleHeight].some(function (top) {
        var box = { x1: p.x - half, x2: p.x + half, y1: top - 1, y2: top + titleHeight + 1 };
        var ok = !overlaps(box, boxes) && discs.every(function (d) { return d.id === n.id || !overlaps(box, [d.box]); });
        if (ok) place = { box: box, dy: top - p.y };
        return ok;
      });
      if (place) {
        boxes.push(place.box);
        shown.push({ id: n.id, box: place.box });
        next.push({ id: n.id, text: n.label, title: true, dy: place.dy });
      }
      var drawn = sizeShown.get(n.id) || n.size;
      if (Math.abs(radius - drawn) > 0.05 * drawn) {
        updates.push({ id: n.id, size: radius });
        sizeShown.set(n.id, radius);
      }
    });
    if (updates.length) nodes.update(updates);
    discs.forEach(function (d) { boxes.push(d.box); });
    // short labels, in the view only, where they touch no other label and no curated paper
    var short = 0;
    for (var i = 0; i < shortCandidates.length && short < MAX_SHORT_LABELS; i++) {
      var n = shortCandidates[i];
      if (state.hidden.has(n.id) || !all[n.id]) continue;
      var p = network.canvasToDOM(all[n.id]);
      if (p.x < 0 || p.y < 0 || p.x > width || p.y > height) continue;
      var r = n.size * scale;
      if (r < 2.5) continue; // a dot too small to be told apart gets no name
      var half = textWidth(n.short, SHORT_PX, "400") / 2 + 2;
      var top = p.y + r + 1;
      // (with a few pixels of air above and below, so two labels never touch)
      var box = { x1: p.x - half, x2: p.x + half, y1: top - 2, y2: top + SHORT_PX * 1.2 + 3 };
      if (overlaps(box, boxes)) continue;
      boxes.push(box);
      shown.push({ id: n.id, box: box });
      next.push({ id: n.id, text: n.short, title: false, dy: top - p.y });
      short += 1;
    }
    placedLabels = next;
    lastBoxes = { labels: shown, curated: discs };
    requestRedraw();
  }
  // `only`: the ids whose labels to draw (a highlighted neighbourhood, on top of the veil)
  function drawLabels(ctx, only) {
    if (!placedLabels || !placedLabels.length) return;
    var scale = network.getScale();
    var shown = only ? placedLabels.filter(function (l) { return only.has(l.id); }) : placedLabels;
    if (!shown.length) return;
    var positions = network.getPositions(shown.map(function (l) { return l.id; }));
    ctx.save();
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    ctx.lineJoin = "round";
    ctx.strokeStyle = "rgba(255, 255, 255, 0.92)";
    shown.forEach(function (l) {
      var p = positions[l.id];
      if (!p || state.hidden.has(l.id)) return;
      ctx.font = (l.title ? "600 " : "400 ") + (l.title ? TITLE_PX : SHORT_PX) / scale + "px " + LABEL_FONT;
      ctx.lineWidth = (l.title ? 4 : 3) / scale;
      ctx.fillStyle = l.title ? "#1f2328" : "#3d444d";
      var y = p.y + l.dy / scale;
      ctx.strokeText(l.text, p.x, y);
      ctx.fillText(l.text, p.x, y);
    });
    ctx.restore();
  }
  ["zoom", "animationFinished", "stabilized", "dragEnd"].forEach(function (name) { network.on(name, placeLabels); });
  network.once("afterDrawing", function () { setTimeout(placeLabels, 0); });

  function markReady() {
    if (document.body.dataset.ready) return;
    document.body.dataset.ready = "true";
    window.atlasReadyMs = performance.now();
  }
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () { network.once("afterDrawing", markReady); });
  } else {
    network.once("afterDrawing", markReady);
  }
  setTimeout(markReady, 20000); // a page that never stabilises still reports readiness

  document.body.dataset.nodes = String(data.nodes.length);
  document.body.dataset.edges = String(data.edges.length);
  window.atlas = {
    data: data,
    network: network,
    nodes: nodes,
    edges: edges,
    search: search,
    // as a search does; selectNode(id, false) is a click: no camera move
    selectNode: function (id, focusCamera) { selectNode(id, focusCamera !== false); },
    clearSelection: clearSelection,
    resetFilters: resetFilters,
    visibleEdgeCount: visibleEdgeCount,
    matches: function (query) { return matches(query).map(function (n) { return n.id; }); },
    shortLabels: function () { return placedLabels.filter(function (l) { return !l.title; }); },
    titleLabels: function () { return placedLabels.filter(function (l) { return l.title; }); },
    labelBoxes: function () { return lastBoxes; },
    highlightMode: function () { return highlightMode; },
    // the bench's baseline: "recolour" re-colours every paper on each click, as before
    setHighlightMode: function (mode) { clearSelection(); highlightMode = mode; },
  };
})();
