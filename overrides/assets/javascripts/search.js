// The header search box (partials/search.html) over the site's Pagefind index in pagefind/shards/.
// Pagefind is loaded from the site itself on first use; it then fetches only the index chunks of
// the words typed and the fragments of the results shown. Text from the index (titles, abstracts,
// tag names) is only ever inserted as text nodes, never as HTML.
(() => {
  "use strict";
  const root = document.querySelector("[data-pda-search]");
  const toggle = document.getElementById("__search");
  if (!root || !toggle) return;
  const PROMPT = "Type to search titles, abstracts, tags, authors and arXiv ids";
  build(root);
  const input = root.querySelector(".md-search__input");
  const list = root.querySelector(".md-search-result__list");
  const status = root.querySelector(".md-search-result__meta");
  const facets = root.querySelector(".pda-search__facets");
  const scroller = root.querySelector(".md-search__scrollwrap");
  const tagSelect = root.querySelector(".pda-search__tag");
  const yearSelect = root.querySelector(".pda-search__year");
  const sortSelect = root.querySelector(".pda-search__sort");
  const bundle = new URL(root.dataset.pdaSearch, location.href); // .../pagefind/, under any base path
  const PAGE = 10; // results rendered at a time: each needs its fragment fetched
  const EXCERPT_WORDS = 32;
  const DEBOUNCE_MS = 120;
  // Words in almost every abstract: each would load a large index chunk and narrow nothing
  // (at 50,000 papers "of" alone is half a megabyte), so they are left out of the query.
  const STOP_WORDS = new Set(["a", "an", "and", "are", "as", "at", "by", "for", "from", "in", "is", "of",
    "on", "or", "the", "to", "via", "with"]);

  let engine = null; // Promise of the Pagefind module, once loaded
  let dateRanks = null; // Promise of Map(result id -> rank by date first featured, newest first)
  let results = []; // the current query's results, in display order
  let rendered = 0;
  let active = -1;
  let generation = 0; // bumped by each search, so a slow answer to an old query is dropped
  let timer = 0;

  const fetchJson = (name) => fetch(new URL(name, bundle)).then((r) => r.ok ? r.json() : Promise.reject(new Error(`${name}: ${r.status}`)));

  function load() {
    if (!engine) {
      // The index is in shards (generator/search.py): the first brings Pagefind's script and
      // WebAssembly, the others are merged into it; pda-facets.json lists them.
      // Without the facets file, search still works over the primary shard, without filters.
      const facetsLoaded = fetchJson("pda-facets.json").then((data) => (fillFacets(data), data), () => ({}));
      const primary = import(new URL("shards/0/pagefind.js", bundle).href);
      engine = Promise.all([primary, facetsLoaded]).then(async ([pagefind, data]) => {
        // Result URLs are site-relative ("/papers/x/"): prefix them with the site's own base path.
        // termSimilarity: a word matched exactly ranks far above longer words it is a prefix of, so
        // "FlashAttention" finds FlashAttention before FlashAttention2.
        const options = { baseUrl: new URL("..", bundle).pathname, ranking: { termSimilarity: 10 } };
        await pagefind.options({ ...options, noWorker: true });
        await pagefind.init();
        await Promise.all((data.shards || []).slice(1).map((shard) => pagefind.mergeIndex(new URL(shard, bundle).href, options)));
        return pagefind;
      });
      engine.catch(() => { engine = null; }); // a failed load is tried again on the next search
    }
    return engine;
  }

  function fillFacets(data) {
    const add = (select, [value, count]) => {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = `${value} (${count})`;
      select.append(option);
    };
    data.tags.forEach((tag) => add(tagSelect, tag));
    data.years.forEach((year) => add(yearSelect, year));
  }

  function ranksByDate() {
    if (!dateRanks) {
      dateRanks = fetchJson("pda-dates.json").then((byDate) => {
        const ranks = new Map();
        Object.values(byDate).forEach((ids, rank) => ids.forEach((id) => ranks.set(id, rank)));
        return ranks;
      });
    }
    return dateRanks;
  }

  function open() {
    if (!toggle.checked) toggle.checked = true;
    input.setAttribute("aria-expanded", "true");
    load();
  }

  function close() {
    forget();
    toggle.checked = false;
    input.setAttribute("aria-expanded", "false");
    // Whatever had focus in the dialog (the box, a filter) lets go of it: keys go to the page again.
    if (root.contains(document.activeElement)) document.activeElement.blur();
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(run, DEBOUNCE_MS);
  }

  // An arXiv id as the site shows it (arXiv:2407.21783) or as a link (https://arxiv.org/abs/2407.21783v2,
  // .../pdf/2407.21783.pdf, huggingface.co/papers/2407.21783) is the bare id, which is what the index
  // holds: Pagefind would take the whole token for one unknown word and answer with papers that merely
  // share its prefix.
  const ARXIV = /^(?:(?:https?:\/\/)?(?:(?:www\.)?arxiv\.org\/(?:abs|pdf)|huggingface\.co\/papers)\/|arxiv:)(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?\/?$/i;

  function significant(query) {
    const words = query.split(/\s+/).map((word) => word.replace(ARXIV, "$1"));
    const kept = words.filter((word) => !STOP_WORDS.has(word.toLowerCase()));
    return (kept.length ? kept : words).join(" ");
  }

  async function run() {
    if (!toggle.checked) return; // closed meanwhile: nothing to show, nothing to remember
    const query = input.value.trim();
    const mine = ++generation;
    if (!query) {
      forget();
      results = [];
      list.replaceChildren();
      facets.hidden = true;
      status.textContent = PROMPT;
      return;
    }
    const filters = {};
    if (tagSelect.value) filters.tag = [tagSelect.value];
    if (yearSelect.value) filters.year = [yearSelect.value];
    let found;
    try {
      const pagefind = await load();
      found = (await pagefind.search(significant(query), { filters })).results;
    } catch (error) {
      if (mine === generation) status.textContent = "Search is unavailable right now: try again in a moment";
      return;
    }
    if (sortSelect.value === "date") {
      const ranks = await ranksByDate();
      // Array sort is stable: papers of the same date stay in order of relevance.
      found = [...found].sort((a, b) => (ranks.get(a.id) ?? Infinity) - (ranks.get(b.id) ?? Infinity));
    }
    if (mine !== generation) return;
    results = found;
    rendered = 0;
    active = -1;
    input.removeAttribute("aria-activedescendant");
    const items = await renderable(mine, query);
    if (!items) return;
    list.replaceChildren(...items);
    scroller.scrollTop = 0;
    facets.hidden = false;
    const n = results.length;
    status.textContent = n === 0 ? "No matching papers" : `${n} matching paper${n === 1 ? "" : "s"}`;
    // What the list shows, for the benchmark and the tests to wait on.
    const shown = { query, tag: tagSelect.value, year: yearSelect.value, sort: sortSelect.value };
    Object.assign(list.dataset, shown);
    remember({ page: location.pathname, ...shown });
  }

  // Back from a result, the search is as it was left, so the next result is one click away. Kept
  // for this tab and page only (sessionStorage), and dropped once the search is closed or emptied.
  const SAVED = "pda-search";
  function remember(state) {
    try { sessionStorage.setItem(SAVED, JSON.stringify(state)); } catch (error) { /* storage off: nothing kept */ }
  }
  function forget() {
    try { sessionStorage.removeItem(SAVED); } catch (error) { /* storage off */ }
  }
  async function restore() {
    const navigation = performance.getEntriesByType("navigation")[0];
    let state = null;
    try { state = JSON.parse(sessionStorage.getItem(SAVED)); } catch (error) { return; }
    // Only on the page it was made on: back to another page, no search opens by itself.
    if (!state || state.page !== location.pathname || !navigation || navigation.type !== "back_forward") return;
    input.value = String(state.query);
    open();
    await load().catch(() => null); // the filters' options come with it
    if (!toggle.checked) return; // closed while it loaded
    [[tagSelect, state.tag], [yearSelect, state.year], [sortSelect, state.sort]].forEach(([select, value]) => {
      select.value = String(value || "");
      if (select.selectedIndex < 0) select.value = ""; // a tag gone since: all tags
    });
    input.focus(); // arrows go on through the results
    run();
  }

  // The next PAGE results as list items, or null when a newer search has started meanwhile.
  async function renderable(mine, query) {
    const batch = results.slice(rendered, rendered + PAGE);
    const data = await Promise.all(batch.map((r) => r.data()));
    if (mine !== generation) return null;
    const terms = words(query);
    const items = data.map((d, i) => item(d, rendered + i, terms));
    rendered += items.length;
    return items;
  }

  async function more() {
    if (rendered >= results.length) return;
    const mine = generation;
    const items = await renderable(mine, input.value.trim());
    if (items) list.append(...items);
  }

  const words = (text) => text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);

  // Text with the words that start with a query term wrapped in <mark>, as DOM nodes.
  function highlighted(parent, text, terms) {
    for (const part of text.split(/(\s+)/)) {
      const hit = part.trim() && words(part).some((w) => terms.some((t) => w.startsWith(t)));
      if (hit) {
        const mark = document.createElement("mark");
        mark.textContent = part;
        parent.append(mark);
      } else {
        parent.append(document.createTextNode(part));
      }
    }
  }

  // The densest window of matches within the abstract (the record's first `words` words), with
  // Pagefind's matched word positions marked.
  function excerpt(data) {
    const p = document.createElement("p");
    const content = data.content.split(/[\r\n\s]+/g);
    const length = Math.min(Number(data.meta.words) || content.length, content.length);
    const shifted = (data.raw_content || "").includes("\u200B"); // positions would not line up
    const hits = shifted ? [] : data.weighted_locations.filter((l) => l.location < length);
    let start = 0;
    let best = -1;
    for (const first of hits) {
      const score = hits.filter((l) => l.location >= first.location - 4 && l.location < first.location - 4 + EXCERPT_WORDS)
        .reduce((sum, l) => sum + l.balanced_score, 0);
      if (score > best) [best, start] = [score, Math.max(0, first.location - 4)];
    }
    start = Math.max(0, Math.min(start, length - EXCERPT_WORDS));
    const end = Math.min(length, start + EXCERPT_WORDS);
    const marked = new Set(hits.map((l) => l.location));
    const text = (from, to) => content.slice(from, to).join(" ");
    p.append(start > 0 ? "… " : "");
    for (let i = start; i < end; ) {
      let j = i;
      while (j < end && marked.has(j) === marked.has(i)) j += 1;
      if (marked.has(i)) {
        const mark = document.createElement("mark");
        mark.textContent = text(i, j);
        p.append(mark);
      } else {
        p.append(text(i, j));
      }
      p.append(j < end ? " " : "");
      i = j;
    }
    p.append(end < length ? " …" : "");
    return p;
  }

  function item(data, index, terms) {
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    li.id = `pda-search-result-${index}`;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    const link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = data.url;
    link.tabIndex = -1;
    const article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    const icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    const title = document.createElement("h1");
    highlighted(title, data.meta.title || data.url, terms);
    const about = document.createElement("p");
    about.className = "pda-search-result__about";
    const tags = ((data.filters && data.filters.tag) || []).join(" · "); // the record's filter spans, in order
    about.textContent = [data.meta.date, data.meta.arxiv && `arXiv:${data.meta.arxiv}`, tags]
      .filter(Boolean).join(" · ");
    article.append(icon, title, excerpt(data), ...authors(data.meta.authors, terms), about);
    link.append(article);
    li.append(link);
    return li;
  }

  // The first three authors, and a matching one further down the list, with the matches marked.
  function authors(text, terms) {
    if (!text) return [];
    const names = text.split(", ");
    const matches = (name) => words(name).some((w) => terms.some((t) => w.startsWith(t)));
    const shown = names.slice(0, 3);
    const further = names.slice(3).find(matches);
    const line = further ? `${shown.join(", ")}, …, ${further}` : shown.join(", ") + (names.length > 3 ? " et al." : "");
    const p = document.createElement("p");
    p.className = "pda-search-result__authors";
    highlighted(p, line, terms);
    return [p];
  }

  function select(index) {
    const items = list.children;
    if (!items.length) return;
    if (active >= 0 && items[active]) items[active].setAttribute("aria-selected", "false");
    if (index < 0) { // up from the first result: back to the box, nothing chosen
      active = -1;
      input.removeAttribute("aria-activedescendant");
      return;
    }
    active = Math.min(index, items.length - 1); // the last stays chosen while more results load below
    items[active].setAttribute("aria-selected", "true");
    items[active].scrollIntoView({ block: "nearest" });
    input.setAttribute("aria-activedescendant", items[active].id);
    if (active === items.length - 1) more();
  }

  input.addEventListener("focus", open);
  // Tabbing on past the dialog (to the header's links) closes it, as leaving any dialog should.
  root.addEventListener("focusout", (event) => {
    if (toggle.checked && event.relatedTarget && !root.contains(event.relatedTarget)) close();
  });
  // Escape closes it from anywhere in it: the box or a filter.
  root.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("input", schedule);
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      select(active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter") {
      event.preventDefault();
      const chosen = list.children[Math.max(active, 0)];
      // Ctrl/Cmd+Enter opens it in a new tab, as Ctrl/Cmd+click on a link does.
      if (chosen && (event.ctrlKey || event.metaKey)) window.open(chosen.querySelector("a").href, "_blank", "noopener");
      else if (chosen) chosen.querySelector("a").click();
    }
  });
  root.querySelector("form").addEventListener("submit", (event) => event.preventDefault());
  root.querySelector("form").addEventListener("reset", () => {
    [tagSelect, yearSelect, sortSelect].forEach((s) => { s.value = ""; }); // outside the form: reset by hand
    setTimeout(() => { run(); input.focus(); });
  });
  [tagSelect, yearSelect, sortSelect].forEach((s) => s.addEventListener("change", run));
  scroller.addEventListener("scroll", () => {
    if (scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 200) more();
  });
  // The header's search icon (small screens) and the overlay toggle the theme's search state.
  toggle.addEventListener("change", () => (toggle.checked ? input.focus() : close()));
  restore();
  // "/", "s" or "f" anywhere but in a form field opens the search, as in mkdocs-material.
  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.ctrlKey || event.metaKey || event.altKey || target.isContentEditable
        || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName)) return;
    if (["/", "s", "f"].includes(event.key)) {
      event.preventDefault();
      open();
      input.focus();
      input.select();
    }
  });

  // The dialog's markup, mkdocs-material's own (partials/search.html in the theme) with our facets.
  // Only constant strings and the theme's translated labels (escaped) go into it.
  function build(dialog) {
    const icon = (path) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="${path}"/></svg>`;
    const MAGNIFY = icon("M9.5 3A6.5 6.5 0 0 1 16 9.5c0 1.61-.59 3.09-1.56 4.23l.27.27h.79l5 5-1.5 1.5-5-5v-.79l-.27-.27A6.52 6.52 0 0 1 9.5 16 6.5 6.5 0 0 1 3 9.5 6.5 6.5 0 0 1 9.5 3m0 2C7 5 5 7 5 9.5S7 14 9.5 14 14 12 14 9.5 12 5 9.5 5");
    const BACK = icon("M20 11v2H8l5.5 5.5-1.42 1.42L4.16 12l7.92-7.92L13.5 5.5 8 11z");
    const CLOSE = icon("M19 6.41 17.59 5 12 10.59 6.41 5 5 6.41 10.59 12 5 17.59 6.41 19 12 13.41 17.59 19 19 17.59 13.41 12z");
    const text = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    const placeholder = text(dialog.dataset.pdaPlaceholder || "Search");
    const reset = text(dialog.dataset.pdaReset || "Clear");
    const label = text(dialog.getAttribute("aria-label") || "Search");
    const button = document.createElement("label");
    button.className = "md-header__button md-icon";
    button.htmlFor = "__search";
    button.innerHTML = MAGNIFY;
    dialog.before(button);
    dialog.innerHTML = `<label class="md-search__overlay" for="__search"></label>
<div class="md-search__inner" role="search"><form class="md-search__form" name="search">
<input type="text" class="md-search__input" name="query" aria-label="${placeholder}" placeholder="${placeholder}" autocapitalize="off" autocorrect="off" autocomplete="off" spellcheck="false" required role="combobox" aria-autocomplete="list" aria-expanded="false" aria-controls="pda-search-results">
<label class="md-search__icon md-icon" for="__search">${MAGNIFY}${BACK}</label>
<nav class="md-search__options" aria-label="${label}"><button type="reset" class="md-search__icon md-icon" title="${reset}" aria-label="${reset}" tabindex="-1">${CLOSE}</button></nav>
</form><div class="md-search__output"><div class="md-search__scrollwrap" tabindex="0"><div class="md-search-result">
<div class="pda-search__facets" hidden>
<select class="pda-search__tag" aria-label="Filter by tag"><option value="">All tags</option></select>
<select class="pda-search__year" aria-label="Filter by year first featured"><option value="">All years</option></select>
<select class="pda-search__sort" aria-label="Sort results"><option value="">Most relevant</option><option value="date">Newest first</option></select>
</div>
<div class="md-search-result__meta" aria-live="polite">${PROMPT}</div>
<ol class="md-search-result__list" id="pda-search-results" role="listbox" aria-label="Results"></ol>
</div></div></div></div>`;
  }
})();
