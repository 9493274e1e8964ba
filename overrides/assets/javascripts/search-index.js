// The archive's search index in the browser: reads what generator/searchindex.py writes (its
// docstring describes the files). Loaded by search.js on first use. A search fetches, once each,
// the bucket of each word typed (and the small buckets of the longer words it begins), a tag's
// paper list when filtering by it, and a paper's file when its result is shown.
// Words are split, lower-cased, stop words dropped and plurals folded exactly as the index's
// were (searchindex.words): tests/test_search.py compares the two on hostile and non-Latin text.
// Only characters newer than Python's Unicode database (assigned since Unicode 14, for Python 3.11)
// may be letters to the browser and not to the index: words holding them are not found.

const STOP_WORDS = new Set(["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it",
  "its", "of", "on", "or", "that", "the", "this", "to", "via", "we", "with"]);
const TOKEN = /[0-9]+(?:\.[0-9]+)+|[\p{L}\p{N}]+/gu;
const WORD_LENGTH = 64; // characters kept of a longer token
const ACCENTS = /[\u0300-\u036f]/g; // combining diacritics: "García" is found as "Garcia"
const SCALE = 8; // a stored weight is round(weight * SCALE)
const LONGER_WORD = 0.5; // "splat" finds "splatting", below papers with the word "splat" itself
const PREFIX_BYTES = 64000; // the most loaded for the longer words a word begins ("lo" begins thousands)
const NAME = "="; // begins the term of a title's name (searchindex.name)
const TYPO_WORD = 5; // a word this long that no paper holds is read as the closest word papers hold
const TYPO_EDITS = (word) => ([...word].length >= 9 ? 2 : 1); // letters added, dropped, changed or swapped
const TYPO_BYTES = 24000; // the most loaded to correct one word (about 6 buckets)

export function words(text) {
  return (text.normalize("NFKC").normalize("NFD").replace(ACCENTS, "").toLowerCase().match(TOKEN) || [])
    .filter((token) => !STOP_WORDS.has(token)).map((token) => stem([...token].slice(0, WORD_LENGTH).join("")));
}

// Harman's S-stemmer, as searchindex.stem.
export function stem(word) {
  if (!/^\p{L}+$/u.test(word)) return word;
  const length = [...word].length;
  const endsWith = (...ends) => ends.some((end) => word.endsWith(end));
  if (length > 4 && word.endsWith("ies") && !endsWith("eies", "aies")) return `${word.slice(0, -3)}y`;
  if (length > 3 && word.endsWith("es") && !endsWith("aes", "ees", "oes")) return word.slice(0, -1);
  if (length > 3 && word.endsWith("s") && !endsWith("us", "ss")) return word.slice(0, -1);
  return word;
}

// A file of the index: gzipped as written, unless the host already inflated it on the way (then
// it is no gzip, or, by chance, bytes that begin like gzip and fail to inflate).
async function inflated(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    return bytes;
  }
}

const text = (bytes) => new TextDecoder().decode(bytes);

export async function openIndex(base) {
  return new Index(base, JSON.parse(text(await inflated(new URL("index.pda", base)))));
}

class Reader {
  constructor(bytes) { this.bytes = bytes; this.at = 0; }

  get done() { return this.at >= this.bytes.length; }

  varint() {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (this.done) throw new Error("a truncated index file"); // never loop past its end
      const byte = this.bytes[this.at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  }
}

class Index {
  constructor(base, manifest) {
    this.base = base;
    this.papers = manifest.papers;
    this.dates = manifest.dates; // [date, number of its first paper], oldest first
    this.tags = manifest.tags; // [name, papers]
    this.keys = manifest.buckets.map(([key]) => key);
    this.sizes = manifest.buckets.map(([, size]) => size);
    this.cache = new Map(); // file name -> Promise of its contents
  }

  // Tags with papers and years (first featured), with their paper counts, for the filters.
  facets() {
    const years = new Map();
    this.dates.forEach(([date, first], i) => {
      const next = i + 1 < this.dates.length ? this.dates[i + 1][1] : this.papers;
      years.set(date.slice(0, 4), (years.get(date.slice(0, 4)) || 0) + next - first);
    });
    return { tags: this.tags.filter(([, count]) => count > 0), years: [...years].reverse() };
  }

  file(name, parse) {
    if (!this.cache.has(name)) {
      const loading = inflated(new URL(name, this.base)).then(parse);
      loading.catch(() => this.cache.delete(name)); // tried again by the next search
      this.cache.set(name, loading);
    }
    return this.cache.get(name);
  }

  // Paper `number` as its result shows it: url, title, date, arxiv, tags, authors, abstract.
  paper(number) {
    return this.file(`papers/${number}.pda`, (bytes) => JSON.parse(text(bytes)));
  }

  // A bucket's terms, each with its paper count and where its postings are.
  bucket(n) {
    const hex = [...new TextEncoder().encode(this.keys[n])].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    return this.file(`terms/${hex || "all"}.pda`, (bytes) => {
      const reader = new Reader(bytes);
      const terms = [];
      while (!reader.done) {
        const length = reader.varint();
        const term = text(bytes.subarray(reader.at, reader.at + length));
        reader.at += length;
        const count = reader.varint();
        const start = reader.at;
        for (let i = 0; i < count; i += 1) { reader.varint(); reader.at += 1; }
        terms.push({ term, count, postings: bytes.subarray(start, reader.at) });
      }
      return terms;
    });
  }

  // The buckets that may hold `word` or longer words it begins.
  bucketsOf(word) {
    let holder = -1;
    this.keys.forEach((key, n) => {
      if (word.startsWith(key) && (holder < 0 || key.length > this.keys[holder].length)) holder = n;
    });
    const longer = this.keys.map((key, n) => n).filter((n) => n !== holder && this.keys[n].startsWith(word));
    const bytes = longer.reduce((sum, n) => sum + this.sizes[n], 0);
    return [...(holder < 0 ? [] : [holder]), ...(bytes <= PREFIX_BYTES ? longer : [])];
  }

  // Papers holding `word` or (unless `exact`) a longer word it begins: number -> score, and the
  // terms matched.
  async matches(word, exact = false) {
    const buckets = await Promise.all(this.bucketsOf(word).slice(0, exact ? 1 : undefined).map((n) => this.bucket(n)));
    const scores = new Map();
    const terms = new Set();
    const entries = buckets.flat().filter((entry) => (exact ? entry.term === word : entry.term.startsWith(word)));
    // Every word found weighs as rare as the word typed (or, typed in part, as its commonest
    // completion): a rare longer word must not outrank the common word itself.
    const idf = (count) => Math.log(1 + (this.papers - count + 0.5) / (count + 0.5));
    const itself = entries.find((entry) => entry.term === word);
    const rarity = itself ? idf(itself.count) : Math.min(...entries.map((entry) => idf(entry.count)));
    for (const entry of entries) {
      terms.add(entry.term);
      const similarity = entry.term === word ? 1 : LONGER_WORD * word.length / entry.term.length;
      const weight = similarity * rarity / SCALE;
      const reader = new Reader(entry.postings);
      let number = 0;
      while (!reader.done) {
        number += reader.varint();
        const score = weight * reader.bytes[reader.at++];
        if (score > (scores.get(number) || 0)) scores.set(number, score);
      }
    }
    return { scores, terms };
  }

  // For a word no paper holds, the word papers hold fewest edits away (within TYPO_EDITS), the
  // commonest of equals: "tranformer" is read as "transformer". It is looked for in the buckets whose
  // key is within an edit of the word's start, the nearest and longest keys first, within TYPO_BYTES
  // (at 50,000 papers, 15 of 16 common misspellings are corrected so). In an index of more than one
  // bucket, a typo in the first letter is not corrected.
  async nearest(word) {
    const letters = [...word];
    // A number or a version ("qwen3", "gpt4o") is not misspelt: a model of another version is another
    // model. A word that begins indexed words is not either: it found none only because their buckets
    // were too many to load ("gener" begins generate, generative, …).
    if (letters.length < TYPO_WORD || /[0-9]/.test(word) || this.keys.some((key) => key && key.startsWith(word))) {
      return null;
    }
    const offBy = (key) => {
      if (!key) return 0; // the one bucket of a small index: every word's
      if (key[0] !== word[0]) return 2;
      const length = [...key].length;
      let least = 2;
      for (let cut = Math.max(1, length - 1); cut <= length + 1; cut += 1) {
        least = Math.min(least, distance(key, letters.slice(0, cut).join(""), 1));
      }
      return least;
    };
    const near = this.keys.map((key, n) => ({ n, length: [...key].length, off: offBy(key) }))
      .filter(({ off }) => off <= 1).sort((a, b) => a.off - b.off || b.length - a.length || a.n - b.n);
    const chosen = [];
    let bytes = 0;
    for (const { n } of near) {
      if (chosen.length && bytes + this.sizes[n] > TYPO_BYTES) continue;
      chosen.push(n);
      bytes += this.sizes[n];
    }
    const allowed = TYPO_EDITS(word);
    let best = null;
    for (const terms of await Promise.all(chosen.map((n) => this.bucket(n)))) {
      for (const { term, count } of terms) {
        if (term.startsWith(NAME)) continue;
        const edits = distance(word, term, allowed);
        if (edits <= allowed && (!best || edits < best.edits || (edits === best.edits && count > best.count))) {
          best = { term, count, edits };
        }
      }
    }
    return best && best.term;
  }

  async members(tag) {
    const n = this.tags.findIndex(([name]) => name === tag);
    if (n < 0) return new Set();
    return this.file(`tags/${n}.pda`, (bytes) => {
      const reader = new Reader(bytes);
      const numbers = new Set();
      for (let number = 0; !reader.done; ) numbers.add((number += reader.varint()));
      return numbers;
    });
  }

  // The first paper number of `year` and the first after it (papers are numbered oldest first).
  yearRange(year) {
    const inYear = this.dates.flatMap(([date], i) => (date.startsWith(year) ? [i] : []));
    if (!inYear.length) return [0, 0];
    const next = this.dates[inYear[inYear.length - 1] + 1];
    return [this.dates[inYear[0]][1], next ? next[1] : this.papers];
  }

  // Papers holding every word of `query` (or longer words they begin, or for a word no paper holds,
  // its nearest), in the tag and year chosen, best first or newest first: { numbers, terms, matching,
  // corrected }, terms being the indexed words matched, to mark in results, matching every paper the
  // words found, whatever the filters, and corrected each word typed that was read as another.
  async search(query, { tag = "", year = "", sort = "" } = {}) {
    const all = words(query);
    const queryWords = [...new Set(all)];
    if (!queryWords.length) return { numbers: [], terms: new Set(), matching: [], corrected: new Map() };
    let [named, ...found] = await Promise.all([this.matches(NAME + all.join(""), true),
      ...queryWords.map((word) => this.matches(word))]);
    const corrected = new Map(); // word typed -> the word searched instead
    await Promise.all(found.map(async (matched, i) => {
      const near = matched.scores.size ? null : await this.nearest(queryWords[i]);
      if (near) {
        corrected.set(queryWords[i], near);
        found[i] = await this.matches(near, true);
      }
    }));
    // A title's name misspelt is still its name: "mambba" ranks "Mamba: …" first, as "mamba" does.
    if (corrected.size) named = await this.matches(NAME + all.map((word) => corrected.get(word) || word).join(""), true);
    found.sort((a, b) => a.scores.size - b.scores.size); // the rarest word first: fewest papers to test
    const scores = new Map();
    for (const [number, score] of found[0].scores) {
      let total = score;
      for (const other of found.slice(1)) {
        const more = other.scores.get(number);
        if (more === undefined) { total = -1; break; }
        total += more;
      }
      if (total >= 0) scores.set(number, total + (named.scores.get(number) || 0));
    }
    const matching = [...scores.keys()];
    const members = tag ? await this.members(tag) : null;
    const [from, to] = year ? this.yearRange(year) : [0, this.papers];
    const numbers = matching.filter((n) => n >= from && n < to && (!members || members.has(n)));
    const byScore = (a, b) => scores.get(b) - scores.get(a) || b - a; // equal scores: the newer first
    if (sort === "date") {
      const day = (number) => this.dayOf(number);
      numbers.sort((a, b) => day(b) - day(a) || byScore(a, b));
    } else {
      numbers.sort(byScore);
    }
    return { numbers, terms: new Set(found.flatMap((f) => [...f.terms])), matching, corrected };
  }

  // How many of `matching` are in each year, and (with `withTags`, which loads every tag's paper
  // list) in each tag, each counted within the other filter, as facets are: { years, tags } of Maps.
  async counts(matching, { tag = "", year = "" } = {}, withTags = false) {
    const members = tag ? await this.members(tag) : null;
    const years = new Map();
    for (const number of matching) {
      if (members && !members.has(number)) continue;
      const first = this.dates[this.dayOf(number)][0].slice(0, 4);
      years.set(first, (years.get(first) || 0) + 1);
    }
    if (!withTags) return { years, tags: null };
    const [from, to] = year ? this.yearRange(year) : [0, this.papers];
    const inYear = matching.filter((n) => n >= from && n < to);
    const lists = await Promise.all(this.tags.map(([name, count]) => (count ? this.members(name) : new Set())));
    return { years, tags: new Map(this.tags.map(([name], i) => [name, inYear.filter((n) => lists[i].has(n)).length])) };
  }

  // The position of a paper's date among the dates, oldest first.
  dayOf(number) {
    let low = 0;
    let high = this.dates.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.dates[middle][1] <= number) low = middle; else high = middle - 1;
    }
    return low;
  }
}

// Edits (insertions, deletions, substitutions, swaps of neighbours) from `a` to `b`, or more than
// `limit` once that is certain: optimal string alignment, row by row.
export function distance(a, b, limit) {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > limit) return limit + 1;
  let before = null;
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= y.length; j += 1) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost);
      if (before && i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        row[j] = Math.min(row[j], before[j - 2] + 1);
      }
    }
    if (Math.min(...row) > limit) return limit + 1;
    before = previous;
    previous = row;
  }
  return previous[y.length];
}
