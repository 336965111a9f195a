/**
 * Code spans in linear time. A run of backticks opens a code span only if a run of exactly as
 * many follows it; marked found that out by searching the rest of the text, for each run, so a
 * text of runs that close nothing (`` ``\ `` over and over: each `` ` `` after an escape looks for a
 * single backtick, and only doubles follow) took quadratic time, twice: in the code span rule,
 * and in the masking that hides code spans from the emphasis rules. Here the runs of a text are
 * listed once, by length, and a run with no partner is answered at once.
 */

const BACKTICK = 96;

/** Every run of backticks of a text, by length. */
export class BacktickRuns {
  /** The start of every run of each length, in order. */
  readonly #starts = new Map<number, number[]>();

  constructor(readonly text: string) {
    for (let start = text.indexOf('`'); start !== -1; ) {
      let end = start + 1;
      while (text.charCodeAt(end) === BACKTICK) end++;
      const starts = this.#starts.get(end - start);
      if (starts) starts.push(start);
      else this.#starts.set(end - start, [start]);
      start = text.indexOf('`', end);
    }
  }

  /** The length of the run that starts at `at` (0 if none does). */
  lengthAt(at: number): number {
    let end = at;
    while (this.text.charCodeAt(end) === BACKTICK) end++;
    return end - at;
  }

  /** Where the first run of exactly `length` backticks after `after` starts, or -1. */
  nextOf(length: number, after: number): number {
    const starts = this.#starts.get(length);
    if (!starts) return -1;
    let [low, high] = [0, starts.length];
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (starts[middle]! > after) high = middle;
      else low = middle + 1;
    }
    return low < starts.length ? starts[low]! : -1;
  }
}

const ESCAPED_PUNCTUATION = /\\([\p{P}\p{S}])/uy;

/** A match as a RegExp's exec gives it: the text, its captures, where it starts. */
function matchOf(input: string, index: number, text: string, captures: [string | undefined, string | undefined]): RegExpExecArray {
  const match = [text, captures[0], captures[1]] as Array<string | undefined> as RegExpExecArray;
  match.index = index;
  match.input = input;
  match.groups = undefined;
  return match;
}

/**
 * marked's `anyPunctuationOutsideCode` (a code span, else a run of backticks, else an escaped
 * punctuation character: `/(`+)(?:[^`]|[^`][\s\S]*?[^`])\1(?!`)|`+|\\([\p{P}\p{S}])/gu`),
 * matching what it matches, found with the text's backtick runs instead of a search of the rest
 * of the text from every run. Only exec changes: replace() calls it for each match.
 */
export class CodeSpanMask extends RegExp {
  static override get [Symbol.species]() {
    return RegExp;
  }

  #runs: BacktickRuns | undefined;
  /** The first backslash at or after some earlier `from` in #runs' text (-1: none), kept while the matches move on past it. */
  #escape = -1;
  #escapeFrom = Infinity;

  override exec(input: string): RegExpExecArray | null {
    if (this.#runs?.text !== input) [this.#runs, this.#escapeFrom] = [new BacktickRuns(input), Infinity];
    const found = this.#next(input, this.lastIndex, this.#runs);
    this.lastIndex = found ? found.index + found[0].length : 0;
    return found;
  }

  /** The first backslash at or after `from`: a text without one is searched once, not to its end again for every match. */
  #escapeAfter(input: string, from: number): number {
    if (from < this.#escapeFrom || (this.#escape !== -1 && this.#escape < from)) [this.#escape, this.#escapeFrom] = [input.indexOf('\\', from), from];
    return this.#escape;
  }

  #next(input: string, from: number, runs: BacktickRuns): RegExpExecArray | null {
    const tick = input.indexOf('`', from);
    let escape = this.#escapeAfter(input, from);
    while (tick !== -1 || escape !== -1) {
      if (tick !== -1 && (escape === -1 || tick < escape)) {
        const length = runs.lengthAt(tick);
        const closer = runs.nextOf(length, tick);
        if (closer === -1) return matchOf(input, tick, input.slice(tick, tick + length), [undefined, undefined]);
        return matchOf(input, tick, input.slice(tick, closer + length), [input.slice(tick, tick + length), undefined]);
      }
      ESCAPED_PUNCTUATION.lastIndex = escape;
      const escaped = ESCAPED_PUNCTUATION.exec(input);
      if (escaped) return matchOf(input, escape, escaped[0], [undefined, escaped[1]]);
      escape = input.indexOf('\\', escape + 1);
    }
    return null;
  }
}
