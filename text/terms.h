/*
 * terms.h — how passim spells things in the Xapian index. The indexer writes and
 * the searcher reads through these names only; change them here and nowhere else.
 *
 * Terms (Xapian convention: an upper-case prefix, then the value):
 *   <stem>            a passage token's stem, with its position (no prefix); a
 *                     hyphenated word's parts joined ("cofounder" of
 *                     "co-founder"), with none
 *   S<stem>           a stem of the article's title, with its position in the title;
 *                     added to every passage of the article (title:word queries)
 *   K<key>            every passage of one file (delete all of them at once)
 *   D<docid>          the first passage of each article, by its id (record.h:
 *                     the path relative to the PATH indexed, without
 *                     extension): its term frequency is the number of files
 *                     with that id, so the indexer sees whether one is taken.
 *                     Indexes written before it was added lack it; nothing
 *                     else depends on it, so they need no rebuild.
 * where <key> is the file's canonical absolute path (a too long key or id is
 * shortened with a hash, see text_key_term).
 *
 * Values (per passage):
 *   PASSIM_SLOT_FILE     the file key: the collapse key, one article per file
 *   PASSIM_SLOT_ORDINAL  the passage ordinal, 4-byte big-endian: with K<key>, it
 *                        names one passage
 *   PASSIM_SLOT_RECORD   the passage record the searcher prints (text_record_t,
 *                        record.h). A value, not the document data: Xapian
 *                        deflates every document's data on its own, which cost
 *                        a fifth of the indexing time; values are stored as they
 *                        are, in chunks of neighbouring documents.
 *
 * Metadata (per database):
 *   PASSIM_META_FILE<key>  the record of an indexed file (text_file_record_t, record.h);
 *                          a key too long for Xapian is shortened with a hash
 *   PASSIM_META_LANG       the stemming language the index was built with
 *   PASSIM_META_VERSION    the index layout version (PASSIM_LAYOUT_VERSION)
 *   PASSIM_META_WORDS<n>   the words met of n characters, with their counts, for
 *                          "did you mean" (spell.h); n in decimal
 *   PASSIM_META_FIRST_BUILD  set by the commits of a first build on one writer
 *                          and gone from the compacted copy that replaces it at
 *                          its end: an index that holds it was left by a first
 *                          build killed before then, and the run that completes
 *                          it compacts it, as the first would have
 *   PASSIM_META_WORDS_PARTIAL  set by a commit that wrote passages without
 *                          counting their words (--no-spelling): the word lists
 *                          miss some files' words until the index is rebuilt
 *   PASSIM_META_WORDS_DUE<n>  the words met in the files of one commit that are
 *                          not in the lists yet (a list of words of any length);
 *                          n in ten decimal digits. The last commit of a run
 *                          merges them into the lists; a run killed before it
 *                          leaves them for the next.
 */
#ifndef PASSIM_TERMS_H
#define PASSIM_TERMS_H

#define PASSIM_PREFIX_TITLE   "S"
#define PASSIM_PREFIX_FILE    "K"
#define PASSIM_PREFIX_DOCID   "D"

#define PASSIM_SLOT_FILE     0
#define PASSIM_SLOT_ORDINAL  1
#define PASSIM_SLOT_RECORD   2

#define PASSIM_META_FILE     "file:"
#define PASSIM_META_LANG     "passim:lang"
#define PASSIM_META_VERSION  "passim:layout"
#define PASSIM_META_WORDS    "passim:words:"
#define PASSIM_META_WORDS_DUE "passim:words-due:"
#define PASSIM_META_WORDS_PARTIAL "passim:words-partial"
#define PASSIM_META_FIRST_BUILD "passim:first-build"
/* Bumped whenever the layout or the analysis changes (6: British spellings
 * stem as American ones; no passage id term; 7: French, Italian and Catalan
 * elisions, the dotless i, Cyrillic stress accents; 8: positions skip one
 * between blocks, TEXT_BLOCK_GAP; 9: a passage that starts inside a code
 * block is read as in it, and its record says so; 10: a hyphenated word of
 * two parts is indexed joined too, with no position; 11: a line with no '>'
 * right after a quote's text carries the quote's paragraph on; 12: each Han
 * ideograph and hiragana is a word by itself; 13: full-width digits, full
 * stops, commas, apostrophes and hyphens read as NFKC folds them, and the
 * digits of any script join into one number across "," and "."; 14: emphasis
 * or a code span closing before "'s" leaves the word whole, "**Moscow**'s";
 * 15: emphasis and HTML tags beside non-ASCII punctuation or ideographs are
 * markup, as beside ASCII punctuation, "“*Dune*”", "中<b>文</b>"; 16: a
 * task's box is no word, "- [x] call mum"; 17: a title's words are read
 * from the title as shown, where no markup is left to pass over, "\- [x]
 * bar" shown "- [x] bar" holds x; a "](target)" is a link's only after a
 * "[" that no backslash escapes, "\[see](notes)" holding notes; a fenced
 * code block's link targets and footnote references are words; a regular
 * expression's class is no footnote reference, "a[^b]*c"; 18: a title's
 * closing tag of an opening tag that is text, right after a letter or
 * digit, is text too, "x<b>y</b>z"; a line is known to be in a fenced code
 * block where it starts, and a task's box or a footnote's definition there
 * is words; 19: a long numbered list is cut between its items, never
 * after an item's number "18."; the word lists hold English possessives
 * without their "'s"; a link's target, a footnote reference, a task's box
 * or heading attributes that snippets show as written, in a code span, a
 * line indented as code or an HTML comment, are words; 20: a character
 * reference that snippets show as written, in code, an HTML comment or
 * after a backslash, or left in a title as shown, is read as written, its
 * name a word; a line's number after a bulleted item or an item's
 * unindented wrapped lines is an item's, after "12.5" a sentence's end; a
 * word goes on past emphasis or a code span that snippets hide into its
 * next letter, "**GPU**s"; 21: and past a link's "](target)" that
 * snippets hide, "[GPU](url)s"; a title holds no footnote reference; a line
 * underlined right after a code block or a comment is a heading; the lines
 * of "<pre>" to "</pre>" (and a script, a style sheet, a text area) are
 * text, as a comment's are):
 * an index of another layout is refused (searching it would misread it,
 * updating it would mix two). */
#define PASSIM_LAYOUT_VERSION "21"

/* The position of the first word of a passage, and of a title. Not 1:
 * Xapian 1.4's exact phrase match takes a term that a document holds with
 * no position (a hyphenated word joined, above) to stand at position 0, so
 * a phrase opening with one ("cofounder the", title:"air-bag Ford") would
 * match wherever its other words stand at 1, 2 ... From 2 on, no word
 * stands there. Positions are read only relative to each other: an index
 * written when they started at 1 searches as before, that flaw aside, and
 * needs no rebuild. */
#define PASSIM_FIRST_POS 2

/* Longest term or metadata key written, in bytes (Xapian's limit is 245 for
 * terms and 255 for keys). */
#define PASSIM_TERM_MAX 245

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

/* Put prefix + key + suffix in b (cleared first): a term or metadata key for
 * a file, whose key is its canonical path. A path too long for Xapian keeps
 * its tail (the distinctive part) and gains a hash of the whole, so the result
 * stays unique and within PASSIM_TERM_MAX. False if memory ran out. */
bool text_key_term(text_buf_t *b, const char *prefix, const char *key, const char *suffix);

/* The value of PASSIM_SLOT_ORDINAL for passage ordinal: 4 bytes, big-endian, so
 * that values sort as the ordinals do. */
void text_ordinal_value(unsigned char out[4], uint32_t ordinal);

/* Put in b (cleared first) the metadata key of the word list of words of
 * chars characters (PASSIM_META_WORDS<chars>). False if memory ran out. */
bool text_words_key(text_buf_t *b, size_t chars);

#endif /* PASSIM_TERMS_H */
