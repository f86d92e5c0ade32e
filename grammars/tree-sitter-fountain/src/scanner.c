/*
 * External scanner for Fountain: what a context-free grammar cannot see.
 *
 * It is stateless. The parser's valid symbols say where we are (the start of an element, a
 * line inside a paragraph, a cue, an emphasis span), and the scanner looks ahead on the
 * current and the next line to classify the line or the line break. Zero-width start tokens
 * mark the element kind; the grammar parses the line's inline content after them.
 */

#include "tree_sitter/parser.h"
#include "letter_case.h"

#include <stdbool.h>
#include <stdint.h>

enum TokenType {
  LINE_END,
  PARAGRAPH_END,
  TITLE_CONTINUATION,
  TITLE_LINE_END,
  TITLE_PAGE_END,
  BLANK_LINE,
  TITLE_PAGE_START,
  TITLE_KEY,
  SCENE_HEADING_START,
  FORCED_ACTION_START,
  CHARACTER_START,
  CHARACTER_NAME,
  CHARACTER_EXTENSION,
  DUAL_DIALOGUE_MARKER,
  PARENTHETICAL,
  TRANSITION_START,
  CENTERED_START,
  CENTERED_END,
  LYRICS_START,
  SECTION_MARKER,
  SYNOPSIS_START,
  PAGE_BREAK,
  SCENE_NUMBER,
  NOTE,
  BONEYARD,
  ITALIC_OPEN,
  ITALIC_CLOSE,
  BOLD_OPEN,
  BOLD_CLOSE,
  BOLD_ITALIC_OPEN,
  BOLD_ITALIC_CLOSE,
  UNDERLINE_OPEN,
  UNDERLINE_CLOSE,
  NUL_TEXT,
  ERROR_SENTINEL,
};

/* Lines longer than this are never cues, headings or transitions; the rest is not buffered. */
#define LINE_BUFFER 256
/* Emphasis must close on its line within this many characters, which keeps a long line of
 * unmatched asterisks linear rather than quadratic. */
#define EMPHASIS_REACH 4096

typedef struct {
  int32_t chars[LINE_BUFFER];
  uint32_t length;    /* characters buffered, trailing whitespace removed */
  bool truncated;     /* the line was longer than the buffer */
  bool trailing_space; /* whitespace followed the last visible character */
  bool next_blank;    /* the following line is blank, or there is none */
  bool next_indented; /* the following line starts with a space or a tab */
} Line;

static inline void advance(TSLexer *lexer) { lexer->advance(lexer, false); }

static inline bool is_space(int32_t c) { return c == ' ' || c == '\t'; }

static inline bool at_line_end(TSLexer *lexer) {
  return lexer->lookahead == '\n' || lexer->lookahead == '\r' || lexer->eof(lexer);
}

/* Consumes one line break (LF or CRLF); false when the lookahead is no line break. */
static bool consume_newline(TSLexer *lexer) {
  if (lexer->lookahead == '\r') {
    advance(lexer);
    if (lexer->lookahead != '\n') return false;
  }
  if (lexer->lookahead != '\n') return false;
  advance(lexer);
  return true;
}

/* ---------------------------------------------------------------- letter case --- */
/* Every script with case counts (ÉLODIE, ДМИТРИЙ, ԱՐԱՄ, ＬＩ); caseless scripts need `@`. */

static bool in_runs(const LetterRun *runs, uint32_t count, int32_t c) {
  uint32_t low = 0, high = count;
  while (low < high) {
    uint32_t middle = (low + high) / 2;
    if (c < runs[middle].first) {
      high = middle;
    } else if (c > runs[middle].last) {
      low = middle + 1;
    } else {
      return (c - runs[middle].first) % runs[middle].step == 0;
    }
  }
  return false;
}

#define RUN_COUNT(runs) (sizeof runs / sizeof *runs)

static bool is_lower(int32_t c) {
  if (c < 0x80) return c >= 'a' && c <= 'z';
  return in_runs(LOWER_CASE_RUNS, RUN_COUNT(LOWER_CASE_RUNS), c);
}

static bool is_upper(int32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  return in_runs(UPPER_CASE_RUNS, RUN_COUNT(UPPER_CASE_RUNS), c);
}

static inline int32_t ascii_upper(int32_t c) { return (c >= 'a' && c <= 'z') ? c - 32 : c; }

/* ------------------------------------------------------------- line lookahead --- */

/* Reads the rest of the line into `line` (leading whitespace skipped), then peeks at the next
 * line. Advances the lexer: callers mark the token's end before calling. */
static void read_line(TSLexer *lexer, Line *line) {
  line->length = 0;
  line->truncated = false;
  while (is_space(lexer->lookahead)) advance(lexer);
  uint32_t content = 0;
  while (!at_line_end(lexer)) {
    int32_t c = lexer->lookahead;
    if (line->length < LINE_BUFFER) {
      line->chars[line->length++] = c;
      if (!is_space(c)) content = line->length;
    } else {
      line->truncated = true;
    }
    advance(lexer);
  }
  line->trailing_space = !line->truncated && content < line->length;
  if (!line->truncated) line->length = content;
  line->next_blank = true;
  line->next_indented = false;
  if (!consume_newline(lexer)) return;
  line->next_indented = is_space(lexer->lookahead);
  while (is_space(lexer->lookahead)) advance(lexer);
  line->next_blank = at_line_end(lexer);
}

static bool line_starts_with(const Line *line, const char *prefix) {
  uint32_t i = 0;
  for (; prefix[i]; i++) {
    if (i >= line->length || ascii_upper(line->chars[i]) != prefix[i]) return false;
  }
  return true;
}

static bool is_scene_heading(const Line *line) {
  static const char *const prefixes[] = {
    "INT./EXT", "INT/EXT", "EXT./INT", "EXT/INT", "I/E", "INT", "EXT", "EST",
  };
  for (unsigned i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
    const char *prefix = prefixes[i];
    if (!line_starts_with(line, prefix)) continue;
    uint32_t after = 0;
    while (prefix[after]) after++;
    if (after >= line->length) return false;
    int32_t c = line->chars[after];
    return c == '.' || c == ' ';
  }
  return false;
}

/* A cue line: a name with at least one upper-case letter and no lower-case one, then any
 * number of `(extensions)` in any case, then an optional `^`, and nothing else. */
static bool is_cue_line(const Line *line) {
  bool upper = false;
  uint32_t i = 0;
  for (; i < line->length && line->chars[i] != '(' && line->chars[i] != '^'; i++) {
    if (is_lower(line->chars[i])) return false;
    if (is_upper(line->chars[i])) upper = true;
  }
  while (i < line->length && line->chars[i] == '(') {
    while (i < line->length && line->chars[i] != ')') i++;
    if (i == line->length) return false;
    for (i++; i < line->length && is_space(line->chars[i]); i++) {}
  }
  if (i < line->length && line->chars[i] == '^') i++;
  return upper && i == line->length;
}

static bool is_all_caps(const Line *line) {
  bool upper = false;
  for (uint32_t i = 0; i < line->length; i++) {
    if (is_lower(line->chars[i])) return false;
    if (is_upper(line->chars[i])) upper = true;
  }
  return upper;
}

static bool ends_with(const Line *line, const char *suffix) {
  uint32_t n = 0;
  while (suffix[n]) n++;
  if (line->length < n) return false;
  for (uint32_t i = 0; i < n; i++) {
    if (line->chars[line->length - n + i] != suffix[i]) return false;
  }
  return true;
}

/* `Key: value`, where the key has no dot (so `INT. HOUSE: DAY` is no key). */
static bool is_title_key_line(const Line *line) {
  if (line->length == 0) return false;
  for (uint32_t i = 0; i < line->length; i++) {
    int32_t c = line->chars[i];
    if (c == ':') return i > 0;
    if (c == '.' || c == '(' || c == '[' || c == '*' || c == '_' || c == '/') return false;
  }
  return false;
}

/* `FADE IN:` or `CUT TO:` opening a script is a transition or action, not a title page. */
static bool is_title_page_start(const Line *line) {
  if (!is_title_key_line(line)) return false;
  uint32_t colon = 0;
  while (line->chars[colon] != ':') colon++;
  bool empty_value = colon + 1 == line->length;
  bool upper = false;
  for (uint32_t i = 0; i < colon; i++) {
    if (is_lower(line->chars[i])) return true;
    if (is_upper(line->chars[i])) upper = true;
  }
  return !(upper && empty_value && !line->next_indented);
}

/* ---------------------------------------------------------------- line breaks --- */

/* Past the end of a boneyard whose opener was just read. Boneyards do not nest: false at a
 * second opener (that one opens the boneyard) or at the end of input, which keeps a run of
 * unclosed openers linear. */
static bool skip_to_boneyard_end(TSLexer *lexer) {
  for (;;) {
    if (lexer->eof(lexer)) return false;
    int32_t c = lexer->lookahead;
    advance(lexer);
    if (c == '*' && lexer->lookahead == '/') {
      advance(lexer);
      return true;
    }
    if (c == '/' && lexer->lookahead == '*') return false;
  }
}

/* Skips the lines a boneyard fills, as the boneyard token itself will, so that a line break is
 * classified by the line after them. False when the line starts with a `/` that opens no such
 * boneyard: it is then a line of text, partly read. */
static bool skip_hidden_lines(TSLexer *lexer, bool *skipped) {
  while (lexer->lookahead == '/') {
    advance(lexer);
    if (lexer->lookahead != '*') return false;
    advance(lexer);
    if (!skip_to_boneyard_end(lexer)) return false;
    while (is_space(lexer->lookahead)) advance(lexer);
    *skipped = true;
    if (lexer->eof(lexer)) return true;
    if (!consume_newline(lexer)) return false;
  }
  return true;
}

enum BreakResult { NOT_A_BREAK = -1, NO_TOKEN = 0, BREAK_TOKEN = 1 };

/* At a line break (or trailing whitespace before one): `_line_end` when the next line goes on
 * with the paragraph, `_paragraph_end` (eating the blank lines) when it does not, and inside a
 * title page `_title_continuation` for an indented or key-less next line. */
static enum BreakResult scan_line_break(TSLexer *lexer, const bool *valid) {
  /* Every state on a title page, inside a field or after one, expects one of these. */
  bool in_title = valid[TITLE_CONTINUATION] || valid[TITLE_LINE_END] || valid[TITLE_PAGE_END];
  enum TokenType paragraph_end = in_title ? TITLE_PAGE_END : PARAGRAPH_END;
  while (is_space(lexer->lookahead)) lexer->advance(lexer, true);
  if (lexer->eof(lexer)) {
    if (!valid[paragraph_end]) return NO_TOKEN;
    lexer->result_symbol = paragraph_end;
    return BREAK_TOKEN;
  }
  if (lexer->lookahead != '\n' && lexer->lookahead != '\r') return NOT_A_BREAK;
  if (!consume_newline(lexer)) return NO_TOKEN;
  lexer->mark_end(lexer);

  bool hidden = false;
  bool plain_line = skip_hidden_lines(lexer, &hidden);
  uint32_t spaces = 0;
  bool tab = false;
  while (plain_line && is_space(lexer->lookahead)) {
    if (lexer->lookahead == '\t') tab = true;
    spaces++;
    advance(lexer);
  }
  bool blank = plain_line && at_line_end(lexer);
  /* Two spaces alone keep a paragraph going: the spec's way to write an empty dialogue line. */
  bool two_spaces = blank && !in_title && !tab && spaces >= 2 && !lexer->eof(lexer);

  if (blank && !two_spaces) {
    if (!valid[paragraph_end]) return NO_TOKEN;
    /* Blank lines after a boneyard are left to it and to `_blank_line`, so it stays a node. */
    while (!hidden && consume_newline(lexer)) {
      lexer->mark_end(lexer);
      while (is_space(lexer->lookahead)) advance(lexer);
      if (!at_line_end(lexer) || lexer->eof(lexer)) break;
    }
    if (!hidden && lexer->eof(lexer)) lexer->mark_end(lexer);
    lexer->result_symbol = paragraph_end;
    return BREAK_TOKEN;
  }

  if (in_title) {
    /* Decided by the next line's indentation alone. After a reused field a continuation is
     * not valid: returning nothing makes the parser break that field down and ask again. */
    enum TokenType symbol = spaces > 0 || !plain_line ? TITLE_CONTINUATION : TITLE_LINE_END;
    if (!valid[symbol]) return NO_TOKEN;
    if (symbol == TITLE_CONTINUATION && !hidden) lexer->mark_end(lexer);
    lexer->result_symbol = symbol;
    return BREAK_TOKEN;
  }

  if (!valid[LINE_END]) return NO_TOKEN;
  lexer->result_symbol = LINE_END;
  return BREAK_TOKEN;
}

/* ------------------------------------------------------------ element starts --- */

static bool finish(TSLexer *lexer, enum TokenType symbol) {
  lexer->result_symbol = symbol;
  return true;
}

static bool is_inline_opener(int32_t c) {
  return c == '[' || c == '*' || c == '_' || c == '/' || c == '\\';
}

static bool scan_inline(TSLexer *lexer, const bool *valid);

/* The start of a paragraph: classify the line. False means action (or an inline token). */
static bool scan_element_start(TSLexer *lexer, const bool *valid) {
  int32_t c = lexer->lookahead;
  if (lexer->eof(lexer)) return false;

  switch (c) {
    case '!':
      advance(lexer);
      lexer->mark_end(lexer);
      return finish(lexer, FORCED_ACTION_START);
    case '.':
      advance(lexer);
      if (lexer->lookahead == '.' || is_space(lexer->lookahead) || at_line_end(lexer)) return false;
      lexer->mark_end(lexer);
      return finish(lexer, SCENE_HEADING_START);
    case '~':
      advance(lexer);
      lexer->mark_end(lexer);
      return finish(lexer, LYRICS_START);
    case '#': {
      while (lexer->lookahead == '#') advance(lexer);
      lexer->mark_end(lexer);
      return finish(lexer, SECTION_MARKER);
    }
    case '=': {
      uint32_t run = 0;
      while (lexer->lookahead == '=') {
        advance(lexer);
        run++;
        if (run == 1) lexer->mark_end(lexer);
      }
      if (run >= 3) {
        lexer->mark_end(lexer);
        while (is_space(lexer->lookahead)) advance(lexer);
        if (at_line_end(lexer)) return finish(lexer, PAGE_BREAK);
        return false;
      }
      return run == 1 && valid[SYNOPSIS_START] ? finish(lexer, SYNOPSIS_START) : false;
    }
    case '>': {
      advance(lexer);
      lexer->mark_end(lexer);
      int32_t last = 0;
      while (!at_line_end(lexer)) {
        if (!is_space(lexer->lookahead)) last = lexer->lookahead;
        advance(lexer);
      }
      if (last == 0) return false;
      return finish(lexer, last == '<' ? CENTERED_START : TRANSITION_START);
    }
    case '@': {
      advance(lexer);
      lexer->mark_end(lexer);
      Line line;
      read_line(lexer, &line);
      if (line.length == 0 || line.next_blank) return false;
      return finish(lexer, CHARACTER_START);
    }
    default:
      break;
  }

  if (is_inline_opener(c)) return scan_inline(lexer, valid);

  /* A zero-width start token unless the line is blank: everything read is lookahead. */
  lexer->mark_end(lexer);
  if (is_space(c) || c == '\n' || c == '\r') {
    while (is_space(lexer->lookahead)) advance(lexer);
    if (at_line_end(lexer)) {
      if (!consume_newline(lexer) && !lexer->eof(lexer)) return false;
      lexer->mark_end(lexer);
      return valid[BLANK_LINE] && finish(lexer, BLANK_LINE);
    }
  }
  Line line;
  read_line(lexer, &line);
  if (line.truncated || line.length == 0) return false;
  if (valid[TITLE_PAGE_START] && is_title_page_start(&line)) return finish(lexer, TITLE_PAGE_START);
  /* The spec wants a blank line after a heading and a transition; the line must end in `TO:`. */
  if (line.next_blank && is_scene_heading(&line)) return finish(lexer, SCENE_HEADING_START);
  if (line.next_blank && !line.trailing_space && is_all_caps(&line) && ends_with(&line, "TO:")) {
    return finish(lexer, TRANSITION_START);
  }
  if (!line.next_blank && is_cue_line(&line)) return finish(lexer, CHARACTER_START);
  return false;
}

/* ---------------------------------------------------------------- cue parts --- */

static bool scan_cue_part(TSLexer *lexer, const bool *valid) {
  while (is_space(lexer->lookahead)) lexer->advance(lexer, true);
  if (valid[CHARACTER_NAME]) {
    bool any = false;
    while (!at_line_end(lexer) && lexer->lookahead != '(') {
      int32_t c = lexer->lookahead;
      advance(lexer);
      if (!is_space(c) && c != '^') {
        any = true;
        lexer->mark_end(lexer);
      }
    }
    return any && finish(lexer, CHARACTER_NAME);
  }
  if (lexer->lookahead == '(' && valid[CHARACTER_EXTENSION]) {
    while (!at_line_end(lexer)) {
      int32_t c = lexer->lookahead;
      advance(lexer);
      if (c == ')') {
        lexer->mark_end(lexer);
        return finish(lexer, CHARACTER_EXTENSION);
      }
    }
    return false;
  }
  if (lexer->lookahead == '^' && valid[DUAL_DIALOGUE_MARKER]) {
    advance(lexer);
    lexer->mark_end(lexer);
    return finish(lexer, DUAL_DIALOGUE_MARKER);
  }
  return false;
}

/* A whole `(…)` line inside a dialogue block. */
static bool scan_parenthetical(TSLexer *lexer) {
  while (is_space(lexer->lookahead)) lexer->advance(lexer, true);
  if (lexer->lookahead != '(') return false;
  int32_t last = 0;
  while (!at_line_end(lexer)) {
    int32_t c = lexer->lookahead;
    advance(lexer);
    if (!is_space(c)) {
      last = c;
      lexer->mark_end(lexer);
    }
  }
  return last == ')' && finish(lexer, PARENTHETICAL);
}

/* A title-page key up to, not including, its colon; a title-page line with no colon is a
 * key without a value rather than a syntax error. */
static bool scan_title_key(TSLexer *lexer) {
  bool any = false;
  while (!at_line_end(lexer) && lexer->lookahead != ':') {
    int32_t c = lexer->lookahead;
    advance(lexer);
    if (!is_space(c)) {
      any = true;
      lexer->mark_end(lexer);
    }
  }
  return any && finish(lexer, TITLE_KEY);
}

/* ------------------------------------------------------------------- inline --- */

/* A boneyard, from slash-star to star-slash, across lines. One that fills its lines takes its
 * line break with it, so the lines it hides leave no blank line behind. */
static bool scan_boneyard(TSLexer *lexer) {
  bool at_line_start = lexer->get_column(lexer) == 0;
  advance(lexer);
  if (lexer->lookahead != '*') return false;
  advance(lexer);
  if (!skip_to_boneyard_end(lexer)) return false;
  lexer->mark_end(lexer);
  if (at_line_start) {
    while (is_space(lexer->lookahead)) advance(lexer);
    if (consume_newline(lexer)) lexer->mark_end(lexer);
  }
  return finish(lexer, BONEYARD);
}

/* `[[ … ]]`, across lines but not across a blank line; a line of two spaces is not blank. */
static bool scan_note(TSLexer *lexer) {
  advance(lexer);
  if (lexer->lookahead != '[') return false;
  advance(lexer);
  bool text = true;    /* the current line has something besides spaces */
  uint32_t spaces = 0; /* spaces on the current line so far */
  for (;;) {
    if (lexer->eof(lexer)) return false;
    int32_t c = lexer->lookahead;
    advance(lexer);
    if (c == '\n') {
      if (!text && spaces < 2) return false;
      text = false;
      spaces = 0;
      continue;
    }
    if (c == ']' && lexer->lookahead == ']') {
      advance(lexer);
      lexer->mark_end(lexer);
      return finish(lexer, NOTE);
    }
    /* Notes do not nest: a second `[[` opens the note, so a line of them stays linear. */
    if (c == '[' && lexer->lookahead == '[') return false;
    if (c == ' ') spaces++;
    else if (c != '\r' && c != '\t') text = true;
  }
}

/* An emphasis delimiter: a closer when that span is open, an opener when a closing run of the
 * same length follows on the line. */
static bool scan_emphasis(TSLexer *lexer, const bool *valid) {
  int32_t mark = lexer->lookahead;
  uint32_t run = 0;
  while (lexer->lookahead == mark && run < 4) {
    advance(lexer);
    run++;
  }
  if (mark == '*' && run > 3) return false;
  if (mark == '_' && run > 1) return false;
  lexer->mark_end(lexer);

  enum TokenType open, close;
  if (mark == '_') {
    open = UNDERLINE_OPEN;
    close = UNDERLINE_CLOSE;
  } else if (run == 1) {
    open = ITALIC_OPEN;
    close = ITALIC_CLOSE;
  } else if (run == 2) {
    open = BOLD_OPEN;
    close = BOLD_CLOSE;
  } else {
    open = BOLD_ITALIC_OPEN;
    close = BOLD_ITALIC_CLOSE;
  }
  if (valid[close]) return finish(lexer, close);
  if (!valid[open] || is_space(lexer->lookahead) || at_line_end(lexer)) return false;

  for (uint32_t reach = 0; reach < EMPHASIS_REACH && !at_line_end(lexer); reach++) {
    int32_t c = lexer->lookahead;
    advance(lexer);
    if (c == '\\') {
      if (!at_line_end(lexer)) advance(lexer);
      continue;
    }
    if (c != mark) continue;
    uint32_t closing = 1;
    while (lexer->lookahead == mark) {
      advance(lexer);
      closing++;
    }
    if (closing == run) return finish(lexer, open);
  }
  return false;
}

/* `#1A#` at the very end of a scene heading. */
static bool scan_scene_number(TSLexer *lexer) {
  advance(lexer);
  bool any = false;
  while (!at_line_end(lexer) && lexer->lookahead != '#') {
    if (is_space(lexer->lookahead)) return false;
    any = true;
    advance(lexer);
  }
  if (!any || lexer->lookahead != '#') return false;
  advance(lexer);
  lexer->mark_end(lexer);
  while (is_space(lexer->lookahead)) advance(lexer);
  return at_line_end(lexer) && finish(lexer, SCENE_NUMBER);
}

/* The `<` that closes centered text, last on its line. */
static bool scan_centered_end(TSLexer *lexer) {
  advance(lexer);
  lexer->mark_end(lexer);
  while (is_space(lexer->lookahead)) advance(lexer);
  return at_line_end(lexer) && finish(lexer, CENTERED_END);
}

static bool scan_inline(TSLexer *lexer, const bool *valid) {
  switch (lexer->lookahead) {
    case '/':
      return valid[BONEYARD] && scan_boneyard(lexer);
    case '[':
      return valid[NOTE] && scan_note(lexer);
    case '*':
    case '_':
      return scan_emphasis(lexer, valid);
    case '#':
      return valid[SCENE_NUMBER] && scan_scene_number(lexer);
    case '<':
      return valid[CENTERED_END] && scan_centered_end(lexer);
    default:
      return false;
  }
}

/* ------------------------------------------------------------------ the API --- */

void *tree_sitter_fountain_external_scanner_create(void) { return NULL; }

void tree_sitter_fountain_external_scanner_destroy(void *payload) { (void)payload; }

unsigned tree_sitter_fountain_external_scanner_serialize(void *payload, char *buffer) {
  (void)payload;
  (void)buffer;
  return 0;
}

void tree_sitter_fountain_external_scanner_deserialize(void *payload, const char *buffer,
                                                       unsigned length) {
  (void)payload;
  (void)buffer;
  (void)length;
}

bool tree_sitter_fountain_external_scanner_scan(void *payload, TSLexer *lexer,
                                                const bool *valid) {
  (void)payload;
  /* During error recovery every symbol is valid; let the internal lexer resynchronise. */
  if (valid[ERROR_SENTINEL]) return false;
  if (lexer->lookahead == 0xFEFF) lexer->advance(lexer, true);

  int32_t c = lexer->lookahead;
  /* Generated lexers read a NUL byte as the end of input, so NUL runs are text made here. */
  if (c == 0 && !lexer->eof(lexer) && valid[NUL_TEXT]) {
    while (lexer->lookahead == 0 && !lexer->eof(lexer)) advance(lexer);
    lexer->mark_end(lexer);
    return finish(lexer, NUL_TEXT);
  }
  bool break_valid = valid[LINE_END] || valid[PARAGRAPH_END] || valid[TITLE_CONTINUATION] ||
                     valid[TITLE_LINE_END] || valid[TITLE_PAGE_END];
  if (break_valid && (is_space(c) || c == '\n' || c == '\r' || lexer->eof(lexer))) {
    enum BreakResult result = scan_line_break(lexer, valid);
    if (result != NOT_A_BREAK) return result == BREAK_TOKEN;
    c = lexer->lookahead;
  }
  if (valid[SCENE_HEADING_START]) return scan_element_start(lexer, valid);
  if (valid[CHARACTER_NAME] || valid[CHARACTER_EXTENSION] || valid[DUAL_DIALOGUE_MARKER]) {
    if (scan_cue_part(lexer, valid)) return true;
  }
  if (valid[TITLE_KEY]) return scan_title_key(lexer);
  /* A `~` line inside a dialogue block is lyrics. */
  if (valid[LYRICS_START] && c == '~') {
    advance(lexer);
    lexer->mark_end(lexer);
    return finish(lexer, LYRICS_START);
  }
  if (valid[PARENTHETICAL] && (c == '(' || is_space(c))) {
    if (scan_parenthetical(lexer)) return true;
    return false;
  }
  return scan_inline(lexer, valid);
}
