// The header search box (partials/search.html) over the site's search index in search-index/ (written by
// generator/searchindex.py, read by search-index.js, loaded from the site itself on first use): a
// search fetches only the index buckets of the words typed and the papers of the results shown.
// Text from the index (titles, abstracts, tag names, authors) is only ever inserted as text nodes,
// never as HTML.
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
  const bundle = new URL(root.dataset.pdaSearch, location.href); // .../search-index/, under any base path
  const siteRoot = new URL("..", bundle); // result URLs are relative to it
  const ENGINE = new URL("search-index.js", document.currentScript.src).href; // beside this script
  const PAGE = 10; // results rendered at a time: each needs its paper's file fetched
  const EXCERPT_WORDS = 32;
  const DEBOUNCE_MS = 120;
  // A tab open for longer reads the index's manifest again, in case a deploy replaced the index.
  const FRESH_MS = 10 * 60 * 1000;

  let engine = null; // Promise of { index, words } once search-index.js is loaded
  let openedAt = 0;
  let loadingMore = false;
  let shownGeneration = -1; // the search whose first results the list shows
  let results = []; // the current query's paper numbers, in display order
  let matched = new Set(); // the indexed words the current query matched, marked in its results
  let matching = []; // every paper the current query's words found, whatever the filters
  let corrected = new Map(); // each word typed that no paper has -> the nearest word searched instead
  let tagCounts = false; // counted in the tag filter's options once it is first used: it loads every tag's list
  let rendered = 0;
  let active = -1;
  let generation = 0; // bumped by each search, so a slow answer to an old query is dropped
  let timer = 0;

  function load() {
    if (engine && Date.now() - openedAt > FRESH_MS) engine = null;
    if (!engine) {
      openedAt = Date.now();
      engine = import(ENGINE).then(async (module) => {
        const index = await module.openIndex(bundle);
        fillFacets(index.facets());
        return { index, words: module.words };
      });
      engine.catch(() => { engine = null; }); // a failed load is tried again on the next search
    }
    return engine;
  }

  // The filters' options, with their paper counts; a choice made stays chosen while it is offered.
  function fillFacets(data) {
    const fill = (select, values) => {
      const chosen = select.value;
      select.replaceChildren(select.options[0], ...values.map(([value, count]) => {
        const option = document.createElement("option");
        option.value = value;
        option.textContent = `${value} (${count})`;
        return option;
      }));
      select.value = chosen;
      if (select.selectedIndex < 0) select.value = "";
    };
    fill(tagSelect, data.tags);
    fill(yearSelect, data.years);
  }

  function open() {
    if (!toggle.checked) toggle.checked = true;
    input.setAttribute("aria-expanded", "true");
    load();
    // Reopened on the results it showed before (closing forgot them): Back from one restores them.
    if (shownGeneration === generation && list.dataset.query === input.value.trim() && input.value.trim()) {
      remember({ page: location.pathname, ...shownState() });
    }
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

  // An arXiv id as the site shows it (arXiv:2407.21783), versioned (2407.21783v2) or as a link
  // (https://arxiv.org/abs/2407.21783v2, .../pdf/2407.21783.pdf, huggingface.co/papers/2407.21783) is
  // the bare id, which is what the index holds: "arxiv", "v2" or "huggingface" are words the paper lacks.
  const CITED = /(?:arxiv\.org\/(?:abs|pdf|html)\/|huggingface\.co\/papers\/|\barxiv:\s*)(\d{4}\.\d{4,5})/i;
  const VERSIONED = /^(\d{4}\.\d{4,5})v\d+$/i;

  function significant(query) {
    const cited = query.match(CITED); // "arXiv:2407.21783 [cs.AI]", a link with a query string, …
    return cited ? cited[1] : query.split(/\s+/).map((word) => word.replace(VERSIONED, "$1")).join(" ");
  }

  async function run() {
    if (!toggle.checked) return; // closed meanwhile: nothing to show, nothing to remember
    const query = input.value.trim();
    const mine = ++generation;
    if (!query) {
      forget();
      results = [];
      matching = [];
      if (engine) engine.then(({ index }) => fillFacets(index.facets()), () => null); // the archive's counts again
      list.replaceChildren();
      facets.hidden = true;
      status.textContent = PROMPT;
      return;
    }
    let items;
    try {
      const { index } = await load();
      const found = await index.search(significant(query), { tag: tagSelect.value, year: yearSelect.value, sort: sortSelect.value });
      if (mine !== generation) return;
      results = found.numbers;
      matched = found.terms;
      matching = found.matching;
      corrected = found.corrected;
      rendered = 0;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      items = await renderable(mine);
    } catch (error) {
      engine = null; // the index may have been replaced meanwhile: the next search reads it again
      if (mine === generation) status.textContent = "Search is unavailable right now: try again in a moment";
      return;
    }
    if (!items) return;
    list.replaceChildren(...items);
    shownGeneration = mine;
    scroller.scrollTop = 0;
    facets.hidden = false;
    const n = results.length;
    const instead = [...corrected].map(([typed, read]) => `“${read}” for “${typed}”`).join(", ");
    status.textContent = (n === 0 ? "No matching papers" : `${n} matching paper${n === 1 ? "" : "s"}`)
      + (instead ? ` (searched ${instead}: no paper has the word typed)` : "");
    count(mine);
    // What the list shows, for the benchmark and the tests to wait on.
    Object.assign(list.dataset, shownState(query));
    remember({ page: location.pathname, ...shownState(query) });
  }

  const shownState = (query = input.value.trim()) => ({ query, tag: tagSelect.value, year: yearSelect.value, sort: sortSelect.value });

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

  // The filters' options count the papers of the current results: a year's within the tag chosen,
  // a tag's within the year chosen.
  async function count(mine) {
    let counts;
    try {
      const { index } = await load();
      // A tag chosen (here or restored by Back) is a tag filter used: its options are counted too.
      counts = await index.counts(matching, { tag: tagSelect.value, year: yearSelect.value }, tagCounts || tagSelect.value !== "");
    } catch (error) {
      return; // the options keep the archive's counts
    }
    if (mine !== generation) return;
    const label = (select, counted) => [...select.options].slice(1).forEach((option) => {
      option.textContent = `${option.value} (${counted.get(option.value) || 0})`;
    });
    label(yearSelect, counts.years);
    if (counts.tags) label(tagSelect, counts.tags);
    yearSelect.dataset.counted = input.value.trim(); // for the tests to wait on
    if (counts.tags) tagSelect.dataset.counted = input.value.trim();
  }

  // The next PAGE results as list items, or null when a newer search has started meanwhile.
  async function renderable(mine) {
    const batch = results.slice(rendered, rendered + PAGE);
    const { index, words } = await load();
    const papers = await Promise.all(batch.map((number) => index.paper(number)));
    if (mine !== generation) return null;
    const marked = (part) => words(part).some((word) => matched.has(word));
    const items = papers.map((paper, i) => item(paper, rendered + i, marked));
    rendered += items.length;
    return items;
  }

  // The next results, once at a time: two scroll events must not both fetch the same ones.
  async function more() {
    // Not before this search's first results are shown: it would fetch them a second time.
    if (loadingMore || shownGeneration !== generation || rendered >= results.length) return;
    loadingMore = true;
    try {
      const items = await renderable(generation);
      if (items) list.append(...items);
    } catch (error) {
      // A paper's file failed to load: the list stays as it is, and the next scroll tries again.
    } finally {
      loadingMore = false;
    }
  }

  // Text as DOM nodes, its words that the query matched (`marked`) wrapped in <mark>: matched
  // words in a row are one mark ("KV cache"), as a phrase reads.
  function highlighted(parent, text, marked) {
    const parts = text.split(/(\s+)/); // words at even places, the spaces between them at odd ones
    const hit = parts.map((part, i) => i % 2 === 0 && part !== "" && marked(part));
    for (let i = 1; i < parts.length - 1; i += 2) hit[i] = hit[i - 1] && hit[i + 1];
    for (let i = 0; i < parts.length; ) {
      let j = i;
      while (j < parts.length && hit[j] === hit[i]) j += 1;
      const run = parts.slice(i, j).join("");
      if (hit[i]) {
        const mark = document.createElement("mark");
        mark.textContent = run;
        parent.append(mark);
      } else {
        parent.append(document.createTextNode(run));
      }
      i = j;
    }
  }

  // The window of EXCERPT_WORDS words of the abstract holding the most matched words, marked.
  function excerpt(abstract, marked) {
    const content = abstract.split(/\s+/).filter(Boolean);
    const hits = content.flatMap((word, i) => (marked(word) ? [i] : []));
    let start = 0;
    let best = 0;
    for (const first of hits) {
      const from = Math.max(0, first - 4);
      const score = hits.filter((i) => i >= from && i < from + EXCERPT_WORDS).length;
      if (score > best) [best, start] = [score, from];
    }
    start = Math.max(0, Math.min(start, content.length - EXCERPT_WORDS));
    const end = Math.min(content.length, start + EXCERPT_WORDS);
    const p = document.createElement("p");
    p.append(start > 0 ? "… " : "");
    highlighted(p, content.slice(start, end).join(" "), marked);
    p.append(end < content.length ? " …" : "");
    return p;
  }

  function item(paper, index, marked) {
    const li = document.createElement("li");
    li.className = "md-search-result__item";
    li.id = `pda-search-result-${index}`;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    const link = document.createElement("a");
    link.className = "md-search-result__link";
    link.href = new URL(paper.url, siteRoot).href;
    link.tabIndex = -1;
    const article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    const icon = document.createElement("div");
    icon.className = "md-search-result__icon md-icon";
    const title = document.createElement("h1");
    highlighted(title, paper.title, marked);
    const about = document.createElement("p");
    about.className = "pda-search-result__about";
    about.textContent = [paper.date, paper.arxiv && `arXiv:${paper.arxiv}`, paper.tags.join(" · ")]
      .filter(Boolean).join(" · ");
    article.append(icon, title, excerpt(paper.abstract, marked), ...authors(paper.authors, marked), about);
    link.append(article);
    li.append(link);
    return li;
  }

  // The first three authors, and a matching one further down the list, with the matches marked.
  function authors(names, marked) {
    if (!names.length) return [];
    const shown = names.slice(0, 3);
    const further = names.slice(3).find(marked);
    const line = further ? `${shown.join(", ")}, …, ${further}` : shown.join(", ") + (names.length > 3 ? " et al." : "");
    const p = document.createElement("p");
    p.className = "pda-search-result__authors";
    highlighted(p, line, marked);
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
  const countTags = () => {
    if (tagCounts) return;
    tagCounts = true;
    if (matching.length) count(generation);
  };
  tagSelect.addEventListener("focus", countTags);
  tagSelect.addEventListener("pointerdown", countTags);
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
