/**
 * What a person reads when the server refused one of their changes. The
 * server's reasons are sentences for people, but they name a paragraph by its
 * number as typed or by its id ("Paragraph b) is agreed: ...") and do not say
 * what happened to the change. The page knows both: how the room names the
 * paragraph ("3.5 b)") and whether the change was made offline. So the
 * message says what was not kept and why, keeping the server's sentence
 * wherever it already reads plainly, and replacing the few that only a
 * developer could read. Pure: the caller finds the facts in its copy.
 */

export type RefusalFacts = {
  /** How the room names the paragraph the refused change was about ("3.5 b)"), null when unknown or unnumbered. */
  paragraph: string | null;
  /** The change was made while this page was offline (and reached the server only on reconnecting). */
  offline: boolean;
};

/** Words after "Paragraph " that end the paragraph's name in the server's sentences. */
const NAME_ENDS = /^Paragraph (.+?) (?=is |was |changed |has |cannot |can |stays |needs )/;

/** The paragraph a reason names, as the server wrote it (a number such as "3.2", "b)" or "3.5 b)", or an id); null if none. */
export function reasonParagraph(reason: string): string | null {
  const sentence = reason.trim();
  if (TECHNICAL.test(sentence)) return null;
  const changed = CHANGED_SINCE.exec(sentence)?.[1];
  if (changed) return /^(this|a) paragraph$/i.test(changed) ? null : changed;
  return NAME_ENDS.exec(sentence)?.[1] ?? null;
}

const AGREED = /^Paragraph .+? is agreed: only the chair or the secretariat can change it\.?$/;
/** A refused agreement: "3.2 changed since you looked: ...", the paragraph named as the room does, or "This paragraph". */
const CHANGED_SINCE = /^(?:Paragraph )?(.+?) changed since you looked: (.+?)\.?$/;
/** An agreement from a page of an older version, which does not record the text agreed. */
const AGREED_WITHOUT_TEXT = /was marked agreed without the text agreed/;
const BUILDS_ON = /builds on (changes|text) the server does not have/;
const RELOADED = /^The document was reloaded while this change was checked/;
/** The drafting mode's refusals of typing (shared/model/update-rules.ts modeRefusal): always about an edit of the text. */
const MODE = /^(In \S+ mode |The chair holds the pen)/;

/**
 * Reasons about how the page encoded a change, not about what the person did:
 * ids, marks, records, the document format. Nothing in them helps a delegate.
 */
const TECHNICAL = new RegExp(
  [
    '\\bids?\\b.* already used',
    'needs an id',
    'is a string',
    '^Unknown (part|setting)',
    '^No (bracket group|option) ',
    '^A bracket mark ',
    '^A drafting mode is',
    'never arrived',
    'delete more than it says',
    'malformed',
    'not part of the document format',
    '^Empty value',
    'refers to a part that comes after it',
    'is written by the server',
  ].join('|'),
  'i',
);

/** The person's message for a reason the server gave. */
export function refusalMessage(reason: string, facts: RefusalFacts): string {
  const sentence = reason.trim();
  const named = facts.paragraph;

  if (TECHNICAL.test(sentence)) {
    return 'Your last change was not kept: the server could not accept it in the form this page sent it. It was not something you did.';
  }
  if (BUILDS_ON.test(sentence)) return 'Your last change was not kept: it built on an earlier change of yours that the server did not accept.';
  if (RELOADED.test(sentence)) return 'Your last change was not kept: the server was reloading the document when it arrived. Please make it again.';

  if (AGREED.test(sentence)) {
    const edit = named ? `Your edit to ${named} was not kept` : 'Your edit was not kept';
    const subject = named ?? 'the paragraph';
    return facts.offline
      ? `${edit}: ${subject} was agreed while you were offline.`
      : `${edit}: ${subject} is agreed, and only the chair or the secretariat can change it.`;
  }

  const changed = CHANGED_SINCE.exec(sentence);
  if (changed) {
    // The chair agreed a text that is no longer the paragraph's.
    return `${named ?? 'The paragraph'} changed since you looked: ${changed[2]}. Your agreement was not recorded.`;
  }
  if (AGREED_WITHOUT_TEXT.test(sentence)) {
    return `Your agreement${named ? ` of ${named}` : ''} was not recorded: this page is of an older version. Reload it, then agree again.`;
  }

  // Already plain: said after what was not kept, with the paragraph named as the room names it.
  const what = MODE.test(sentence) ? 'edit' : 'change';
  const lead = named ? `Your ${what} to ${named} was not kept.` : `Your last ${what} was not kept.`;
  return `${lead} ${asSentence(named ? renamed(sentence, named) : sentence)}`;
}

/** "Paragraph b) ..." as "Paragraph 3.5 b) ...". */
function renamed(sentence: string, named: string): string {
  const match = NAME_ENDS.exec(sentence);
  return match ? `Paragraph ${named} ${sentence.slice(match[0].length)}` : sentence;
}

function asSentence(text: string): string {
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
